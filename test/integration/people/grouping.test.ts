import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DescribedFace,
  FACE_MATCH_DISTANCE,
  type FaceDescriptions,
  MAX_FACES_PER_IMAGE,
} from '../../../lambdas/people/contract';
import { type FaceIndex, LshFaceIndex } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { personKey } from '../../../lambdas/people/table-design';
import {
  box,
  createPeopleTable,
  imageId,
  nearDescriptor,
  type PeopleMoto,
  peopleMoto,
  personDescriptor,
} from '../../support/people-table';

jest.setTimeout(120_000);

const ADA = personDescriptor(1);
const BOB = personDescriptor(2);
const OWNER = 'owner-a';
const OTHER = 'owner-b';
const SKIPPED = { tooSmall: 1, overCap: 0 };

let moto: PeopleMoto;
let table: string;
let store: PeopleStore;

beforeAll(() => {
  moto = peopleMoto();
});
afterAll(() => moto.dynamodb.destroy());
beforeEach(async () => {
  table = await createPeopleTable(moto.dynamodb);
  store = storeOn(moto.client);
});

/** A face index with nothing in it. */
const FINDS_NO_ONE: FaceIndex = { nearest: async () => [], entries: () => [], remove: async () => [] };

function storeOn(client: DynamoDBDocumentClient): PeopleStore {
  return new PeopleStore(client, table, new LshFaceIndex(moto.client, table));
}

function described(...descriptors: number[][]): FaceDescriptions {
  return {
    faces: descriptors.map((descriptor, face): DescribedFace => ({ face, box: box(face), descriptor })),
    skipped: SKIPPED,
  };
}

async function person(owner: string, personId: string) {
  const { Item } = await moto.client.send(
    new GetCommand({ TableName: table, Key: personKey(owner, personId), ConsistentRead: true }),
  );
  return Item;
}

/** Every item of the table, as a count by kind of key: whatever a retry wrote twice would show here. */
async function itemCounts(owner: string, imageIds: string[]) {
  let faces = 0;
  for (const id of imageIds) {
    const { Count = 0 } = await moto.client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${owner}#IMAGE#${id}` },
      }),
    );
    faces += Count;
  }
  return faces;
}

describe('groupFaces', () => {
  it('gives two near faces of different images one person, founded by the first and counted twice', async () => {
    const first = await store.groupFaces(OWNER, imageId(1), described(ADA));
    const second = await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(ADA, 0.2, 11)));
    const founder = `${imageId(1)}00`;
    expect(first).toEqual({ faces: [{ face: 0, personId: founder }], skipped: SKIPPED });
    expect(second).toEqual({ faces: [{ face: 0, personId: founder }], skipped: SKIPPED });
    expect(await store.get(OWNER, founder)).toEqual(
      expect.objectContaining({
        personId: founder,
        faceCount: 2,
        name: null,
        cover: { imageId: imageId(1), box: box(0) },
      }),
    );
  });

  it('gives far faces two people', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    const second = await store.groupFaces(OWNER, imageId(2), described(BOB));
    expect(second.faces).toEqual([{ face: 0, personId: `${imageId(2)}00` }]);
    expect((await store.get(OWNER, `${imageId(1)}00`))?.faceCount).toBe(1);
  });

  it('joins a face just past the other side of the match distance to no one, and one just inside to the person', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    const outside = await store.groupFaces(
      OWNER,
      imageId(2),
      described(nearDescriptor(ADA, FACE_MATCH_DISTANCE + 0.02, 12)),
    );
    const inside = await store.groupFaces(
      OWNER,
      imageId(3),
      described(nearDescriptor(ADA, FACE_MATCH_DISTANCE - 0.04, 13)),
    );
    expect(outside.faces[0]?.personId).toBe(`${imageId(2)}00`);
    expect(inside.faces[0]?.personId).toBe(`${imageId(1)}00`);
  });

  it("never joins another owner's face, however near", async () => {
    await store.groupFaces(OTHER, imageId(1), described(ADA));
    const mine = await store.groupFaces(OWNER, imageId(2), described(ADA));
    expect(mine.faces).toEqual([{ face: 0, personId: `${imageId(2)}00` }]);
    expect(await store.get(OWNER, `${imageId(1)}00`)).toBeUndefined();
    expect((await store.get(OTHER, `${imageId(1)}00`))?.faceCount).toBe(1);
  });

  it('never joins two faces of the same image to each other, and a later image joins the nearest of them', async () => {
    const same = await store.groupFaces(OWNER, imageId(1), described(ADA, nearDescriptor(ADA, 0.05, 14)));
    expect(same.faces).toEqual([
      { face: 0, personId: `${imageId(1)}00` },
      { face: 1, personId: `${imageId(1)}01` },
    ]);
    const later = await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(ADA, 0.01, 15)));
    expect(later.faces[0]?.personId).toBe(`${imageId(1)}00`);
  });

  it('counts each face once when the same image is grouped twice (a retried message)', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    const once = await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(ADA, 0.1, 16), BOB));
    const twice = await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(ADA, 0.1, 16), BOB));
    expect(twice).toEqual(once);
    expect((await person(OWNER, `${imageId(1)}00`))?.faceCount).toBe(2);
    expect((await person(OWNER, `${imageId(2)}01`))?.faceCount).toBe(1);
    expect(await itemCounts(OWNER, [imageId(1), imageId(2)])).toBe(3);
  });

  it('after a crash between two faces, a retry groups the second and leaves the first as it was', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    let transactions = 0;
    const crashing = {
      send: (command: unknown) => {
        if (command instanceof TransactWriteCommand && ++transactions > 1) {
          return Promise.reject(new Error('the function timed out'));
        }
        return moto.client.send(command as GetCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const faces = described(nearDescriptor(ADA, 0.1, 17), BOB);
    await expect(storeOn(crashing).groupFaces(OWNER, imageId(2), faces)).rejects.toThrow('timed out');
    expect((await person(OWNER, `${imageId(1)}00`))?.faceCount).toBe(2);
    expect(await person(OWNER, `${imageId(2)}01`)).toBeUndefined();

    const retried = await store.groupFaces(OWNER, imageId(2), faces);
    expect(retried.faces).toEqual([
      { face: 0, personId: `${imageId(1)}00` },
      { face: 1, personId: `${imageId(2)}01` },
    ]);
    expect((await person(OWNER, `${imageId(1)}00`))?.faceCount).toBe(2);
    expect((await person(OWNER, `${imageId(2)}01`))?.faceCount).toBe(1);
  });

  it('counts every face when several images of one person are grouped at once', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    const ids = [2, 3, 4, 5, 6].map(imageId);
    const results = await Promise.all(
      ids.map((id, i) => store.groupFaces(OWNER, id, described(nearDescriptor(ADA, 0.1, 20 + i)))),
    );
    expect(results.map((result) => result.faces[0]?.personId)).toEqual(ids.map(() => `${imageId(1)}00`));
    expect((await person(OWNER, `${imageId(1)}00`))?.faceCount).toBe(6);
  });

  it('makes one person of photos of a new person grouped at the same moment (those that founded one merge)', async () => {
    const ids = [1, 2, 3, 4].map(imageId);
    const results = await Promise.all(
      ids.map((id, i) => store.groupFaces(OWNER, id, described(nearDescriptor(ADA, 0.1, 40 + i)))),
    );
    const { items } = await store.list(OWNER, { limit: 10 });
    // Which images found a person depends on the interleaving (a face written late enough joins one instead); the
    // founders merge into the earliest of them, so the one left is one of the founded ids.
    expect(items.map(({ faceCount }) => faceCount)).toEqual([4]);
    const kept = items[0]?.personId;
    expect(ids.map((id) => `${id}00`)).toContain(kept);
    for (const result of results) {
      expect((await store.get(OWNER, result.faces[0]?.personId ?? ''))?.personId).toBe(kept);
    }
  });

  it('keeps a named person through a re-cluster that takes all its images away at once (keepEmptyPeople)', async () => {
    const near = nearDescriptor(ADA, 0.1, 50);
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(near));
    await store.rename(OWNER, `${imageId(1)}00`, 'Ada');
    await Promise.all([1, 2].map((n) => store.deleteImageFaces(OWNER, imageId(n), { keepEmptyPeople: true })));
    expect(await store.get(OWNER, `${imageId(1)}00`)).toBeUndefined();
    expect((await store.list(OWNER, { limit: 10 })).items).toEqual([]);
    const again = { regroup: true };
    await Promise.all([
      store.groupFaces(OWNER, imageId(1), described(ADA), again),
      store.groupFaces(OWNER, imageId(2), described(near), again),
    ]);
    const { items } = await store.list(OWNER, { limit: 10 });
    expect(items.map(({ personId, name, faceCount }) => ({ personId, name, faceCount }))).toEqual([
      { personId: `${imageId(1)}00`, name: 'Ada', faceCount: 2 },
    ]);
  });

  it('keeps the name whichever of its images a re-cluster groups first: the later one founds, the first one merges', async () => {
    const near = nearDescriptor(ADA, 0.1, 51);
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(near));
    await store.rename(OWNER, `${imageId(1)}00`, 'Ada');
    for (const n of [1, 2]) await store.deleteImageFaces(OWNER, imageId(n), { keepEmptyPeople: true });
    // Image 2 first: it sees no face and founds a person; image 1 then joins it, and merges it into the one it founded.
    await store.groupFaces(OWNER, imageId(2), described(near), { regroup: true });
    await store.groupFaces(OWNER, imageId(1), described(ADA), { regroup: true });
    const { items } = await store.list(OWNER, { limit: 10 });
    expect(items.map(({ personId, name, faceCount }) => ({ personId, name, faceCount }))).toEqual([
      { personId: `${imageId(1)}00`, name: 'Ada', faceCount: 2 },
    ]);
  });

  it('counts each face once when another delivery of the same image groups it between our read and our write', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    const faces = described(nearDescriptor(ADA, 0.1, 30), BOB);
    let other: Promise<unknown> | undefined;
    // The other delivery runs whole just before this one's first transaction: the face item is there by then.
    const overtaken = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand && other === undefined) {
          other = store.groupFaces(OWNER, imageId(2), faces);
          await other;
        }
        return moto.client.send(command as GetCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const late = await storeOn(overtaken).groupFaces(OWNER, imageId(2), faces);
    expect(late).toEqual(await other);
    expect((await person(OWNER, `${imageId(1)}00`))?.faceCount).toBe(2);
    expect((await person(OWNER, `${imageId(2)}01`))?.faceCount).toBe(1);
  });

  it('says each search of the index it makes: two for a face that founds, one for one that joins, none on a retry', async () => {
    const searched = async (id: string, faces: FaceDescriptions) => {
      let searches = 0;
      await store.groupFaces(OWNER, id, faces, { onSearch: () => void searches++ });
      return searches;
    };
    // Founding: the search, then the second look once written.
    expect(await searched(imageId(1), described(ADA))).toBe(2);
    expect(await searched(imageId(2), described(nearDescriptor(ADA, 0.1, 60)))).toBe(1);
    expect(await searched(imageId(2), described(nearDescriptor(ADA, 0.1, 60)))).toBe(0);
    expect(await searched(imageId(3), described(nearDescriptor(ADA, 0.1, 61), BOB))).toBe(3);
  });

  it('groups MAX_FACES_PER_IMAGE faces of an image at most and counts the rest as over the cap', async () => {
    const many = Array.from({ length: MAX_FACES_PER_IMAGE + 2 }, (_, i) => personDescriptor(1000 + i));
    // The cap is the claim, not the index: faces of one image never join each other and these people are 1.4
    // apart, so an LSH index finds no one either. It cost 72 Queries a face, and its 4 entries a face made each of
    // the 50 transactions copy a table of up to 350 items 7 times (moto backs up the table per item): 30 s of 60.
    const unindexed = new PeopleStore(moto.client, table, FINDS_NO_ONE);
    const result = await unindexed.groupFaces(OWNER, imageId(1), described(...many));
    expect(result.faces).toHaveLength(MAX_FACES_PER_IMAGE);
    expect(result.skipped).toEqual({ tooSmall: SKIPPED.tooSmall, overCap: 2 });
    expect(await itemCounts(OWNER, [imageId(1)])).toBe(MAX_FACES_PER_IMAGE);
  });

  it('refuses a face without a descriptor of 128 numbers, writing nothing', async () => {
    const bad = { faces: [{ face: 0, box: box(), descriptor: [0.1, 0.2] }], skipped: SKIPPED };
    await expect(store.groupFaces(OWNER, imageId(1), bad)).rejects.toThrow(
      'face 0 has no descriptor of 128 finite numbers',
    );
    expect(await itemCounts(OWNER, [imageId(1)])).toBe(0);
  });
});
