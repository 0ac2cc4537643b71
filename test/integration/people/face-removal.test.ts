import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LshFaceIndex } from '../../../lambdas/people/face-index';
import { PeopleStore } from '../../../lambdas/people/people-store';
import { personKey } from '../../../lambdas/people/table-design';
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

const ADA = personDescriptor(101);
const BOB = personDescriptor(102);
const OWNER = 'owner-a';
const ADA_ID = `${imageId(1)}00`;

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

function storeOn(client: DynamoDBDocumentClient): PeopleStore {
  return new PeopleStore(client, table, new LshFaceIndex(moto.client, table));
}

/** Every key in the table: what a delete must leave behind (nothing of the image's faces). */
async function keys(): Promise<string[]> {
  const { Items = [] } = await moto.client.send(new ScanCommand({ TableName: table }));
  return Items.map((item) => `${item.pk} ${item.sk}`).sort();
}

/** Ada in images 1, 2, 3 (the cover is image 1's face); Bob alone in image 2. */
async function library() {
  await store.groupFaces(OWNER, imageId(1), described(ADA));
  await store.groupFaces(OWNER, imageId(2), described(nearDescriptor(ADA, 0.1, 1), BOB));
  await store.groupFaces(OWNER, imageId(3), described(nearDescriptor(ADA, 0.1, 2)));
}

describe('deleteImageFaces', () => {
  it("takes the image's faces off their people and leaves no face, bucket or record of them", async () => {
    await library();
    const before = await keys();
    await store.deleteImageFaces(OWNER, imageId(3));
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(2);
    const after = await keys();
    expect(after.filter((key) => key.includes(imageId(3)))).toEqual([]);
    // The face, Ada's record of it and its 4 buckets.
    expect(before.length - after.length).toBe(6);
  });

  it("deletes a person left without faces, and the person's keys with it", async () => {
    await library();
    const bob = `${imageId(2)}01`;
    await store.deleteImageFaces(OWNER, imageId(2));
    expect(await store.get(OWNER, bob)).toBeUndefined();
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(2);
    expect((await keys()).filter((key) => key.includes(bob))).toEqual([]);
  });

  it("moves the cover to the person's next face when the cover's image is deleted", async () => {
    await library();
    await store.deleteImageFaces(OWNER, imageId(1));
    expect(await store.get(OWNER, ADA_ID)).toEqual(
      expect.objectContaining({ faceCount: 2, cover: { imageId: imageId(2), box: box(0) } }),
    );
    const next = await store.groupFaces(OWNER, imageId(4), described(nearDescriptor(ADA, 0.1, 3)));
    expect(next.faces[0]?.personId).toBe(ADA_ID);
  });

  it('counts each face off once when run twice, or when its image has no faces', async () => {
    await library();
    await store.deleteImageFaces(OWNER, imageId(3));
    const once = await keys();
    await store.deleteImageFaces(OWNER, imageId(3));
    await store.deleteImageFaces(OWNER, imageId(9));
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(2);
    expect(await keys()).toEqual(once);
  });

  it('gives an image deleted and processed again the same people, counted once more', async () => {
    await library();
    await store.deleteImageFaces(OWNER, imageId(1));
    const again = await store.groupFaces(OWNER, imageId(1), described(ADA));
    expect(again.faces).toEqual([{ face: 0, personId: ADA_ID }]);
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(3);
  });

  it('joins the person a face founded, still alive under its id, when the face comes back matching no one', async () => {
    await library();
    await store.deleteImageFaces(OWNER, imageId(1));
    // Another model's descriptor, far from every face: the id it would found is its old person's, which lives on.
    const again = await store.groupFaces(OWNER, imageId(1), described(personDescriptor(999)));
    expect(again.faces).toEqual([{ face: 0, personId: ADA_ID }]);
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(3);
  });

  it('finishes after a crash between two faces, counting the first one off once', async () => {
    await library();
    let transactions = 0;
    const crashing = {
      send: (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'TransactWriteCommand' && ++transactions > 1) {
          return Promise.reject(new Error('the function timed out'));
        }
        return moto.client.send(command as GetCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    await expect(storeOn(crashing).deleteImageFaces(OWNER, imageId(2))).rejects.toThrow('timed out');
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(2);
    expect(await store.get(OWNER, `${imageId(2)}01`)).toBeDefined();
    await store.deleteImageFaces(OWNER, imageId(2));
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(2);
    expect(await store.get(OWNER, `${imageId(2)}01`)).toBeUndefined();
  });

  it('takes a face of a merged person off the person it was merged into, and deletes both ids with the last face', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(BOB));
    const bob = `${imageId(2)}00`;
    await store.merge(OWNER, ADA_ID, [bob]);
    await store.deleteImageFaces(OWNER, imageId(2));
    expect((await store.get(OWNER, ADA_ID))?.faceCount).toBe(1);
    await store.deleteImageFaces(OWNER, imageId(1));
    expect(await store.get(OWNER, ADA_ID)).toBeUndefined();
    expect(await keys()).toEqual([]);
  });

  it('finds the cover among the faces of a merged person when the target has none left', async () => {
    await store.groupFaces(OWNER, imageId(1), described(ADA));
    await store.groupFaces(OWNER, imageId(2), described(BOB));
    await store.merge(OWNER, ADA_ID, [`${imageId(2)}00`]);
    await store.deleteImageFaces(OWNER, imageId(1));
    expect(await store.get(OWNER, ADA_ID)).toEqual(
      expect.objectContaining({ personId: ADA_ID, faceCount: 1, cover: { imageId: imageId(2), box: box(0) } }),
    );
    const { Item } = await moto.client.send(new GetCommand({ TableName: table, Key: personKey(OWNER, ADA_ID) }));
    expect(Item?.peopleRank).toBe(`0000000001#${ADA_ID}`);
  });
});
