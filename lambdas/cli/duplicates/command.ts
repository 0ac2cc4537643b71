import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt } from '../arguments';
import type { DuplicatesFlags } from './duplicates';

export const DUPLICATES_HELP = `
Near-duplicates: a photo and its re-encoded, resized or lightly cropped
copies, grouped as they arrive. Each cluster names the photo to keep (the
highest quality score, then the most pixels, then the most metadata) and why.
Resolving keeps that one (or those --keep names) and moves the others to the
trash (restorable), carrying their tags, albums, favourite and place to the
first kept; dismissing says they are not duplicates.

Output is for people; --json prints one JSON line per cluster or answer, as
the API gives it.

Exit codes:
  0  done
  1  the API refused (the message says why: 404 no such open cluster, 409 a
     kept photo in the trash or the deployment keeps no trash), or a --keep
     id is not of the cluster
  2  usage error: a missing argument, an unknown option
  3  the API could not be reached
`;

/** `image-intel duplicates`, `duplicates resolve ID [--keep ID...]`, `duplicates dismiss ID`: the duplicates routes. */
export function addDuplicatesCommands(program: Command, exit: (code: number) => void): void {
  const duplicates = program
    .command('duplicates')
    .description('list the near-duplicate clusters of your photos; keep the best of one, or dismiss it')
    .summary('near-duplicates: list, resolve, dismiss')
    .addHelpText('after', DUPLICATES_HELP);
  const command = (name: string, options?: { isDefault: boolean }) =>
    withApiOptions(duplicates.command(name, options))
      .option('--json', 'one JSON line per cluster or answer, as the API gives it')
      .addHelpText('after', DUPLICATES_HELP);

  command('list', { isDefault: true })
    .description(
      'print the open clusters, a block each, the photo to keep marked (the default: image-intel duplicates)',
    )
    .option('--limit <n>', 'print at most this many clusters (default 1000)', positiveInt)
    .action(async (flags: DuplicatesFlags & { limit?: number }) => {
      const { listDuplicatesCommand } = await import('./duplicates');
      exit(await listDuplicatesCommand(flags));
    });

  command('resolve')
    .description('keep the suggested photo (or --keep ones) and move the rest of the cluster to the trash')
    .argument('<clusterId>', 'the cluster, as image-intel duplicates prints it')
    .option('--keep <imageId...>', 'keep these photos instead (the first gets what the copies carried)')
    .action(async (clusterId: string, flags: DuplicatesFlags & { keep?: string[] }) => {
      const { resolveDuplicatesCommand } = await import('./duplicates');
      exit(await resolveDuplicatesCommand(clusterId, flags));
    });

  command('dismiss')
    .description('say the photos of a cluster are not duplicates: it leaves the list')
    .argument('<clusterId>', 'the cluster')
    .action(async (clusterId: string, flags: DuplicatesFlags) => {
      const { dismissDuplicatesCommand } = await import('./duplicates');
      exit(await dismissDuplicatesCommand(clusterId, flags));
    });
}
