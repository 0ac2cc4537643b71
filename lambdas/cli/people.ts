import { ApiError, failureOf, ImageApiClient } from './api-client';

export interface PeopleFlags {
  api: string;
  apiKey?: string;
  token?: string;
}

/** The people commands' exit codes, as `search`'s: done, the API refused or failed, a wrong command line. */
export const PEOPLE_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);
const stderr: Out = (line) => process.stderr.write(`image-intel: ${line}\n`);

/** What the people commands say when the API has no people routes, instead of its bare 404. */
export const GROUPING_OFF =
  'face grouping is off in this deployment: it has no people routes (deploy with -c faceGrouping=true, or start ' +
  'the runner with npm start -- --face-grouping; docs/people.md)';

/**
 * Whether `error` is the API saying it has no such route: the local runner's 404 `no route for ...`, or API
 * Gateway's 403 `Missing Authentication Token`, its answer to a path the REST API does not have (a person that is
 * not there is a 404 of the people routes themselves, `person ... not found`).
 */
function noSuchRoute(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return (
    (error.status === 404 && error.message.includes('no route for')) ||
    (error.status === 403 && error.message.includes('Missing Authentication Token'))
  );
}

/** The line for a failed people call: GROUPING_OFF for a missing route, else what failureOf makes of it. */
function peopleFailure(error: unknown, api: string): string {
  return noSuchRoute(error) ? GROUPING_OFF : failureOf(error, api);
}

/** The API serves at most this many people a page (list-people's MAX_PEOPLE_LIMIT). */
const PAGE_SIZE = 100;

/**
 * `image-intel people`: the caller's people, most faces first, one JSON line each, following the cursor until no
 * page follows or `limit` are printed. An API error stops the run with its message (what came before stays printed).
 */
export async function listPeopleCommand(
  flags: PeopleFlags & { limit?: number },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const client = clientOf(flags);
  const cap = flags.limit ?? Number.POSITIVE_INFINITY;
  let printed = 0;
  let cursor: string | undefined;
  try {
    do {
      const params = new URLSearchParams({ limit: String(Math.min(PAGE_SIZE, cap - printed)) });
      if (cursor !== undefined) params.set('cursor', cursor);
      const page = (await client.call('GET', `/people?${params}`)) as { items: unknown[]; cursor?: string };
      for (const person of page.items.slice(0, cap - printed)) {
        out(JSON.stringify(person));
        printed++;
      }
      cursor = page.cursor;
    } while (cursor !== undefined && printed < cap);
  } catch (error) {
    err(peopleFailure(error, flags.api));
    return PEOPLE_EXIT.failed;
  }
  return PEOPLE_EXIT.ok;
}

/** `image-intel people rename ID NAME` (or `--clear`: null): the person, named, as one JSON line. */
export async function renamePersonCommand(
  personId: string,
  name: string | null,
  flags: PeopleFlags,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return once(flags, out, err, (client) => client.call('PATCH', `/people/${encodeURIComponent(personId)}`, { name }));
}

/** `image-intel people merge ID OTHER...`: the person merged into, as one JSON line. */
export async function mergePeopleCommand(
  personId: string,
  others: string[],
  flags: PeopleFlags,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return once(flags, out, err, (client) =>
    client.call('POST', `/people/${encodeURIComponent(personId)}/merge`, { personIds: others }),
  );
}

async function once(flags: PeopleFlags, out: Out, err: Out, call: (client: ImageApiClient) => Promise<unknown>) {
  try {
    out(JSON.stringify(await call(clientOf(flags))));
    return PEOPLE_EXIT.ok;
  } catch (error) {
    err(peopleFailure(error, flags.api));
    return PEOPLE_EXIT.failed;
  }
}

function clientOf(flags: PeopleFlags): ImageApiClient {
  return new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
}
