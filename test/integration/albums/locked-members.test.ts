import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { type AlbumsDeps, addAlbumImages, createAlbum, listAlbums, updateAlbum } from '../../../lambdas/albums/albums';
import { getAlbum } from '../../../lambdas/albums/functions/album-read';
import { createAlbumReadDeps } from '../../../lambdas/albums/functions/album-read-deps';
import { albumImagesOf } from '../../../lambdas/albums/functions/get-shared/album-images';
import { GetSharedEnvSchema } from '../../../lambdas/albums/functions/share-contract';
import { ImageRefs } from '../../../lambdas/albums/image-refs';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { SEARCH_TABLE } from '../../../lambdas/search/postings-design';
import { createPowertools } from '../../../lambdas/shared/powertools';
import { SHARES_TABLE } from '../../../lambdas/shares/table-design';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { useApiEnv } from '../../support/api-events';
import { imageIds, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * A manual album with a photo its owner moved into the locked folder (issue 80), against the run's moto: the records
 * are read as the functions read them (ImageStore.summaries and ImageRefs, each a projection), so this fails if a
 * projection leaves `locked` out and the locked photo shows on the album's page, its shared page, or as its cover.
 */

const OWNER = 'locked-members-owner';
const suffix = randomUUID().slice(0, 8);
const tables = {
  images: `images-${suffix}`,
  search: `search-${suffix}`,
  albums: `albums-${suffix}`,
  shares: `shares-${suffix}`,
};
const [open, locked] = imageIds(2) as [string, string];

const saved = { ...process.env };
useApiEnv({ AWS_ENDPOINT_URL: testEndpoint(), AWS_REGION: 'us-east-1' });
const dynamodb = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => {
  dynamodb.destroy();
  process.env = saved;
});

const images = new ImageStore(documents, tables.images);
const deps: AlbumsDeps = {
  albums: new AlbumStore(documents, tables.albums),
  refs: new ImageRefs(documents, tables.images),
  coverUrl: async (imageId) => `https://thumbs.example/${imageId}`,
};

/** A processed photo of the owner's, as a record read from the table holds it. */
async function photo(imageId: string, takenAt: string): Promise<void> {
  const item = { ...searchableItem(), imageId, owner: OWNER, takenKey: `${takenAt}#${imageId}`, takenAt };
  await documents.send(new PutCommand({ TableName: tables.images, Item: item }));
}

/** Lock or unlock it as `PUT /images/{id}/locked` leaves the record: `locked` set, nothing else read here changed. */
async function setLocked(imageId: string, value: boolean): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: tables.images,
      Key: { imageId },
      UpdateExpression: 'SET #locked = :locked',
      ExpressionAttributeNames: { '#locked': 'locked' },
      ExpressionAttributeValues: { ':locked': value },
    }),
  );
}

let albumId: string;

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  await createDeclaredTable(dynamodb, tables.albums, ALBUMS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.shares, SHARES_TABLE.design);
  await photo(open, '2024-05-01T10:00:00');
  await photo(locked, '2024-06-01T10:00:00');
  albumId = (await createAlbum({ name: 'Trip' }, { owner: OWNER, admin: false }, deps)).albumId;
  await addAlbumImages(albumId, [open, locked], { owner: OWNER, admin: false }, deps);
  await updateAlbum(albumId, { coverImageId: locked }, { owner: OWNER, admin: false }, deps);
  await setLocked(locked, true);
}, 60_000);

describe('an album with a locked photo', () => {
  const config = () =>
    GetSharedEnvSchema.parse({
      ...process.env,
      TABLE_NAME: tables.images,
      SEARCH_TABLE_NAME: tables.search,
      ALBUMS_TABLE: tables.albums,
      SHARES_TABLE: tables.shares,
    });

  it("leaves it out of its owner's page, and never shows it as the album's cover: the next shown one is", async () => {
    const links = { sign: async () => ({}), keysOf: () => ({}) };
    const read = createAlbumReadDeps(config(), createPowertools(config()), documents, images, {
      links,
      coverUrl: deps.coverUrl,
      newestCover: true,
    });
    const page = await getAlbum(albumId, { limit: 30 }, { owner: OWNER, admin: false }, read);
    expect(page.items.map((item) => item.imageId)).toEqual([open]);
    // Its own cover is locked, and so is its newest image, which would stand in: the next one shown does.
    expect(page.album).toMatchObject({ coverUrl: `https://thumbs.example/${open}` });
    expect(page.album).not.toHaveProperty('coverImageId');
    const [listed] = (await listAlbums({ limit: 10 }, { owner: OWNER, admin: false }, deps)).items;
    expect(listed).toMatchObject({ coverUrl: `https://thumbs.example/${open}` });
    expect(listed).not.toHaveProperty('coverImageId');
    // The cover set is kept, and shown again once the photo is unlocked.
    await setLocked(locked, false);
    try {
      const [again] = (await listAlbums({ limit: 10 }, { owner: OWNER, admin: false }, deps)).items;
      expect(again).toMatchObject({ coverImageId: locked, coverUrl: `https://thumbs.example/${locked}` });
    } finally {
      await setLocked(locked, true);
    }
  });

  it("leaves it out of the album's share link, and shows it again once unlocked", async () => {
    const albumImages = albumImagesOf(config(), createPowertools(config()), documents, images);
    const shown = async () =>
      (await albumImages({ albumId, owner: OWNER }, { limit: 30 }))?.images.map((image) => image.imageId);
    expect(await shown()).toEqual([open]);
    await setLocked(locked, false);
    try {
      expect((await shown())?.sort()).toEqual([open, locked].sort());
    } finally {
      await setLocked(locked, true);
    }
  });
});
