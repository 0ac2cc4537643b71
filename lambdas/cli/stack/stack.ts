import { API_COMMAND_EXIT, type ApiFlags, type CommandIo, runApiCommand } from '../api-command';
import { table } from '../table';

/*
 * `image-intel stack ...`: the stack routes (`/stacks...`, docs/api.md#stacks), printed for people by default and as
 * one JSON line with --json.
 */

export interface StackFlags extends ApiFlags {
  json?: boolean;
}

/** A stack as the API answers it. */
interface StackAnswer {
  stackId: string;
  kind: string;
  primary: string;
  count: number;
  frames: { imageId: string; filename?: string; takenAt?: string; takenAtMs?: number }[];
}

/** `stack <id...> [--primary id]`, `stack show <stackId>`, `stack unstack <stackId>`. */
export async function stackCommand(
  args: string[],
  flags: StackFlags & { primary?: string },
  io: CommandIo = {},
): Promise<number> {
  const [verb, ...rest] = args;
  const usage = (message: string) => {
    (io.err ?? ((line) => process.stderr.write(`image-intel: ${line}\n`)))(message);
    return API_COMMAND_EXIT.usage;
  };
  if (verb === 'show' || verb === 'unstack') {
    const [stackId, ...more] = rest;
    if (stackId === undefined || more.length > 0) return usage(`stack ${verb} takes one stack id (st_...)`);
    if (flags.primary !== undefined) return usage('--primary is for making a stack');
    return runApiCommand(flags, io, async (client, out) => {
      const path = `/stacks/${encodeURIComponent(stackId)}`;
      if (verb === 'unstack') {
        await client.call('DELETE', path);
        out(flags.json ? JSON.stringify({ stackId, unstacked: true }) : `unstacked ${stackId}`);
        return;
      }
      print((await client.call('GET', path)) as StackAnswer, flags, out);
    });
  }
  if (args.length < 2) return usage('stack takes two or more image ids (or show or unstack and a stack id)');
  return runApiCommand(flags, io, async (client, out) => {
    const body = { imageIds: args, ...(flags.primary !== undefined && { primary: flags.primary }) };
    print((await client.call('POST', '/stacks', body)) as StackAnswer, flags, out);
  });
}

function print(stack: StackAnswer, flags: StackFlags, out: (line: string) => void): void {
  if (flags.json) {
    out(JSON.stringify(stack));
    return;
  }
  out(`${stack.stackId}: a ${stack.kind} stack of ${stack.count}, shown as ${stack.primary}`);
  const rows = stack.frames.map((frame) => [
    frame.imageId === stack.primary ? '*' : '',
    frame.imageId,
    frame.filename ?? '',
    frame.takenAt === undefined
      ? ''
      : `${frame.takenAt}${frame.takenAtMs === undefined ? '' : `.${String(frame.takenAtMs).padStart(3, '0')}`}`,
  ]);
  for (const line of table(['', 'image id', 'name', 'taken'], rows)) out(line);
}
