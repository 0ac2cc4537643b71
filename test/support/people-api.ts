import type { PeoplePort } from '../../lambdas/people/ports';
import type { ShownCoverDeps } from '../../lambdas/people/shown-covers';
import type { ImageItem } from '../../lambdas/store/image-item';
import { type ApiHandler, apiEvent, type TestIdentity, useApiEnv } from './api-events';

/** The people table the tests' functions are wired with (`PEOPLE_TABLE`). */
export const PEOPLE_TABLE = 'images-people';

/** In-memory image records and postings writes, for a people route that re-indexes images (`images` below). */
export interface ImagesFake {
  records: Map<string, ImageItem>;
  upserted: ImageItem[];
}

/**
 * A function's handler with the people table wired (face grouping on) and `people` (a PeopleFake) as the store
 * `openPeople` opens; with `images`, the image store and the search index it opens are those records and an upsert
 * recorder. Loaded afresh once per function and environment in a test file (each load is a cold start's whole
 * module graph): later calls point the loaded handler at their own fakes.
 */
export function handlerWithPeople(
  name: string,
  people: PeoplePort,
  env: Record<string, string> = {},
  images?: ImagesFake,
): ApiHandler {
  useApiEnv({ PEOPLE_TABLE: PEOPLE_TABLE, ...env });
  current.people = people;
  current.images = images;
  const key = JSON.stringify([name, env, images !== undefined]);
  const known = loaded.get(key);
  if (known) return known;
  let handler: ApiHandler | undefined;
  jest.isolateModules(() => {
    if (images) mockImages();
    jest.doMock('../../lambdas/people/shown-covers', () => ({
      ...jest.requireActual('../../lambdas/people/shown-covers'),
      shownCoverDeps: () => fakeShownCovers(),
    }));
    jest.doMock('../../lambdas/people/open', () => ({
      openPeople: (_dynamo: unknown, table: string) => {
        if (table !== PEOPLE_TABLE) throw new Error(`opened ${table}, not the people table`);
        return forwardingTo(() => current.people);
      },
    }));
    handler = (require(`../../lambdas/people/functions/${name}/handler`) as { handler: ApiHandler }).handler;
  });
  loaded.set(key, handler as ApiHandler);
  return handler as ApiHandler;
}

/** The fakes of the latest handlerWithPeople call, which every handler loaded in this file reads. */
const current: { people?: PeoplePort; images?: ImagesFake } = {};

/**
 * The photos whose records a read path may not show (in the trash or the locked folder), as the people routes' cover
 * check reads them (shown-covers.ts): empty unless a test puts ids in it (and clears it after).
 */
export const hiddenPhotos = new Set<string>();

/** The cover check over `hiddenPhotos` and the PeopleFake's faces (a person's, in the order of their image ids). */
function fakeShownCovers(): ShownCoverDeps {
  const people = () =>
    current.people as PeoplePort & { faces?: Map<string, Array<{ imageId: string; box: never; personId: string }>> };
  return {
    shown: async (imageIds) => new Set(imageIds.filter((id) => !hiddenPhotos.has(id))),
    faces: async (owner, personId, { limit, after }) => {
      const faces = [...(people().faces?.entries() ?? [])]
        .filter(([key]) => key.startsWith(`${owner}#`))
        .flatMap(([, stored]) => stored)
        .filter((face) => face.personId === personId)
        .sort((a, b) => a.imageId.localeCompare(b.imageId))
        .filter((face) => after === undefined || face.imageId > after);
      const page = faces.slice(0, limit).map(({ imageId, box }) => ({ imageId, box }));
      return faces.length > limit ? { faces: page, after: page.at(-1)?.imageId } : { faces: page };
    },
    mergedIdsOf: (owner, personId) => people().mergedIdsOf(owner, personId),
  };
}
const loaded = new Map<string, ApiHandler>();

/** An object whose every property is the one `target()` has when it is read, methods bound to it. */
function forwardingTo<T extends object>(target: () => T | undefined): T {
  return new Proxy({} as T, {
    get: (_, key) => {
      const object = target() as Record<string | symbol, unknown>;
      const value = object[key];
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** The image store and the search index a handler opens, as `fake`'s records and upserts. */
function mockImages(): void {
  const fake = () => current.images as ImagesFake;
  jest.doMock('../../lambdas/store/image-store', () => ({
    ImageStore: class {
      get = async (imageId: string) => fake().records.get(imageId);
      correctPeople = async (item: ImageItem, seen: string) => {
        const stored = fake().records.get(item.imageId);
        if (stored?.updatedAt !== seen) return false;
        fake().records.set(item.imageId, { ...stored, ...item });
        return true;
      };
      clearUnindexTerms = async () => undefined;
    },
  }));
  jest.doMock('../../lambdas/search/index-table', () => ({
    SearchIndex: class {
      upsert = async (item: ImageItem) => void fake().upserted.push(item);
    },
  }));
}

export const listPeopleEvent = (query?: Record<string, string>, as?: TestIdentity | null) =>
  apiEvent({ method: 'GET', resource: '/people', path: '/people', query, as });

export const getPersonEvent = (id: string, as?: TestIdentity | null) =>
  apiEvent({ method: 'GET', resource: '/people/{id}', path: `/people/${id}`, pathParameters: { id }, as });

/** `PATCH /people/{id}` with a body (sent as JSON unless a string). */
export const renamePersonEvent = (id: string, body: unknown, as?: TestIdentity | null) =>
  apiEvent({
    method: 'PATCH',
    resource: '/people/{id}',
    path: `/people/${id}`,
    pathParameters: { id },
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });

export const mergePeopleEvent = (id: string, body: unknown, as?: TestIdentity | null) =>
  apiEvent({
    method: 'POST',
    resource: '/people/{id}/merge',
    path: `/people/${id}/merge`,
    pathParameters: { id },
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });
