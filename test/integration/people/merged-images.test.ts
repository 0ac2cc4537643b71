import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DescribedFace, FaceDescriptions } from '../../../lambdas/people/contract';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import type { RepointImage } from '../../../lambdas/people/merged-images';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { listKeys, personKey } from '../../../lambdas/people/table-design';
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

const OWNER = 'owner-a';

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

function described(descriptor: number[]): FaceDescriptions {
  const face: DescribedFace = { face: 0, box: box(0), descriptor };
  return { faces: [face], skipped: { tooSmall: 0, overCap: 0 } };
}

/** A person of `faces` faces, each in an image of its own: its id and its images. */
async function personWith(faces: number, seed: number): Promise<{ id: string; images: string[] }> {
  const descriptor = personDescriptor(seed);
  const ids: string[] = [];
  let founder = '';
  for (let i = 0; i < faces; i++) {
    images += 1;
    ids.push(imageId(images));
    const face = i === 0 ? descriptor : nearDescriptor(descriptor, 0.1, seed * 100 + i);
    const { faces: grouped } = await store.groupFaces(OWNER, imageId(images), described(face));
    founder ||= grouped[0]?.personId ?? '';
  }
  return { id: founder, images: ids };
}

/** A `repoint` that records what it is handed and answers `done`. */
function recorder(done = true) {
  const handed: Array<{ imageId: string; merged: string[]; personId: string }> = [];
  const repoint: RepointImage = async (image, merged, personId) => {
    handed.push({ imageId: image, merged: [...merged].sort(), personId });
    return done;
  };
  return { handed, repoint };
}

describe('re-pointing the images of merged people', () => {
  it("reads the merged ids until each of their images is re-pointed, then the person's own id alone", async () => {
    const [ada, bob, cy] = [await personWith(1, 610), await personWith(2, 611), await personWith(1, 612)];
    await store.merge(OWNER, ada.id, [bob.id, cy.id]);
    await store.rename(OWNER, ada.id, 'Ada Lovelace');
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id, bob.id, cy.id]);
    expect(await store.named(OWNER, 'lovelace')).toEqual([ada.id, bob.id, cy.id]);
    const { handed, repoint } = recorder();
    await expect(store.repointMerged(OWNER, ada.id, repoint, { budget: 10 })).resolves.toEqual({
      images: 3,
      done: true,
    });
    expect(handed.map((one) => one.imageId).sort()).toEqual([...bob.images, ...cy.images].sort());
    expect(handed[0]).toMatchObject({ merged: [bob.id, cy.id].sort(), personId: ada.id });
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id]);
    expect(await store.termsOf(OWNER, bob.id)).toEqual([ada.id]);
    expect(await store.named(OWNER, 'lovelace')).toEqual([ada.id]);
    // Nothing left: a second pass reads the person and hands nothing.
    await expect(store.repointMerged(OWNER, ada.id, recorder().repoint, { budget: 10 })).resolves.toEqual({
      images: 0,
      done: true,
    });
  });

  it('keeps reading the merged ids past its budget, or while an image could not be re-pointed', async () => {
    const [ada, bob] = [await personWith(1, 620), await personWith(3, 621)];
    await store.merge(OWNER, ada.id, [bob.id]);
    await expect(store.repointMerged(OWNER, ada.id, recorder().repoint, { budget: 2 })).resolves.toEqual({
      images: 2,
      done: false,
    });
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id, bob.id]);
    await expect(store.repointMerged(OWNER, ada.id, recorder(false).repoint, { budget: 10 })).resolves.toEqual({
      images: 3,
      done: false,
    });
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id, bob.id]);
  });

  it('keeps the ids of a merge made while it ran, and a later merge carries on with every id left', async () => {
    const [ada, bob, cy] = [await personWith(1, 630), await personWith(1, 631), await personWith(1, 632)];
    await store.merge(OWNER, ada.id, [bob.id]);
    const during: RepointImage = async () => {
      await store.merge(OWNER, ada.id, [cy.id]);
      return true;
    };
    await expect(store.repointMerged(OWNER, ada.id, during, { budget: 10 })).resolves.toEqual({
      images: 1,
      done: false,
    });
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id, bob.id, cy.id]);
    const { handed, repoint } = recorder();
    await expect(store.repointMerged(OWNER, ada.id, repoint, { budget: 10 })).resolves.toEqual({
      images: 2,
      done: true,
    });
    expect(handed.map((one) => one.imageId).sort()).toEqual([...bob.images, ...cy.images].sort());
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id]);
  });

  it('counts every merged id of a person merged before re-pointing existed as still to re-point', async () => {
    const ada = await personWith(1, 640);
    await moto.client.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...personKey(OWNER, ada.id),
          ...listKeys(OWNER, ada.id, 3),
          personId: ada.id,
          name: null,
          faceCount: 3,
          cover: { imageId: ada.images[0], face: 0, box: box(0) },
          mergedFrom: ['Gone1', 'Gone2'],
          revision: 4,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      }),
    );
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id, 'Gone1', 'Gone2']);
    await expect(store.repointMerged(OWNER, ada.id, recorder().repoint, { budget: 10 })).resolves.toEqual({
      images: 0,
      done: true,
    });
    expect(await store.termsOf(OWNER, ada.id)).toEqual([ada.id]);
  });

  it('records a face grouped again after its person was merged as the person it now is', async () => {
    const [ada, bob] = [await personWith(1, 650), await personWith(1, 651)];
    await store.merge(OWNER, ada.id, [bob.id]);
    const again = await store.groupFaces(OWNER, bob.images[0] as string, described(personDescriptor(651)));
    expect(again.faces).toEqual([{ face: 0, personId: ada.id }]);
  });
});
