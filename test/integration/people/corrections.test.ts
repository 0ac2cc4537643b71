import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { FaceDescriptions } from '../../../lambdas/people/contract';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { faceKey, personKey, unassignedKey } from '../../../lambdas/people/table-design';
import { NotFoundError } from '../../../lambdas/shared/errors';
import {
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
 * The owner's corrections (docs/people.md, corrections) on a moto people table: what they change at once, and that
 * the processor's grouping (a retry) and a re-cluster (the image's faces removed, then grouped again) honour them.
 */

const ADA = personDescriptor(21);
const BOB = personDescriptor(22);
const OWNER = 'owner-a';

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

/** Ada's photos: image n has one face, `0.1 * n` from ADA in a direction of its own. */
const adaPhoto = (n: number) => described(nearDescriptor(ADA, 0.1, 100 + n));

/** A re-cluster of one image, as the processor does it (processor/people.ts). */
async function regroup(n: number, faces: FaceDescriptions) {
  await store.deleteImageFaces(OWNER, imageId(n), { keepEmptyPeople: true });
  return store.groupFaces(OWNER, imageId(n), faces, { regroup: true });
}

async function item(key: { pk: string; sk: string }) {
  const { Item } = await moto.client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

const ada = `${imageId(1)}00`;

async function threeAdaPhotos() {
  for (const n of [1, 2, 3]) await store.groupFaces(OWNER, imageId(n), adaPhoto(n));
  expect((await store.get(OWNER, ada))?.faceCount).toBe(3);
}

describe('a face taken out of a person ("not this person")', () => {
  it('leaves the person one face fewer and the face unassigned, with a correction naming the person', async () => {
    await threeAdaPhotos();
    const removed = await store.removeFaces(OWNER, ada, imageId(3));
    expect(removed).toEqual({ faces: [0], person: expect.objectContaining({ personId: ada, faceCount: 2 }) });
    const face = await item(faceKey(OWNER, imageId(3), 0));
    expect(face?.personId).toBeUndefined();
    expect(face?.unassigned).toBe(true);
    expect((await item(unassignedKey(OWNER, imageId(3), 0)))?.notPeople).toEqual([ada]);
  });

  it('is not put back by a retried grouping nor by a re-cluster of its image', async () => {
    await threeAdaPhotos();
    await store.removeFaces(OWNER, ada, imageId(3));
    expect((await store.groupFaces(OWNER, imageId(3), adaPhoto(3))).faces).toEqual([]);
    expect((await regroup(3, adaPhoto(3))).faces).toEqual([]);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
    // Its other photos regrouped still find each other: only the corrected face is out.
    expect((await regroup(2, adaPhoto(2))).faces).toEqual([{ face: 0, personId: ada }]);
  });

  it('is found by no later face: a new photo near it alone founds its own person', async () => {
    await store.groupFaces(OWNER, imageId(1), described(BOB));
    await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(BOB, 0.1, 7)));
    await store.removeFaces(OWNER, `${imageId(1)}00`, imageId(2));
    const later = await store.groupFaces(OWNER, imageId(5), described(nearDescriptor(BOB, 0.1, 7)));
    // Its only near faces are Bob's first (still Bob) and the unassigned one (in no index): it joins Bob.
    expect(later.faces).toEqual([{ face: 0, personId: `${imageId(1)}00` }]);
  });

  it('deletes a person left with no face, and its founding face does not found it again on a re-cluster', async () => {
    await store.groupFaces(OWNER, imageId(1), described(BOB));
    await store.removeFaces(OWNER, `${imageId(1)}00`, imageId(1));
    expect(await store.get(OWNER, `${imageId(1)}00`)).toBeUndefined();
    expect((await regroup(1, described(BOB))).faces).toEqual([]);
    expect(await store.get(OWNER, `${imageId(1)}00`)).toBeUndefined();
  });

  it('answers 404 for an image without a face of the person, and for one face given that is not its', async () => {
    await threeAdaPhotos();
    await store.groupFaces(OWNER, imageId(4), described(BOB));
    await expect(store.removeFaces(OWNER, ada, imageId(4))).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.removeFaces(OWNER, ada, imageId(3), 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.removeFaces('owner-b', ada, imageId(3))).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.get(OWNER, ada))?.faceCount).toBe(3);
  });

  it("goes with its image: deleting the image deletes the face's correction", async () => {
    await threeAdaPhotos();
    await store.removeFaces(OWNER, ada, imageId(3));
    await store.deleteImageFaces(OWNER, imageId(3));
    expect(await item(faceKey(OWNER, imageId(3), 0))).toBeUndefined();
    expect(await item(unassignedKey(OWNER, imageId(3), 0))).toBeUndefined();
    expect((await store.get(OWNER, ada))?.faceCount).toBe(2);
  });
});

describe('a deleted person', () => {
  it('is not listed, not found, has no terms or name, and its faces read as unassigned on a retry', async () => {
    await threeAdaPhotos();
    await store.rename(OWNER, ada, 'Ada Lovelace');
    await store.deletePerson(OWNER, ada);
    expect(await store.get(OWNER, ada)).toBeUndefined();
    expect((await store.list(OWNER, { limit: 10 })).items).toEqual([]);
    expect(await store.termsOf(OWNER, ada)).toEqual([]);
    expect(await store.named(OWNER, 'ada')).toEqual([]);
    expect((await store.groupFaces(OWNER, imageId(2), adaPhoto(2))).faces).toEqual([]);
    expect((await item(personKey(OWNER, ada)))?.name).toBeNull();
  });

  it('is not made again by a re-cluster, whichever of its images comes first, nor joined by a new face', async () => {
    await threeAdaPhotos();
    await store.deletePerson(OWNER, ada);
    for (const n of [2, 1, 3]) expect((await regroup(n, adaPhoto(n))).faces).toEqual([]);
    expect(await store.get(OWNER, ada)).toBeUndefined();
    const later = await store.groupFaces(OWNER, imageId(6), adaPhoto(6));
    expect(later.faces).toEqual([{ face: 0, personId: `${imageId(6)}00` }]);
  });

  it('answers 404 to its merged id and to a second delete', async () => {
    await store.groupFaces(OWNER, imageId(1), described(BOB));
    await store.groupFaces(OWNER, imageId(2), described(ADA));
    await store.merge(OWNER, `${imageId(1)}00`, [`${imageId(2)}00`]);
    await expect(store.deletePerson(OWNER, `${imageId(2)}00`)).rejects.toBeInstanceOf(NotFoundError);
    await store.deletePerson(OWNER, `${imageId(1)}00`);
    await expect(store.deletePerson(OWNER, `${imageId(1)}00`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.merge(OWNER, `${imageId(1)}00`, [`${imageId(2)}00`])).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('a hidden person', () => {
  it('leaves the people list for the hidden list, keeps it as it gains faces, and comes back when shown', async () => {
    await threeAdaPhotos();
    await store.groupFaces(OWNER, imageId(4), described(BOB));
    const hidden = await store.setHidden(OWNER, ada, true);
    expect(hidden).toEqual(expect.objectContaining({ personId: ada, hidden: true }));
    expect((await store.list(OWNER, { limit: 10 })).items.map((p) => p.personId)).toEqual([`${imageId(4)}00`]);
    await store.groupFaces(OWNER, imageId(5), adaPhoto(5));
    const listed = (await store.list(OWNER, { limit: 10, hidden: true })).items;
    expect(listed).toEqual([expect.objectContaining({ personId: ada, faceCount: 4, hidden: true })]);
    await store.setHidden(OWNER, ada, false);
    expect((await store.list(OWNER, { limit: 10 })).items.map((p) => p.personId)).toEqual([ada, `${imageId(4)}00`]);
    expect((await store.list(OWNER, { limit: 10, hidden: true })).items).toEqual([]);
    expect(await store.termsOf(OWNER, ada)).toEqual([ada]);
  });
});

describe('merge suggestions', () => {
  // Two people whose photos are 0.55 apart: past the match distance (0.5), within the suggestion distance (0.6).
  const near = nearDescriptor(ADA, 0.55, 31);

  async function twoPeople() {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(near));
    await store.groupFaces(OWNER, imageId(3), described(BOB));
  }

  it('suggests two people with faces past the match distance but within the suggestion distance, once', async () => {
    await twoPeople();
    const page = await store.suggestions(OWNER, { limit: 10 });
    expect(page.items).toHaveLength(1);
    const [suggestion] = page.items;
    expect(suggestion?.people.map((p) => p.personId).sort()).toEqual([`${imageId(1)}00`, `${imageId(2)}00`]);
    expect(suggestion?.distance).toBeCloseTo(0.55, 2);
  });

  it('never suggests a dismissed pair again, through a re-cluster too', async () => {
    await twoPeople();
    await store.dismissSuggestion(OWNER, [`${imageId(2)}00`, `${imageId(1)}00`]);
    expect((await store.suggestions(OWNER, { limit: 10 })).items).toEqual([]);
    await regroup(1, described(ADA));
    await regroup(2, described(near));
    expect((await store.suggestions(OWNER, { limit: 10 })).items).toEqual([]);
  });

  it('suggests no hidden person, and nothing once the two are merged', async () => {
    await twoPeople();
    await store.setHidden(OWNER, `${imageId(2)}00`, true);
    expect((await store.suggestions(OWNER, { limit: 10 })).items).toEqual([]);
    await store.setHidden(OWNER, `${imageId(2)}00`, false);
    await store.merge(OWNER, `${imageId(1)}00`, [`${imageId(2)}00`]);
    expect((await store.suggestions(OWNER, { limit: 10 })).items).toEqual([]);
  });

  it('refuses to dismiss a person with itself (a merged id is the person it is) and unknown people', async () => {
    await twoPeople();
    await store.merge(OWNER, `${imageId(1)}00`, [`${imageId(2)}00`]);
    await expect(store.dismissSuggestion(OWNER, [`${imageId(1)}00`, `${imageId(2)}00`])).rejects.toThrow(/one person/);
    await expect(store.dismissSuggestion(OWNER, [`${imageId(1)}00`, `${imageId(9)}00`])).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('a confirmed merge', () => {
  it('stays through a re-cluster, in either order of its images', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(BOB));
    await store.merge(OWNER, `${imageId(1)}00`, [`${imageId(2)}00`]);
    for (const order of [
      [2, 1],
      [1, 2],
    ]) {
      for (const n of order) await regroup(n, described(n === 1 ? ADA : BOB));
      expect(await store.get(OWNER, `${imageId(2)}00`)).toEqual(
        expect.objectContaining({ personId: `${imageId(1)}00`, faceCount: 2 }),
      );
    }
  });
});
