import type { Box } from '../../../../lambdas/core/vision-schema';
import { type ApiHandler, invoke, OTHER_USER, TEST_USER } from '../../../support/api-events';
import { imageItem } from '../../../support/items';
import {
  getPersonEvent,
  handlerWithPeople,
  hiddenPhotos,
  type ImagesFake,
  listPeopleEvent,
  mergePeopleEvent,
  renamePersonEvent,
} from '../../../support/people-api';
import { descriptorOf, PeopleFake } from '../../../support/people-fake';

const BOX: Box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
const IMAGE_A = '01JABCDEFGHJKMNPQRSTVWXYZA';
const IMAGE_B = '01JABCDEFGHJKMNPQRSTVWXYZB';
const IMAGE_C = '01JABCDEFGHJKMNPQRSTVWXYZC';
const NO_SKIPS = { tooSmall: 0, overCap: 0 };

interface PersonJson {
  personId: string;
  name: string | null;
  faceCount: number;
  cover: { imageId: string; box: Box; thumbnailUrl: string };
}

/** TEST_USER's people: Ada (two photos, A and B) and Bob (C); OTHER_USER's own person from their copy of A. */
async function library() {
  const people = new PeopleFake();
  await people.groupFaces(TEST_USER.sub, IMAGE_A, {
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0) }],
    skipped: NO_SKIPS,
  });
  await people.groupFaces(TEST_USER.sub, IMAGE_B, {
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0.01) }],
    skipped: NO_SKIPS,
  });
  await people.groupFaces(TEST_USER.sub, IMAGE_C, {
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0.5) }],
    skipped: NO_SKIPS,
  });
  await people.groupFaces(OTHER_USER.sub, IMAGE_A, {
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0) }],
    skipped: NO_SKIPS,
  });
  return { people, ada: `${IMAGE_A}00`, bob: `${IMAGE_C}00`, others: `${IMAGE_A}00` };
}

async function call(name: string, people: PeopleFake, event: Parameters<ApiHandler>[0]) {
  return invoke(handlerWithPeople(name, people), event);
}

describe('a person whose photos are in the locked folder or the trash (issue 80)', () => {
  afterEach(() => hiddenPhotos.clear());

  it("shows the person's next face whose photo may be shown as its cover, never the locked one", async () => {
    const { people, ada } = await library();
    hiddenPhotos.add(IMAGE_A);
    const listed = (await call('list-people', people, listPeopleEvent())).json as { items: PersonJson[] };
    expect(listed.items.find((person) => person.personId === ada)?.cover.imageId).toBe(IMAGE_B);
    expect(JSON.stringify(listed.items.map((person) => person.cover))).not.toContain(IMAGE_A);
    const one = await call('get-person', people, getPersonEvent(ada));
    expect((one.json as PersonJson).cover.imageId).toBe(IMAGE_B);
    expect(decodeURIComponent(new URL((one.json as PersonJson).cover.thumbnailUrl).pathname)).toContain(IMAGE_B);
  });

  it('leaves out a person with no face in a photo that may be shown: its name would tell who is in them', async () => {
    const { people, ada, bob } = await library();
    hiddenPhotos.add(IMAGE_A).add(IMAGE_B);
    const listed = (await call('list-people', people, listPeopleEvent())).json as { items: PersonJson[] };
    expect(listed.items.map((person) => person.personId)).toEqual([bob]);
    expect((await call('get-person', people, getPersonEvent(ada))).statusCode).toBe(404);
  });
});

describe('GET /people', () => {
  it("answers the caller's people, most faces first, each cover with a presigned link to its largest thumbnail", async () => {
    const { people, ada, bob } = await library();
    const response = await call('list-people', people, listPeopleEvent());
    expect(response.statusCode).toBe(200);
    const { items, cursor } = response.json as { items: PersonJson[]; cursor?: string };
    expect(items.map((person) => [person.personId, person.faceCount])).toEqual([
      [ada, 2],
      [bob, 1],
    ]);
    expect(cursor).toBeUndefined();
    const url = new URL(items[0]?.cover.thumbnailUrl as string);
    expect(decodeURIComponent(url.pathname)).toBe(`/thumbnails/${IMAGE_A}/1024.webp`);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(items[0]?.cover.box).toEqual(BOX);
    expect(people.calls.filter((c) => c.method === 'list').map((c) => c.owner)).toEqual([TEST_USER.sub]);
  });

  it('pages with limit and cursor, defaulting to 50 and serving at most 100', async () => {
    const { people, bob } = await library();
    const first = await call('list-people', people, listPeopleEvent({ limit: '1' }));
    const { cursor } = first.json as { cursor: string };
    const second = await call('list-people', people, listPeopleEvent({ limit: '1', cursor }));
    expect((second.json as { items: PersonJson[] }).items.map((p) => p.personId)).toEqual([bob]);
    await call('list-people', people, listPeopleEvent());
    await call('list-people', people, listPeopleEvent({ limit: '500' }));
    const limits = people.calls.filter((c) => c.method === 'list').map((c) => (c.args[0] as { limit: number }).limit);
    expect(limits).toEqual([1, 1, 50, 100]);
  });

  it.each([
    [{ limit: '0' }, /^limit: must be at least 1$/],
    [{ limit: '-3' }, /^limit: must be a positive whole number$/],
    [{ limit: 'ten' }, /^limit: must be a positive whole number$/],
    [{ cursor: 'x'.repeat(2000) }, /^cursor: is not one this API returned$/],
    [{ cursor: 'forged' }, /^cursor: cursor is not one this API returned$/],
    [{ owner: 'someone' }, /^query: unknown parameter: owner$/],
  ])('answers 400 for %j', async (query, message) => {
    const { people } = await library();
    const response = await call('list-people', people, listPeopleEvent(query));
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toMatch(message);
  });

  it('answers 400 for a parameter given twice', async () => {
    const { people } = await library();
    const event = listPeopleEvent({ limit: '1' });
    event.multiValueQueryStringParameters = { limit: ['1', '2'] };
    const response = await call('list-people', people, event);
    expect(response.json).toEqual({ message: 'limit: given 2 times, at most once' });
  });
});

describe('GET /people/{id}', () => {
  it('answers the person', async () => {
    const { people, ada } = await library();
    const response = await call('get-person', people, getPersonEvent(ada));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ personId: ada, name: null, faceCount: 2, cover: { imageId: IMAGE_A } });
  });

  it("answers 404 for another owner's person and an unknown one alike", async () => {
    const { people, bob } = await library();
    const other = await call('get-person', people, getPersonEvent(bob, OTHER_USER));
    const unknown = await call('get-person', people, getPersonEvent('nobody'));
    expect([other.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(other.json).toEqual({ message: `person ${bob} not found` });
  });

  it.each(['has-dash', 'x'.repeat(65), '%00'])('answers 400 for the id %s', async (id) => {
    const { people } = await library();
    const response = await call('get-person', people, getPersonEvent(id));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message: 'id: not a person id (letters and digits, at most 64)' });
  });
});

describe('PATCH /people/{id}', () => {
  it('names the person, trimmed, and null takes the name away', async () => {
    const { people, ada } = await library();
    const named = await call('rename-person', people, renamePersonEvent(ada, { name: '  Ada Lovelace ' }));
    expect(named.statusCode).toBe(200);
    expect(named.json).toMatchObject({ personId: ada, name: 'Ada Lovelace' });
    const unnamed = await call('rename-person', people, renamePersonEvent(ada, { name: null }));
    expect(unnamed.json).toMatchObject({ personId: ada, name: null });
    expect((await people.get(TEST_USER.sub, ada))?.name).toBeNull();
  });

  it('renames the person a merged id answers as', async () => {
    const { people, ada, bob } = await library();
    await people.merge(TEST_USER.sub, ada, [bob]);
    const response = await call('rename-person', people, renamePersonEvent(bob, { name: 'Ada' }));
    expect(response.json).toMatchObject({ personId: ada, name: 'Ada' });
    expect(people.calls.filter((c) => c.method === 'rename').map((c) => c.args)).toEqual([[ada, 'Ada']]);
  });

  it('counts characters, not UTF-16 units: 64 emoji are a name', async () => {
    const { people, ada } = await library();
    const response = await call('rename-person', people, renamePersonEvent(ada, { name: '😀'.repeat(64) }));
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['a 10 KB name', { name: 'a'.repeat(10 * 1024) }, 'name: must be at most 64 characters'],
    ['65 characters', { name: 'é'.repeat(65) }, 'name: must be at most 64 characters'],
    ['a newline', { name: 'Ada\nLovelace' }, 'name: must not contain control characters (such as a newline or a tab)'],
    ['a NUL', { name: 'Ada\u0000' }, 'name: must not contain control characters (such as a newline or a tab)'],
    ['a DEL', { name: 'Ada\u007f' }, 'name: must not contain control characters (such as a newline or a tab)'],
    ['a lone surrogate', { name: 'Ada \uD800' }, 'name: must be valid Unicode (it has a lone surrogate)'],
    ['a lone low surrogate first', { name: '\uDC00Ada' }, 'name: must be valid Unicode (it has a lone surrogate)'],
    ['only spaces', { name: '   ' }, 'name: must not be empty or only spaces'],
    ['a number', { name: 42 }, 'name: must be a string or null'],
    ['no name', {}, 'name: must be a string or null (or give hidden)'],
    [
      'another field',
      { name: 'Ada', nickname: 'A' },
      'body: must be a JSON object {"name"?: string | null, "hidden"?: boolean}',
    ],
    ['a list', ['Ada'], 'body: must be a JSON object {"name"?: string | null, "hidden"?: boolean}'],
  ])('answers 400 naming the field for %s, and renames nothing', async (_case, body, message) => {
    const { people, ada } = await library();
    const response = await call('rename-person', people, renamePersonEvent(ada, body));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message });
    expect(people.calls.some((c) => c.method === 'rename')).toBe(false);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { people, ada } = await library();
    const response = await call('rename-person', people, renamePersonEvent(ada, '{"name": '));
    expect(response.json).toEqual({ message: 'body: not valid JSON' });
  });

  it("answers 404 for another owner's person, and names nothing", async () => {
    const { people, bob, others } = await library();
    const response = await call('rename-person', people, renamePersonEvent(bob, { name: 'Eve' }, OTHER_USER));
    expect(response.statusCode).toBe(404);
    expect((await people.get(TEST_USER.sub, bob))?.name).toBeNull();
    // The same id is a person of each owner's: each renames only their own.
    await call('rename-person', people, renamePersonEvent(others, { name: 'Eve' }, OTHER_USER));
    expect((await people.get(OTHER_USER.sub, others))?.name).toBe('Eve');
    expect((await people.get(TEST_USER.sub, others))?.name).toBeNull();
  });
});

describe('POST /people/{id}/merge', () => {
  /** The merge route on these people, with Bob's photo (C) as the processor recorded it. */
  async function merge(people: PeopleFake, event: Parameters<ApiHandler>[0], bob = `${IMAGE_C}00`) {
    const faces = [{ face: 0, personId: bob }];
    const photo = imageItem({
      imageId: IMAGE_C,
      people: { faces, skipped: NO_SKIPS },
      indexedTerms: [`person=${bob}`],
    });
    const images: ImagesFake = { records: new Map([[IMAGE_C, photo]]), upserted: [] };
    const response = await invoke(handlerWithPeople('merge-people', people, {}, images), event);
    return { ...response, images };
  }

  it('merges the people named into this one and answers it; the merged id then answers it too', async () => {
    const { people, ada, bob } = await library();
    const response = await merge(people, mergePeopleEvent(ada, { personIds: [bob] }));
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ personId: ada, faceCount: 3 });
    const merged = await call('get-person', people, getPersonEvent(bob));
    expect(merged.json).toMatchObject({ personId: ada });
  });

  it("re-points the merged person's photos to the person merged into: their records and postings", async () => {
    const { people, ada, bob } = await library();
    const { images } = await merge(people, mergePeopleEvent(ada, { personIds: [bob] }));
    expect(images.records.get(IMAGE_C)?.people?.faces).toEqual([{ face: 0, personId: ada }]);
    expect(images.upserted.map((item) => item.imageId)).toEqual([IMAGE_C]);
    expect(images.upserted[0]?.indexedTerms).toContain(`person=${ada}`);
    expect(images.upserted[0]?.unindexTerms).toEqual([`person=${bob}`]);
  });

  it('answers 400 for a merge into itself, and merges nothing', async () => {
    const { people, ada, bob } = await library();
    const response = await merge(people, mergePeopleEvent(ada, { personIds: [bob, ada] }));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({
      message: `personIds: ${ada} is the person merged into; a person cannot merge into itself`,
    });
    expect(people.calls.some((c) => c.method === 'merge')).toBe(false);
  });

  it.each([
    [{ personIds: [] }, 'personIds: name at least one person'],
    [{ personIds: Array.from({ length: 11 }, (_, i) => `p${i}`) }, 'personIds: at most 10 people at once'],
    [{ personIds: ['a-b'] }, 'personIds[0]: must be a person id (letters and digits, at most 64)'],
    [{ personIds: ['p1', 'p1'] }, 'personIds: names a person twice'],
    [{ personIds: 'p1' }, 'personIds: must be a list of person ids'],
    [{ ids: ['p1'] }, 'personIds: must be a list of person ids; body: must be a JSON object {"personIds": [...]}'],
  ])('answers 400 for %j', async (body, message) => {
    const { people, ada } = await library();
    const response = await merge(people, mergePeopleEvent(ada, body));
    expect(response.statusCode).toBe(400);
    expect(response.json).toEqual({ message });
  });

  it("answers 404 for an unknown person or another owner's, target or source, and merges nothing", async () => {
    const { people, ada, bob } = await library();
    const intoOthers = await merge(people, mergePeopleEvent(bob, { personIds: [ada] }, OTHER_USER));
    const unknownSource = await merge(people, mergePeopleEvent(ada, { personIds: [bob, 'nobody'] }));
    const unknownTarget = await merge(people, mergePeopleEvent('nobody', { personIds: [bob] }));
    expect([intoOthers.statusCode, unknownSource.statusCode, unknownTarget.statusCode]).toEqual([404, 404, 404]);
    expect(unknownSource.json).toEqual({ message: 'person nobody not found' });
    expect(people.calls.some((c) => c.method === 'merge')).toBe(false);
  });

  it('answers 404 for a merge into a person already merged (its id answers another)', async () => {
    const { people, ada, bob } = await library();
    await people.merge(TEST_USER.sub, ada, [bob]);
    const response = await merge(people, mergePeopleEvent(bob, { personIds: [ada] }));
    expect(response.statusCode).toBe(404);
  });
});

describe('people routes', () => {
  it('take the owner from the verified caller only', async () => {
    const { people } = await library();
    const response = await call('list-people', people, listPeopleEvent(undefined, null));
    expect(response.statusCode).toBe(401);
    expect(people.calls.some((c) => c.method === 'list')).toBe(false);
  });
});
