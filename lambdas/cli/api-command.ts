import { ApiError, failureOf, ImageApiClient } from './api-client';
import { EXIT } from './record';

/*
 * What the commands that call the API one route at a time share (`albums`, `share`, `webhooks`): their exit codes,
 * where they print, and `runApiCommand`, which makes the client, runs the command's calls and turns a failure into
 * one line on stderr in the API's words and its exit code.
 */

/** The exit codes, those of ./record.ts: done, the API refused, a wrong command line, no API. */
export const API_COMMAND_EXIT = {
  ok: EXIT.ok,
  refused: EXIT.someRejectedOrFailed,
  usage: EXIT.usage,
  unreachable: EXIT.noTarget,
} as const;

/** How the command's flags say where the API is and who calls it. */
export interface ApiFlags {
  api: string;
  apiKey?: string;
  token?: string;
}

export type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);
const stderr: Out = (line) => process.stderr.write(`image-intel: ${line}\n`);

/** What the commands need of the API client: one call (a fake in the unit tests). */
export type CallApi = Pick<ImageApiClient, 'call'>;

export interface CommandIo {
  out?: Out;
  err?: Out;
  /** Default: an ImageApiClient of `--api` and the auth flags. */
  client?: CallApi;
}

export const clientOf = (flags: ApiFlags): ImageApiClient =>
  new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });

/** The exit code of a failed call: the API's answer (1), or no answer at all (3). */
export function exitOf(error: unknown): number {
  // By name, as failureOf: fetch's TypeError may come from another realm.
  const unreachable = (error as Error)?.name === 'TypeError' && (error as Error).message === 'fetch failed';
  return unreachable && !(error instanceof ApiError) ? API_COMMAND_EXIT.unreachable : API_COMMAND_EXIT.refused;
}

/** Runs one command's calls; a failure is one line on stderr, in the API's words, and its exit code. */
export async function runApiCommand(
  flags: ApiFlags,
  io: CommandIo,
  work: (client: CallApi, out: Out, err: Out) => Promise<void>,
): Promise<number> {
  const out = io.out ?? stdout;
  const err = io.err ?? stderr;
  try {
    await work(io.client ?? clientOf(flags), out, err);
    return API_COMMAND_EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}
