import type { LockedAnswer } from '../../images/functions/set-locked/set-locked';
import type { PinSet } from '../../locked/functions/set-pin/set-pin';
import type { Unlocked } from '../../locked/functions/unlock/unlock';
import { failureOf, ImageApiClient } from '../api-client';
import type { Edit, EditFlags } from '../edit/edit';
import { WEBHOOKS_EXIT as EXIT, exitOf, type Out } from '../webhooks/webhooks';

/*
 * `image-intel lock`, `unlock` and `pin`: the locked folder (docs/api.md "The locked folder"): photos moved in or
 * out (`PUT /images/{id}/locked`), the PIN set or changed (`PUT /locked/pin`), and an unlock token asked for
 * (`POST /locked/unlock`), which `image-intel search locked=true --unlock-token` (or IMAGE_INTEL_UNLOCK_TOKEN) lists
 * the folder with.
 */

/** `lock [--off]`: into the locked folder (out of every list and search), or out of it. */
export function lockEdit(locked: boolean): Edit {
  return {
    method: 'PUT',
    path: 'locked',
    body: { locked },
    line: (answer) => {
      const { imageId, locked: now } = answer as LockedAnswer;
      return `${imageId}: ${now ? 'locked' : 'not locked'}`;
    },
  };
}

export interface PinFlags extends EditFlags {
  current?: string;
}

interface Io {
  out?: Out;
  err?: Out;
  client?: Pick<ImageApiClient, 'call'>;
}

/** `pin <new> [--current <old>]`: sets or changes the PIN; prints its version. */
export async function pinCommand(pin: string, flags: PinFlags, io: Io = {}): Promise<number> {
  const body = { pin, ...(flags.current !== undefined && { current: flags.current }) };
  return callPrinting('PUT', '/locked/pin', body, flags, io, (answer) => {
    const { pinVersion } = answer as PinSet;
    return `PIN set (version ${pinVersion}): unlock tokens made before it no longer open the folder`;
  });
}

/** `unlock --pin <pin>`: prints the unlock token alone (for `$(...)`), or with `--json` the answer. */
export async function unlockCommand(flags: EditFlags & { pin: string }, io: Io = {}): Promise<number> {
  return callPrinting('POST', '/locked/unlock', { pin: flags.pin }, flags, io, (answer) => (answer as Unlocked).token);
}

async function callPrinting(
  method: 'PUT' | 'POST',
  path: string,
  body: unknown,
  flags: EditFlags,
  io: Io,
  line: (answer: unknown) => string,
): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.err ?? ((text: string) => process.stderr.write(`image-intel: ${text}\n`));
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const answer = await client.call(method, path, body);
    out(flags.json ? JSON.stringify(answer) : line(answer));
    return EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}
