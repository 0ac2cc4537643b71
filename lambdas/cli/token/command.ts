import { type Command, InvalidArgumentError } from 'commander';
import { MAX_TOKEN_TTL_SECONDS } from '../../local/token-request';
import { ownerId, positiveInt } from '../arguments';
import { TOKEN_EXIT_HELP, type TokenFlags } from './token';

const tokenTtl = (value: string): number => {
  const n = positiveInt(value);
  if (n > MAX_TOKEN_TTL_SECONDS) throw new InvalidArgumentError(`must be at most ${MAX_TOKEN_TTL_SECONDS} (a day)`);
  return n;
};

/** `image-intel token --api URL --user NAME`: a JWT from a local runner started with `--auth jwt`. */
export function addTokenCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('token')
    .description(
      'print a token (a JWT) from a local runner started with `npm start -- --auth jwt`, for --token, curl ' +
        '(Authorization: Bearer) or IMAGE_INTEL_TOKEN',
    )
    .summary('a token from a runner started with --auth jwt')
    .requiredOption('--api <url>', "the runner's API URL, e.g. http://localhost:3000")
    .requiredOption('--user <name>', 'who the token is for: its sub, the owner of what they upload', ownerId)
    .option('--admin', "in the admins group: sees and manages every owner's images")
    .option('--ttl <s>', `seconds the token is valid, at most ${MAX_TOKEN_TTL_SECONDS} (default 3600)`, tokenTtl)
    .addHelpText('after', TOKEN_EXIT_HELP)
    .action(async (flags: TokenFlags) => {
      const { tokenCommand } = await import('./token');
      exit(await tokenCommand(flags));
    });
}
