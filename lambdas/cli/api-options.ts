import { type Command, Option } from 'commander';

/** The options of every command that talks to a running API: where it is, and how to authenticate. */
export function withApiOptions(command: Command): Command {
  return withAuthOptions(command.requiredOption('--api <url>', 'the API base URL, e.g. http://localhost:3000'));
}

/** How a command authenticates to the API. */
export function withAuthOptions(command: Command): Command {
  return command
    .option('--api-key <key>', 'x-api-key header (auth=apikey)')
    .addOption(
      new Option(
        '--token <jwt>',
        "Authorization: Bearer <jwt>: a Cognito ID token (auth=cognito) or a local runner's (image-intel token)",
      ).env('IMAGE_INTEL_TOKEN'),
    );
}
