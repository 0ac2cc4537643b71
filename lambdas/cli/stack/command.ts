import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import type { StackFlags } from './stack';

export const STACK_HELP = `
Stack photos: the lists show the primary once, with a count (docs/api.md#stacks).
Bursts and one shot kept in two formats are stacked as they arrive; this makes,
shows and undoes stacks by hand.

  image-intel stack <imageId> <imageId>... [--primary <imageId>]
  image-intel stack show <stackId>       its frames, the primary first
  image-intel stack unstack <stackId>    every frame listed on its own again

Output is for people; --json prints the API's answer as one JSON line.

Exit codes:
  0  done
  1  the API refused (the message says why: 400 fewer than 2 photos, 404 not
     yours, 409 a photo locked, archived, not processed or already stacked)
  2  usage error: a missing argument, an unknown option
  3  the API could not be reached
`;

/** `image-intel stack ...`: POST /stacks, and `show` and `unstack` of one stack. */
export function addStackCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('stack'))
    .description('stack photos (or show or unstack a stack): the lists show the primary once, with a count')
    .summary('stack: show a burst or a RAW+JPEG pair as one photo')
    .argument('<ids...>', 'image ids to stack; or show <stackId>; or unstack <stackId>')
    .option('--primary <imageId>', 'the photo the lists show (default the first)')
    .option('--json', "print the API's answer as one JSON line")
    .addHelpText('after', STACK_HELP)
    .action(async (ids: string[], flags: StackFlags & { primary?: string }) => {
      const { stackCommand } = await import('./stack');
      exit(await stackCommand(ids, flags));
    });
}
