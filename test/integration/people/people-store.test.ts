import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Person, PersonNameSchema } from '../../../lambdas/people/contract';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import { InvalidCursorError, PeopleStore } from '../../../lambdas/people/people-store';
import { faceKey, listKeys, peopleShardOf, personKey } from '../../../lambdas/people/table-design';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../../lambdas/shared/errors';
import {
  box,
  createPeopleTable,
  described,
  imageId,
  nearDescriptor,
  type PeopleMoto,
  peopleMoto,
  personDescriptor,
} from '../../support/people-table';

jest.setTimeout(120_000);

const OWNER = 'owner-a';
const OTHER = 'owner-b';

let moto: PeopleMoto;
let table: string;
let store: PeopleStore;
let images = 0;

beforeAll(() => {
  moto = peopleMoto();
});
afterAll(() => moto.dynamodb.destroy());
beforeEach(async () => {
  table = await createPeopleTable(moto.dynamodb);
  store = new PeopleStore(moto.client, table, new LshFaceIndex(moto.client, table));
});

/** A person of `faces` faces, each in an image of its own; answers its id. */
async function personWith(faces: number, seed: number, owner = OWNER): Promise<string> {
  const descriptor = personDescriptor(seed);
  let founder = '';
  for (let i = 0; i < faces; i++) {
    images += 1;
    const face = i === 0 ? descriptor : nearDescriptor(descriptor, 0.1, seed * 100 + i);
    const { faces: grouped } = await store.groupFaces(owner, imageId(images), described(face));
    founder ||= grouped[0]?.personId ?? '';
  }
  return founder;
}

async function allPages(limit: number): Promise<{ pages: Person[][]; cursors: number }> {
  const pages: Person[][] = [];
  let cursor: string | undefined;
  let cursors = 0;
  do {
    const page = await store.list(OWNER, { limit, cursor });
    pages.push(page.items);
    cursor = page.cursor;
    if (cursor) cursors += 1;
  } while (cursor !== undefined);
  return { pages, cursors };
}

describe('PeopleStore.list', () => {
  it('lists most faces first across every shard, page by page, with nothing skipped or repeated', async () => {
    const counts = [3, 1, 4, 1, 5, 2, 2, 6];
    const ids = [];
    for (const [i, count] of counts.entries()) ids.push(await personWith(count, 300 + i));
    await personWith(2, 399, OTHER);
    expect(new Set(ids.map(peopleShardOf)).size).toBeGreaterThan(1);
    const expected = ids
      .map((personId, i) => ({ personId, faceCount: counts[i] as number }))
      .sort((a, b) => b.faceCount - a.faceCount || (a.personId < b.personId ? 1 : -1));

    const { pages, cursors } = await allPages(3);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(cursors).toBe(2);
    expect(pages.flat().map(({ personId, faceCount }) => ({ personId, faceCount }))).toEqual(expected);
    expect(pages[0]?.[0]).toEqual({
      personId: ids[7],
      name: null,
      faceCount: 6,
      cover: { imageId: expect.any(String), box: box(0) },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('answers an empty page without a cursor for an owner with no people', async () => {
    await expect(store.list(OWNER, { limit: 10 })).resolves.toEqual({ items: [] });
  });

  it('refuses a limit below 1 as the caller’s error (DynamoDB would refuse a Limit of 0 with a 500)', async () => {
    await expect(store.list(OWNER, { limit: 0 })).rejects.toThrow('limit: must be a whole number, 1 or more');
    await expect(store.list(OWNER, { limit: 1.5 })).rejects.toBeInstanceOf(BadRequestError);
  });

  it("refuses a cursor that is not one it made, or that was made for another owner's list", async () => {
    await personWith(1, 310);
    await personWith(1, 311);
    const { cursor } = await store.list(OWNER, { limit: 1 });
    expect(cursor).toBeDefined();
    await expect(store.list(OTHER, { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.list(OWNER, { limit: 1, cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursorError);
  });
});

describe('PeopleStore.merge', () => {
  it('adds the counts, takes the merged people off the list, and reads their ids as the target', async () => {
    const ada = await personWith(2, 320);
    const bob = await personWith(3, 321);
    const cy = await personWith(1, 322);
    const merged = await store.merge(OWNER, ada, [bob, cy]);
    expect(merged).toEqual(expect.objectContaining({ personId: ada, faceCount: 6 }));
    expect((await store.list(OWNER, { limit: 10 })).items.map((person) => person.personId)).toEqual([ada]);
    expect(await store.get(OWNER, bob)).toEqual(merged);
    expect(await store.termsOf(OWNER, ada)).toEqual([ada, bob, cy]);
    expect(await store.termsOf(OWNER, cy)).toEqual([ada, bob, cy]);
  });

  it('flattens: people merged into a source lead to the new target in one hop', async () => {
    const [ada, bob, cy] = [await personWith(1, 330), await personWith(1, 331), await personWith(1, 332)];
    await store.merge(OWNER, bob, [ada]);
    await store.merge(OWNER, cy, [bob]);
    expect(await store.get(OWNER, ada)).toEqual(expect.objectContaining({ personId: cy, faceCount: 3 }));
    expect((await store.termsOf(OWNER, cy)).sort()).toEqual([ada, bob, cy].sort());
    const joined = await store.groupFaces(
      OWNER,
      imageId(500),
      described(nearDescriptor(personDescriptor(330), 0.1, 9)),
    );
    expect(joined.faces[0]?.personId).toBe(cy);
    expect((await store.get(OWNER, cy))?.faceCount).toBe(4);
  });

  it('keeps the name the target has, or takes a source’s when it has none', async () => {
    const [ada, bob] = [await personWith(1, 340), await personWith(1, 341)];
    await store.rename(OWNER, bob, 'Bob');
    await expect(store.merge(OWNER, ada, [bob])).resolves.toEqual(expect.objectContaining({ name: 'Bob' }));
  });

  it('refuses a merge into itself (400), and changes nothing', async () => {
    const ada = await personWith(1, 350);
    const bob = await personWith(1, 351);
    const attempt = store.merge(OWNER, ada, [bob, ada]);
    await expect(attempt).rejects.toBeInstanceOf(BadRequestError);
    await expect(attempt).rejects.toThrow(`personIds: cannot merge person ${ada} into itself`);
    expect((await store.list(OWNER, { limit: 10 })).items).toHaveLength(2);
    await expect(store.merge(OWNER, ada, [])).rejects.toBeInstanceOf(BadRequestError);
  });

  it("answers 404 for another owner's, an unknown or an already merged person", async () => {
    const ada = await personWith(1, 360);
    const bob = await personWith(1, 361);
    const theirs = await personWith(1, 362, OTHER);
    await expect(store.merge(OWNER, ada, [theirs])).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.merge(OWNER, theirs, [ada])).rejects.toThrow(`person ${theirs} not found`);
    await expect(store.merge(OWNER, ada, ['Nobody'])).rejects.toBeInstanceOf(NotFoundError);
    await store.merge(OWNER, ada, [bob]);
    await expect(store.merge(OWNER, ada, [bob])).rejects.toThrow(`person ${bob} was merged into ${ada}`);
    expect((await store.get(OTHER, theirs))?.faceCount).toBe(1);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
  });

  it('answers 409 when the target would stand for more than 99 merged people', async () => {
    const ada = await personWith(1, 370);
    const sources = [await personWith(1, 371), await personWith(1, 372)];
    await moto.client.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...personKey(OWNER, ada),
          ...listKeys(OWNER, ada, 98),
          personId: ada,
          name: null,
          faceCount: 98,
          cover: { imageId: imageId(1), face: 0, box: box(0) },
          mergedFrom: Array.from({ length: 98 }, (_, i) => `Gone${i}`),
          revision: 7,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    await expect(store.merge(OWNER, ada, sources)).rejects.toBeInstanceOf(ConflictError);
    await expect(store.merge(OWNER, ada, sources)).rejects.toThrow('would stand for 100 merged people; at most 99');
    await expect(store.merge(OWNER, ada, sources.slice(0, 1))).resolves.toEqual(
      expect.objectContaining({ faceCount: 99 }),
    );
  });
});

describe('PeopleStore.merge, two ways at once', () => {
  it('answers 50 opposite merges at once with 200, 404 or 409 only, and leaves every face in one listed person', async () => {
    // Five pairs, each merged both ways by ten requests at once: a pair's first merge wins; the others find a person
    // merged away (404) or lost every race (409). A read torn by the winner once made a transaction name one person
    // twice, which DynamoDB refuses outright (a 500).
    const firstImage = images + 1;
    const pairs: [string, string][] = [];
    for (let pair = 0; pair < 5; pair++) pairs.push([await personWith(2, 380 + pair), await personWith(1, 390 + pair)]);
    const statusOf = (error: unknown) => (error instanceof AppError ? error.statusCode : String(error));
    const statuses = await Promise.all(
      pairs.flatMap(([ada, bob]) =>
        Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? [ada, bob] : [bob, ada])).map(([target, source]) =>
          store.merge(OWNER, target as string, [source as string]).then(() => 200, statusOf),
        ),
      ),
    );
    expect(statuses).toHaveLength(50);
    expect(statuses.filter((status) => ![200, 404, 409].includes(status as number))).toEqual([]);
    for (const [ada, bob] of pairs) {
      // One of the two now stands for both, with both people's faces.
      const [asAda, asBob] = [await store.get(OWNER, ada), await store.get(OWNER, bob)];
      expect(asAda).toEqual(asBob);
      expect(asAda?.faceCount).toBe(3);
    }
    const listed = (await store.list(OWNER, { limit: 100 })).items;
    expect(listed.map((person) => person.faceCount)).toEqual([3, 3, 3, 3, 3]);
    for (let n = firstImage; n <= images; n++) {
      const { Item } = await moto.client.send(new GetCommand({ TableName: table, Key: faceKey(OWNER, imageId(n), 0) }));
      const person = await store.get(OWNER, Item?.personId as string);
      expect(listed.map((each) => each.personId)).toContain(person?.personId);
    }
  });
});

describe('PeopleStore.get, rename and termsOf', () => {
  it("answers undefined for another owner's person and for ids that are no person", async () => {
    const theirs = await personWith(1, 380, OTHER);
    expect(await store.get(OWNER, theirs)).toBeUndefined();
    expect(await store.get(OWNER, 'x#PERSON#y')).toBeUndefined();
    expect(await store.termsOf(OWNER, theirs)).toEqual([]);
  });

  it('names a person (trimmed), renames a merged id’s target, and clears the name with null', async () => {
    const [ada, bob] = [await personWith(1, 390), await personWith(1, 391)];
    await expect(store.rename(OWNER, ada, '  Ada Lovelace ')).resolves.toEqual(
      expect.objectContaining({ personId: ada, name: 'Ada Lovelace' }),
    );
    await store.merge(OWNER, ada, [bob]);
    await expect(store.rename(OWNER, bob, 'Ada')).resolves.toEqual(
      expect.objectContaining({ personId: ada, name: 'Ada' }),
    );
    await expect(store.rename(OWNER, ada, null)).resolves.toEqual(expect.objectContaining({ name: null }));
    expect((await store.list(OWNER, { limit: 1 })).items[0]?.name).toBeNull();
  });

  it('finds people by a word of their name as it is now, with those merged into them, and only the owner’s', async () => {
    const [ada, bob, eve] = [await personWith(1, 400), await personWith(1, 401), await personWith(1, 402)];
    const theirs = await personWith(1, 403, OTHER);
    await store.rename(OWNER, ada, 'Ada Lovelace');
    await store.rename(OWNER, eve, 'Évelyne Lo');
    await store.rename(OTHER, theirs, 'Ada');
    expect(await store.named(OWNER, 'ada')).toEqual([ada]);
    expect(await store.named(OWNER, 'love')).toEqual([ada]);
    expect(await store.named(OWNER, 'lovelaces')).toEqual([]);
    // Accents and case as the search box folds them; two letters are a word of two letters.
    expect(await store.named(OWNER, 'evel')).toEqual([eve]);
    expect(await store.named(OWNER, 'lo')).toEqual([eve]);
    // A merged person's images are posted under its own id: the name stands for both.
    await store.merge(OWNER, ada, [bob]);
    expect((await store.named(OWNER, 'ada')).sort()).toEqual([ada, bob].sort());
    // A name given up finds no one, though its words were filed.
    await store.rename(OWNER, ada, 'Grace');
    expect(await store.named(OWNER, 'ada')).toEqual([]);
    expect((await store.named(OWNER, 'gra')).sort()).toEqual([ada, bob].sort());
    await store.rename(OWNER, ada, null);
    expect(await store.named(OWNER, 'gra')).toEqual([]);
  });

  it("refuses a 10 KB name or one with control characters (400 naming the field), and another owner's person (404)", async () => {
    const ada = await personWith(1, 395);
    await expect(store.rename(OWNER, ada, 'a'.repeat(10_240))).rejects.toThrow('name: must be at most 64 characters');
    await expect(store.rename(OWNER, ada, 'Ada\u0000Bob')).rejects.toBeInstanceOf(BadRequestError);
    await expect(store.rename(OTHER, ada, 'Ada')).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.get(OWNER, ada))?.name).toBeNull();
  });
});

describe('PersonNameSchema', () => {
  it.each([
    ['Ada', 'Ada'],
    ['  Grace Hopper  ', 'Grace Hopper'],
    ['Zoë 李', 'Zoë 李'],
    ['👩‍🔬'.repeat(9), '👩‍🔬'.repeat(9)],
  ])('takes %j as %j', (name, stored) => {
    expect(PersonNameSchema.parse(name)).toBe(stored);
  });

  it.each([
    ['', 'must not be empty or only spaces'],
    ['   ', 'must not be empty or only spaces'],
    ['x'.repeat(65), 'must be at most 64 characters'],
    ['Ada\nBob', 'must not contain control characters'],
    ['Ada\u0007', 'must not contain control characters'],
    ['Ada\u009b', 'must not contain control characters'],
    ['Ada\uD83D', 'must be valid Unicode (it has a lone surrogate)'],
    ['Ada\nBob\uDE00', 'must be valid Unicode (it has a lone surrogate)'],
  ])('refuses %j: %s', (name, message) => {
    const parsed = PersonNameSchema.safeParse(name);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join()).toContain(message);
  });

  it('counts characters, not UTF-16 units: 64 emoji of two units each are a name', () => {
    expect(PersonNameSchema.safeParse('😀'.repeat(64)).success).toBe(true);
    expect(PersonNameSchema.safeParse('😀'.repeat(65)).success).toBe(false);
  });
});
