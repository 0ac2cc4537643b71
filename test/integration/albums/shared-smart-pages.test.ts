import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AlbumStore } from '../../../lambdas/albums/album-store';
import { newAlbumId } from '../../../lambdas/albums/albums';
import { albumImagesOf } from '../../../lambdas/albums/functions/get-shared/album-images';
import { GetSharedEnvSchema } from '../../../lambdas/albums/functions/share-contract';
import { ALBUMS_TABLE } from '../../../lambdas/albums/table-design';
import { ANALYSIS_VERSION } from '../../../lambdas/core/record';
import { storeStep } from '../../../lambdas/ingest/functions/processor/steps/store';
import type { Analysis, StepContext } from '../../../lambdas/kit/processor-step';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { ProcessorDeps } from '../../../lambdas/manifest/step-runners';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { SEARCH_TABLE } from '../../../lambdas/search/postings-design';
import { searchIndexStep } from '../../../lambdas/search/steps/search-index';
import { createPowertools } from '../../../lambdas/shared/powertools';
import { SHARES_TABLE } from '../../../lambdas/shares/table-design';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { useApiEnv } from '../../support/api-events';
import { imageIds, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * A smart album's link against the run's moto, through the function's own seam (album-images.ts, as GET
 * /shared/{token} makes it): however many views open the album's page, its search reads the postings once, and every
 * view is shown what that search found.
 */

const OWNER = 'smart-pages-owner';
const suffix = randomUUID().slice(0, 8);
const tables = {
  images: `images-${suffix}`,
  search: `search-${suffix}`,
  albums: `albums-${suffix}`,
  shares: `shares-${suffix}`,
};
const BOX = { left: 0.1, top: 0.1, width: 0.5, height: 0.5 };
const [older, newer, other] = imageIds(3) as [string, string, string];

// The function's own clients read the environment (its writer too): this emulator, in its region.
const saved = { ...process.env };
useApiEnv({ AWS_ENDPOINT_URL: testEndpoint(), AWS_REGION: 'us-east-1' });
const dynamodb = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => {
  dynamodb.destroy();
  process.env = saved;
});

/** Every Query sent to the search table: a smart album's search reads its postings so. */
const searchQueries: string[] = [];
documents.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { TableName?: string };
    if (context.commandName === 'QueryCommand' && input.TableName === tables.search) searchQueries.push('Query');
    return next(args);
  },
  { step: 'initialize', name: 'countSearchQueries' },
);

const images = new ImageStore(documents, tables.images);

/** A processed photo of the owner's, with the objects vision saw, indexed as a processing run indexes it. */
async function photo(imageId: string, object: string): Promise<void> {
  const base = searchableItem();
  const item: ImageItem = {
    ...base,
    imageId,
    owner: OWNER,
    filename: `${object}.jpg`,
    tags: [],
    key: `uploads/${imageId}.jpg`,
    analysisVersion: ANALYSIS_VERSION,
    updatedAt: new Date().toISOString(),
    vision: {
      ...(base.vision as NonNullable<ImageItem['vision']>),
      labels: [],
      objects: [{ name: object, confidence: 0.95, box: BOX }],
      text: { fullText: '', lines: [] },
    },
  };
  const at = new Date().toISOString();
  await images.createPending({
    imageId,
    entity: 'IMAGE',
    status: 'PENDING',
    owner: OWNER,
    createdAt: at,
    updatedAt: at,
    bucket: 'images-bucket',
    key: item.key,
  });
  const deps = { store: images, index: new SearchIndex(documents, tables.search, { records: images }) };
  const context = {
    notice: { owner: OWNER, reanalyse: false },
    attempt: { count: 1, last: false },
    deps: deps as unknown as ProcessorDeps,
    existing: await images.get(imageId),
    previous: undefined,
    reown: false,
    now: () => new Date().toISOString(),
  } as unknown as StepContext<ProcessorDeps>;
  const stored = await storeStep.run(context, { item } as Analysis);
  await searchIndexStep.run(context, { ...stored, item: stored.item } as Analysis);
}

let albumId: string;

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  await createDeclaredTable(dynamodb, tables.albums, ALBUMS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.shares, SHARES_TABLE.design);
  await photo(older, 'cat');
  await photo(newer, 'cat');
  await photo(other, 'dog');
  albumId = newAlbumId();
  const at = new Date().toISOString();
  await new AlbumStore(documents, tables.albums).create({
    albumId,
    owner: OWNER,
    name: 'Cats',
    kind: 'smart',
    smart: { object: ['cat'] },
    order: 'added',
    count: 0,
    createdAt: at,
    updatedAt: at,
  });
}, 60_000);

describe("a smart album's link", () => {
  it('runs the search once for 10 views of its page, each shown what it found', async () => {
    const config = GetSharedEnvSchema.parse({
      ...process.env,
      TABLE_NAME: tables.images,
      SEARCH_TABLE_NAME: tables.search,
      ALBUMS_TABLE: tables.albums,
      SHARES_TABLE: tables.shares,
    });
    const albumImages = albumImagesOf(config, createPowertools(config), documents, images);

    const first = await albumImages({ albumId, owner: OWNER }, { limit: 30 });
    const oneSearch = searchQueries.length;
    expect(oneSearch).toBeGreaterThan(0);
    expect(first?.name).toBe('Cats');
    expect(first?.images.map((image) => image.imageId).sort()).toEqual([older, newer].sort());

    const views = [];
    for (let n = 0; n < 9; n++) views.push(await albumImages({ albumId, owner: OWNER }, { limit: 30 }));
    expect(searchQueries).toHaveLength(oneSearch);
    for (const view of views) expect(view).toEqual(first);
    // Another owner's view of it is none, searched or not.
    expect(await albumImages({ albumId, owner: 'someone-else' }, { limit: 30 })).toBeUndefined();
  });
});
