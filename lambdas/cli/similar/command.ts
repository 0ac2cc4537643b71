import type { Command } from 'commander';
import { withApiOptions } from '../api-options';
import { positiveInt, wholeNumber } from '../arguments';
import { SIMILAR_EXIT_HELP, type SimilarFlags } from './similar';

/** `image-intel similar <imageId>`: the images that look like one of the caller's, nearest first. */
export function addSimilarCommand(program: Command, exit: (code: number) => void): void {
  withApiOptions(program.command('similar'))
    .description(
      "print the images that look like this one (the caller's own), nearest first, one JSON line each: " +
        '{imageId, filename, distance, duplicate}',
    )
    .summary('the images that look like one, nearest first')
    .argument('<imageId>', 'the image to compare with (a PROCESSED one)')
    .option(
      '--max-distance <n>',
      'largest Hamming distance between perceptual hashes, 0 to 11 (default 6)',
      wholeNumber,
    )
    .option('--limit <n>', 'print at most this many, 1 to 100 (default 20)', positiveInt)
    .addHelpText('after', SIMILAR_EXIT_HELP)
    .action(async (imageId: string, flags: SimilarFlags) => {
      const { similarCommand } = await import('./similar');
      exit(await similarCommand(imageId, flags));
    });
}
