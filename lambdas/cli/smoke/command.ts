import { type Command, Option } from 'commander';
import { withAuthOptions } from '../api-options';
import { positiveInt } from '../arguments';
import { EXIT } from '../record';
import type { SmokeFlags } from './smoke';

/** `smoke --help`'s steps and exit codes. */
const SMOKE_EXIT_HELP = `
Steps, one line each (name, PASS/FAIL/skip, time, what happened or why not):
  subscribe  a temporary EventBridge rule and SQS queue for Image Processed
  upload     a new probe PNG through POST /uploads and its presigned POST
  processed  GET /images/{id} until PROCESSED (within --timeout)
  event      its Image Processed event reached the queue
  search     a unique label added (PATCH /images/{id}/labels) finds it alone
  rendition  one of its signed preset rendition URLs answers an image
  delete     DELETE /images/{id}, then GET /images/{id} answers 404
The first failure skips the rest; then the rule, its target and the queue are
removed and the probe image deleted (the cleanup line says so).

Exit codes:
  ${EXIT.ok}  every step passed and nothing was left behind
  ${EXIT.someRejectedOrFailed}  a step failed (its line says why), or the cleanup left something
     behind (its line says what, and the command that removes it)
  ${EXIT.usage}  usage error: neither --stack nor --api, an unknown option, a bad value
  ${EXIT.noTarget}  nothing was checked: the stack or its outputs could not be read, or
     the API could not be reached (the reason on stderr)
`;

/**
 * `image-intel smoke --stack NAME | --api URL`: a deployment (or a runner) checked end to end; smoke.ts (the AWS SDK,
 * sharp) loads when it runs.
 */
export function addSmokeCommand(program: Command, exit: (code: number) => void): void {
  withAuthOptions(
    program
      .command('smoke')
      .description(
        'check a deployment end to end, right after cdk deploy: subscribe to its events, upload a probe image, ' +
          'wait for it to be processed, search, render and delete it, one line per step',
      )
      .summary('check a deployment (or a runner) end to end')
      .addOption(
        new Option('--stack <name>', "a deployed stack's name: its outputs come from CloudFormation").conflicts('api'),
      )
      .addOption(
        new Option('--region <region>', "the stack's Region (default: AWS_REGION or your profile's)").conflicts('api'),
      )
      .option('--api <url>', 'the local runner (npm start), e.g. http://localhost:3000, instead of a stack'),
  )
    .addOption(
      new Option('--timeout <s>', 'seconds to wait for processing, and for the event')
        .argParser(positiveInt)
        .default(120),
    )
    .addHelpText('after', SMOKE_EXIT_HELP)
    .action(async (flags: SmokeFlags, command: Command) => {
      if (!flags.stack && !flags.api) {
        command.error('error: give --stack NAME (a deployed stack) or --api URL (the local runner)');
      }
      const { smokeCommand } = await import('./smoke');
      exit(await smokeCommand(flags));
    });
}
