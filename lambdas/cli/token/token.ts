import { LOCAL_TOKEN_PATH, type TokenRequest } from '../../local/token-request';
import { reasonOf, withSlash } from '../api-client';

export interface TokenFlags {
  api: string;
  user: string;
  admin?: boolean;
  /** Seconds the token stays valid; the runner's default (3600) when not given. */
  ttl?: number;
}

/** `token`'s exit codes: a token was printed, the API gave none, or the command line was wrong. */
export const TOKEN_EXIT = { ok: 0, noToken: 1, usage: 2 } as const;

export const TOKEN_EXIT_HELP = `
Exit codes:
  0  the token was printed (alone, on stdout: TOKEN=$(image-intel token ...))
  1  no token: the API is not a local runner started with --auth jwt, it
     cannot be reached, or it refused the request (the reason on stderr)
  2  usage error: an unknown option, a bad value
`;

/**
 * `image-intel token`: a JWT from a local runner started with `npm start -- --auth jwt`.
 *
 * 1. Ask the runner's local-only token endpoint for a token for the user (admin or not, for how long).
 * 2. Print the token alone on stdout; otherwise say on stderr why there is none.
 */
export async function tokenCommand(
  flags: TokenFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
): Promise<number> {
  const url = new URL(LOCAL_TOKEN_PATH.replace(/^\//, ''), withSlash(flags.api));
  const request: TokenRequest = { user: flags.user, admin: flags.admin ?? false, ttlSeconds: flags.ttl };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (error) {
    err(`cannot reach ${flags.api}: ${reasonOf(error)}`);
    return TOKEN_EXIT.noToken;
  }
  const text = await response.text();
  const answer = parseJson(text) as { token?: unknown; message?: unknown } | undefined;
  if (response.ok && typeof answer?.token === 'string') {
    out(answer.token);
    return TOKEN_EXIT.ok;
  }
  // A runner without --auth jwt has no such route (404); API Gateway answers an unknown path with a 403.
  if (response.status === 404 || response.status === 403) {
    err(
      `${flags.api} hands out no tokens: they come from the local runner started with \`npm start -- --auth jwt\` ` +
        "(a deployed stack's from its Cognito user pool)",
    );
  } else {
    const message = typeof answer?.message === 'string' ? answer.message : text.slice(0, 300);
    err(`POST ${url.pathname}: ${response.status} ${message}`);
  }
  return TOKEN_EXIT.noToken;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
