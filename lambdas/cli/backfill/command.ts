import { type Command, Option } from 'commander';
import { withAuthOptions } from '../api-options';
import { ownerId, positiveInt } from '../arguments';
import type { BackfillFlags } from './backfill';
import { BACKFILL_EXIT_HELP } from './help';

/**
 * `image-intel backfill --bucket NAME (--stack NAME | --api URL)`: a bucket's existing objects brought into the
 * pipeline, and followed; backfill.ts (the AWS SDK) loads when it runs.
 */
export function addBackfillCommand(program: Command, exit: (code: number) => void): void {
  withAuthOptions(program.command('backfill'))
    .description(
      "bring the objects already under a bucket and prefix into the pipeline, through the deployment's backfill " +
        'state machine, and wait until the processor has an outcome for each: a progress line, then the counts',
    )
    .summary("bring a bucket's existing photos in, and wait")
    .addOption(
      new Option('--stack <name>', "a deployed stack's name: its outputs come from CloudFormation").conflicts('api'),
    )
    .addOption(
      new Option('--region <region>', "the stack's Region (default: AWS_REGION or your profile's)").conflicts('api'),
    )
    .option('--api <url>', 'the local runner (npm start), e.g. http://localhost:3000, instead of a stack')
    .requiredOption('--bucket <name>', "one of the deployment's sourceBuckets, or its own bucket (under uploads/)")
    .option('--prefix <prefix>', "only the keys under it (default: the source's prefix; uploads/ in its own bucket)")
    .option('--owner <id>', 'the owner of the images whose source entry names none (default: none)', ownerId)
    .option(
      '--reprocess',
      'analyse again the images an older ANALYSIS_VERSION made, and with search by meaning those without a vector ' +
        'of its model (the others are skipped)',
    )
    .option('--reembed', 'embed the images that have no vector of the current model (a --reprocess: docs/search.md)')
    .option('--regroup-faces', 'analyse every image again, its faces grouped afresh (face grouping on; docs/people.md)')
    .option('--reown', 'give images recorded under another owner the one their key gets now (their faces move too)')
    .option('--force', 'start it even though a run over the same bucket and an overlapping prefix is not done yet')
    .option('--no-wait', 'start the run, print its id and exit')
    .addOption(
      new Option('--timeout <s>', 'seconds to wait for the run to finish (it goes on after)')
        .argParser(positiveInt)
        .default(3600),
    )
    .addHelpText('after', BACKFILL_EXIT_HELP)
    .action(async (flags: BackfillFlags, command: Command) => {
      if (!flags.stack && !flags.api) {
        command.error('error: give --stack NAME (a deployed stack) or --api URL (the local runner)');
      }
      const { backfillCommand } = await import('./backfill');
      exit(await backfillCommand(flags));
    });
}
