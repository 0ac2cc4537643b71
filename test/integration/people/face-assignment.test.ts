import { RekognitionClient, SearchFacesCommand } from '@aws-sdk/client-rekognition';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { FaceDescriptions } from '../../../lambdas/people/contract';
import { DRAWN_FACE_FIRST } from '../../../lambdas/people/face-assignment';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { RekognitionFaceIndex } from '../../../lambdas/people/rekognition-face-index';
import { faceKey, memberKey, personKey, rekognitionRefKey, unassignedKey } from '../../../lambdas/people/table-design';
import { ConflictError, NotFoundError } from '../../../lambdas/shared/errors';
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

/*
 * A face given to a person by its owner, and a face drawn (docs/people.md, corrections; face-assignment.ts) on a moto
 * people table: what changes at once, and that grouping (a retry, a later face) and a re-cluster keep the owner's word.
 */

const ADA = personDescriptor(41);
const BOB = personDescriptor(42);
const OWNER = 'owner-a';
const DRAWN = { left: 0.6, top: 0.1, width: 0.2, height: 0.25 };

let moto: PeopleMoto;
let table: string;
let store: PeopleStore;

beforeAll(() => {
  moto = peopleMoto();
});
afterAll(() => moto.dynamodb.destroy());
beforeEach(async () => {
  table = await createPeopleTable(moto.dynamodb);
  store = new PeopleStore(moto.client, table, new LshFaceIndex(moto.client, table));
});

const adaPhoto = (n: number) => described(nearDescriptor(ADA, 0.1, 200 + n));
const bobPhoto = (n: number) => described(nearDescriptor(BOB, 0.1, 300 + n));
const ada = `${imageId(1)}00`;
const bob = `${imageId(4)}00`;

async function item(key: { pk: string; sk: string }) {
  const { Item } = await moto.client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

/** Ada in images 1-3, Bob in 4 and 5. */
async function library() {
  for (const n of [1, 2, 3]) await store.groupFaces(OWNER, imageId(n), adaPhoto(n));
  for (const n of [4, 5]) await store.groupFaces(OWNER, imageId(n), bobPhoto(n));
  expect((await store.get(OWNER, ada))?.faceCount).toBe(3);
  expect((await store.get(OWNER, bob))?.faceCount).toBe(2);
}

async function regroup(n: number, faces: FaceDescriptions) {
  await store.deleteImageFaces(OWNER, imageId(n), { keepEmptyPeople: true });
  return store.groupFaces(OWNER, imageId(n), faces, { regroup: true });
}

describe('a face given to another person', () => {
  it('moves from its person to the other: both counts follow, the records of it move, the face is the owner’s', async () => {
    await library();
    const assigned = await store.assignFace(OWNER, imageId(3), 0, { personId: bob });
    expect(assigned).toEqual({
      face: 0,
      person: expect.objectContaining({ personId: bob, faceCount: 3 }),
      described: true,
      previous: { personId: ada, emptied: false },
    });
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
    expect(await item(faceKey(OWNER, imageId(3), 0))).toMatchObject({ personId: bob, source: 'owner' });
    expect(await item(memberKey(OWNER, ada, imageId(3), 0))).toBeUndefined();
    expect(await item(memberKey(OWNER, bob, imageId(3), 0))).toBeDefined();
  });

  it('takes a face left unassigned by "Not this person", and its correction goes', async () => {
    await library();
    await store.removeFaces(OWNER, ada, imageId(3));
    expect(await item(unassignedKey(OWNER, imageId(3), 0))).toBeDefined();
    // Still the face the analysis described: the record keeps no box for it.
    expect((await store.assignFace(OWNER, imageId(3), 0, { personId: bob })).described).toBe(true);
    expect(await item(unassignedKey(OWNER, imageId(3), 0))).toBeUndefined();
    expect((await store.get(OWNER, bob))?.faceCount).toBe(3);
    expect((await store.groupFaces(OWNER, imageId(3), adaPhoto(3))).faces).toEqual([{ face: 0, personId: bob }]);
  });

  it('founds a new person by name, found by that name', async () => {
    await library();
    const assigned = await store.assignFace(OWNER, imageId(2), 0, { name: 'Ada Byron' });
    expect(assigned.person).toEqual(expect.objectContaining({ name: 'Ada Byron', faceCount: 1 }));
    expect(assigned.person.personId).toMatch(/^[0-9A-Z]{26}$/);
    expect(await store.named(OWNER, 'byron')).toEqual([assigned.person.personId]);
    expect((await store.list(OWNER, { limit: 10 })).items).toHaveLength(3);
  });

  it('deletes the person it leaves when that was its last face', async () => {
    await library();
    await store.groupFaces(OWNER, imageId(7), described(personDescriptor(43)));
    const lone = `${imageId(7)}00`;
    const assigned = await store.assignFace(OWNER, imageId(7), 0, { personId: ada });
    expect(assigned.previous).toEqual({ personId: lone, emptied: true });
    expect(await store.get(OWNER, lone)).toBeUndefined();
    expect(await item(personKey(OWNER, lone))).toBeUndefined();
  });

  it('changes nothing when given to the person it is in', async () => {
    await library();
    const before = await item(personKey(OWNER, ada));
    expect((await store.assignFace(OWNER, imageId(2), 0, { personId: ada })).previous).toBeUndefined();
    expect(await item(personKey(OWNER, ada))).toEqual(before);
  });

  it('answers 404 for an unknown face, an unknown or another owner’s person, changing nothing', async () => {
    await library();
    await expect(store.assignFace(OWNER, imageId(3), 4, { personId: bob })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.assignFace(OWNER, imageId(3), 0, { personId: 'nobody' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.assignFace('owner-b', imageId(3), 0, { personId: bob })).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(3);
  });

  /** Assign image 3's face to Bob while another writer bumps Ada's revision before each of the first `times` writes. */
  async function assignRaced(times: number) {
    const send = moto.client.send.bind(moto.client);
    let bumped = 0;
    const spy = jest.spyOn(moto.client, 'send').mockImplementation((async (command: object) => {
      if (bumped < times && command.constructor.name === 'TransactWriteCommand') {
        bumped += 1;
        await send(
          new UpdateCommand({
            TableName: table,
            Key: personKey(OWNER, ada),
            UpdateExpression: 'SET revision = revision + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
      return send(command as never);
    }) as never);
    try {
      return await store.assignFace(OWNER, imageId(3), 0, { personId: bob });
    } finally {
      spy.mockRestore();
    }
  }

  it('is read again when its person changed meanwhile (a conditional write cancelled), and counted once', async () => {
    await library();
    await assignRaced(1);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
    expect((await store.get(OWNER, bob))?.faceCount).toBe(3);
  });

  it('answers 409 when its person changes under every attempt, changing nothing', async () => {
    await library();
    await expect(assignRaced(100)).rejects.toBeInstanceOf(ConflictError);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(3);
    expect((await store.get(OWNER, bob))?.faceCount).toBe(2);
  });

  it('is kept by a re-cluster of its image, and a later face near it joins its new person', async () => {
    await library();
    await store.assignFace(OWNER, imageId(3), 0, { personId: bob });
    expect((await regroup(3, adaPhoto(3))).faces).toEqual([{ face: 0, personId: bob }]);
    expect((await store.get(OWNER, bob))?.faceCount).toBe(3);
    // A new photo nearest to image 3's face (the same descriptor) joins Bob through it.
    const later = await store.groupFaces(OWNER, imageId(8), adaPhoto(3));
    expect(later.faces).toEqual([{ face: 0, personId: bob }]);
  });
});

describe('a face drawn by its owner', () => {
  it('is a new face from 900 on in the person, with its box and no descriptor; the next takes 901', async () => {
    await library();
    const drawn = await store.drawFace(OWNER, imageId(1), DRAWN, { personId: bob });
    expect(drawn).toEqual({
      face: DRAWN_FACE_FIRST,
      person: expect.objectContaining({ personId: bob, faceCount: 3 }),
      described: false,
    });
    const stored = await item(faceKey(OWNER, imageId(1), DRAWN_FACE_FIRST));
    expect(stored).toMatchObject({ box: DRAWN, personId: bob, source: 'owner' });
    expect(stored?.descriptor).toBeUndefined();
    expect((await store.drawFace(OWNER, imageId(1), DRAWN, { name: 'Someone' })).face).toBe(DRAWN_FACE_FIRST + 1);
  });

  it('is kept, with its box, by a retried grouping and a re-cluster of its image', async () => {
    await library();
    await store.drawFace(OWNER, imageId(1), DRAWN, { personId: bob });
    const kept = [
      { face: 0, personId: ada },
      { face: DRAWN_FACE_FIRST, personId: bob, box: DRAWN },
    ];
    expect((await store.groupFaces(OWNER, imageId(1), adaPhoto(1))).faces).toEqual(kept);
    expect((await regroup(1, adaPhoto(1))).faces).toEqual(kept);
    expect((await store.get(OWNER, bob))?.faceCount).toBe(3);
  });

  it('can be given to another person, taken out, and goes with its image; no suggestion reads it', async () => {
    await library();
    await store.drawFace(OWNER, imageId(1), DRAWN, { name: 'Carol' });
    const carol = (await store.list(OWNER, { limit: 10 })).items.find((p) => p.name === 'Carol');
    expect(carol).toBeDefined();
    // Carol's cover has no descriptor: suggestions pass over her.
    await expect(store.suggestions(OWNER, { limit: 10 })).resolves.toBeDefined();
    await store.assignFace(OWNER, imageId(1), DRAWN_FACE_FIRST, { personId: bob });
    expect(await store.get(OWNER, carol?.personId as string)).toBeUndefined();
    await store.removeFaces(OWNER, bob, imageId(1), DRAWN_FACE_FIRST);
    expect((await store.get(OWNER, bob))?.faceCount).toBe(2);
    await store.deleteImageFaces(OWNER, imageId(1));
    expect(await item(faceKey(OWNER, imageId(1), DRAWN_FACE_FIRST))).toBeUndefined();
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
  });
});

describe('a face given to another person, with Rekognition', () => {
  // The collection is Amazon's (moto's is canned): its two calls answered in memory, the people table on moto.
  const ONE = '11111111-2222-3333-4444-555555555555';
  const TWO = '22222222-2222-3333-4444-555555555555';
  const rekognitionClient = new RekognitionClient({ region: 'us-east-1' });
  const rekognition = mockClient(rekognitionClient);
  afterAll(() => rekognition.restore());

  it('re-points its collection ref, so a later face that matches it joins the person it was given to', async () => {
    const index = new RekognitionFaceIndex(rekognitionClient, moto.client, { tableName: table, collectionId: 'faces' });
    const faces = new PeopleStore(moto.client, table, index);
    const indexed = (faceId: string): FaceDescriptions => ({
      faces: [{ face: 0, box: box(0), rekognitionFaceId: faceId }],
      skipped: { tooSmall: 0, overCap: 0 },
    });
    rekognition.on(SearchFacesCommand).resolves({ FaceMatches: [] });
    await faces.groupFaces(OWNER, imageId(1), indexed(ONE));
    const given = await faces.assignFace(OWNER, imageId(1), 0, { name: 'Ada' });
    expect(await item(rekognitionRefKey(OWNER, ONE))).toMatchObject({ personId: given.person.personId });
    // A later photo whose face the collection matches to the first joins Ada, not the person the first founded.
    rekognition.on(SearchFacesCommand).resolves({ FaceMatches: [{ Similarity: 99, Face: { FaceId: ONE } }] });
    expect((await faces.groupFaces(OWNER, imageId(2), indexed(TWO))).faces).toEqual([
      { face: 0, personId: given.person.personId },
    ]);
  });
});
