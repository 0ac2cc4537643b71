import type { PersonAnswer } from '../../people/functions/people-contract';
import { ApiError, failureOf, ImageApiClient } from '../api-client';
import { table } from '../table';

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
 * `image-intel people`: the caller's people, most faces first, following the cursor until no page follows or `limit`
 * are read: a table of their names, face counts and ids, or with `json` one JSON line each as the API gives it (its
 * cover's signed URL included), printed as each page comes. An API error stops the run with its message (with
 * `json`, what came before stays printed; the table is printed only whole).
 */
export async function listPeopleCommand(
  flags: PeopleFlags & { limit?: number; hidden?: boolean; json?: boolean },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const people: PersonAnswer[] = [];
  const code = await pages(
    flags,
    (person) => (flags.json ? out(JSON.stringify(person)) : people.push(person as PersonAnswer)),
    err,
    (cursor, remaining) => {
      const params = new URLSearchParams({ limit: String(Math.min(PAGE_SIZE, remaining)) });
      if (flags.hidden) params.set('hidden', 'true');
      if (cursor !== undefined) params.set('cursor', cursor);
      return `/people?${params}`;
    },
  );
  if (code !== PEOPLE_EXIT.ok || flags.json) return code;
  for (const line of peopleTable(people, flags.hidden ?? false)) out(line);
  return code;
}

/** People for people: a name (or `-` before one is given), the faces grouped into it, and its id for the commands. */
export function peopleTable(people: readonly Pick<PersonAnswer, 'personId' | 'name' | 'faceCount'>[], hidden: boolean) {
  if (people.length === 0) {
    return [hidden ? 'No hidden people.' : 'No people yet: face grouping makes them from the faces of new photos.'];
  }
  return table(
    ['NAME', 'FACES', 'PERSON-ID'],
    people.map((person) => [person.name ?? '-', String(person.faceCount), person.personId]),
  );
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

/**
 * `image-intel people remove-face PERSON IMAGE [--face N]` ("not this person"): the image's faces (or face N) taken
 * out of the person, as one JSON line `{"imageId","faces","person"}` (person null: those were its last faces).
 */
export async function removeFaceCommand(
  personId: string,
  imageId: string,
  flags: PeopleFlags & { face?: number },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const query = flags.face === undefined ? '' : `?face=${flags.face}`;
  const path = `/people/${encodeURIComponent(personId)}/images/${encodeURIComponent(imageId)}${query}`;
  return once(flags, out, err, (client) => client.call('DELETE', path));
}

/**
 * `image-intel people assign IMAGE FACE PERSON` (or `--name N`, a new person): the image's face given to the person,
 * as one JSON line `{"imageId","face","box","person","previousPersonId"}`.
 */
export async function assignFaceCommand(
  imageId: string,
  face: number,
  personId: string | undefined,
  flags: PeopleFlags & { name?: string },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  const body = personId === undefined ? { name: flags.name } : { personId };
  const path = `/images/${encodeURIComponent(imageId)}/faces/${face}`;
  return once(flags, out, err, (client) => client.call('PUT', path, body));
}

/** `image-intel people hide ID` / `unhide ID`: the person, hidden or shown, as one JSON line. */
export async function hidePersonCommand(
  personId: string,
  hidden: boolean,
  flags: PeopleFlags,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return once(flags, out, err, (client) => client.call('PATCH', `/people/${encodeURIComponent(personId)}`, { hidden }));
}

/** `image-intel people delete ID`: `{"deleted": ID}` once it is deleted (its photos stay; its faces unassigned). */
export async function deletePersonCommand(
  personId: string,
  flags: PeopleFlags,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return once(flags, out, err, async (client) => {
    await client.call('DELETE', `/people/${encodeURIComponent(personId)}`);
    return { deleted: personId };
  });
}

/**
 * `image-intel people suggestions`: merge suggestions, one JSON line each (`{"people":[a, b],"distance"}`), the
 * people examined a page at a time (GET /people/suggestions) until no page follows or `limit` are printed.
 */
export async function suggestionsCommand(
  flags: PeopleFlags & { limit?: number },
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return pages(
    flags,
    (suggestion) => out(JSON.stringify(suggestion)),
    err,
    (cursor) =>
      cursor === undefined ? '/people/suggestions' : `/people/suggestions?${new URLSearchParams({ cursor })}`,
  );
}

/** `image-intel people dismiss A B`: never suggest merging these two again; `{"dismissed": [A, B]}`. */
export async function dismissSuggestionCommand(
  personIds: [string, string],
  flags: PeopleFlags,
  out: Out = stdout,
  err: Out = stderr,
): Promise<number> {
  return once(flags, out, err, async (client) => {
    await client.call('POST', '/people/suggestions/dismiss', { personIds });
    return { dismissed: personIds };
  });
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

/**
 * Each item of a paged GET, following the cursor until no page follows or `limit` are taken. An API error stops the
 * run with its message (what came before stays taken).
 */
async function pages(
  flags: PeopleFlags & { limit?: number },
  each: (item: unknown) => void,
  err: Out,
  path: (cursor: string | undefined, remaining: number) => string,
): Promise<number> {
  const client = clientOf(flags);
  const cap = flags.limit ?? Number.POSITIVE_INFINITY;
  let taken = 0;
  let cursor: string | undefined;
  try {
    do {
      const page = (await client.call('GET', path(cursor, cap - taken))) as { items: unknown[]; cursor?: string };
      for (const item of page.items.slice(0, cap - taken)) {
        each(item);
        taken++;
      }
      cursor = page.cursor;
    } while (cursor !== undefined && taken < cap);
  } catch (error) {
    err(peopleFailure(error, flags.api));
    return PEOPLE_EXIT.failed;
  }
  return PEOPLE_EXIT.ok;
}

function clientOf(flags: PeopleFlags): ImageApiClient {
  return new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
}
