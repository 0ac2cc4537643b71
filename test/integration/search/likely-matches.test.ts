import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ANALYSIS_VERSION } from '../../../lambdas/core/record';
import { queryOf } from '../../../lambdas/images/functions/list-images/filters';
import { listImages } from '../../../lambdas/images/functions/list-images/list-images';
import { ListQuerySchema } from '../../../lambdas/images/functions/list-images/route';
import { storeStep } from '../../../lambdas/ingest/functions/processor/steps/store';
import type { Analysis, StepContext } from '../../../lambdas/kit/processor-step';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { ProcessorDeps } from '../../../lambdas/manifest/step-runners';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { postingKey, SEARCH_TABLE } from '../../../lambdas/search/postings-design';
import { searchIndexStep } from '../../../lambdas/search/steps/search-index';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { CALIBRATION, foundThresholdOf, thresholdOf } from '../../../lambdas/vision/calibration';
import { TEST_USER } from '../../support/identities';
import { imageIds, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * Issue 56: a cat the offline models score under the threshold objects are shown at, but at or above its class's
 * retrieval threshold, is found by `q=cat` and `object=cat` after the sure cats, saying it is a likely match and its
 * score, and is never shown as a label. Records written by the processor's store and index steps, searched through
 * the list function's use case (its query parser and the real postings index) on the run's moto.
 */

const OWNER = TEST_USER.sub;
const CALLER = { owner: OWNER, admin: false };
const BOX = { left: 0.1, top: 0.1, width: 0.5, height: 0.5 };
const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const prefix = `likely-${randomUUID().slice(0, 8)}`;
const tables = { images: `${prefix}-images`, search: `${prefix}-search` };
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new ImageStore(documents, tables.images);
const index = new SearchIndex(documents, tables.search, { records: store });

/** Scores of a cat between its retrieval and shown thresholds, as the calibration in use says them. */
const found = foundThresholdOf(CALIBRATION, 'objects', 'cat');
const shown = thresholdOf(CALIBRATION.objects, 'cat');
const weak = Math.round((found + (shown - found) / 4) * 100) / 100;
const strong = Math.round((found + ((shown - found) * 3) / 4) * 100) / 100;

/** Oldest first: a sure cat, a photo of Cataluña, a likely cat (weak), a likely cat (strong), a dog. */
const [sureCat, cataluna, weakCat, strongCat, dog] = imageIds(5) as [string, string, string, string, string];

function photo(imageId: string, vision: { objects?: [string, number][]; candidates?: [string, number][] }): ImageItem {
  const base = searchableItem();
  const objects = (vision.objects ?? []).map(([name, confidence]) => ({ name, confidence, box: BOX }));
  return {
    ...base,
    imageId,
    owner: OWNER,
    filename: `photo-${imageId.slice(-4).toLowerCase()}.jpg`,
    tags: [],
    key: `uploads/${imageId}.jpg`,
    analysisVersion: ANALYSIS_VERSION,
    updatedAt: new Date().toISOString(),
    vision: {
      ...(base.vision as NonNullable<ImageItem['vision']>),
      labels: [],
      objects,
      text: { fullText: '', lines: [] },
      candidates: {
        objects: (vision.candidates ?? []).map(([name, confidence]) => ({ name, confidence, box: BOX })),
        labels: [],
        faces: [],
      },
    },
  };
}

/** A processing run's store and index steps (steps.ts), from the record as the run read it (`reanalyse`: again). */
async function processingRun(item: ImageItem, reanalyse = false) {
  const existing = await store.get(item.imageId);
  const deps = { store, index, people: undefined } as unknown as ProcessorDeps;
  const context = {
    notice: { owner: OWNER, reanalyse },
    attempt: { count: 1, last: false },
    deps,
    existing,
    previous: existing,
    reown: false,
    now: () => new Date().toISOString(),
  } as unknown as StepContext<ProcessorDeps>;
  const part = await storeStep.run(context, { item } as Analysis);
  if (part.outcome !== undefined) throw new Error(`${item.imageId}: not stored (${part.outcome})`);
  await searchIndexStep.run(context, { ...part, item: part.item } as Analysis);
}

async function search(query: Record<string, string[]>) {
  const items = [];
  let cursor: string | undefined;
  do {
    const asked = ListQuerySchema.parse(queryOf({ ...query, limit: ['2'], ...(cursor && { cursor: [cursor] }) }));
    const page = await listImages(asked, CALLER, {
      store: {
        list: async () => ({ items: [] }),
        timeline: async () => ({ items: [] }),
        tiles: async () => new Map(),
        summaries: async () => new Map(),
        stacking: async () => new Map(),
      },
      search: (one) => index.search(one),
      links: { sign: async () => ({}), keysOf: () => ({}) },
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  const records: ImageItem[] = [
    photo(sureCat, { objects: [['cat', 0.95]] }),
    {
      ...photo(cataluna, { objects: [['sports ball', 0.9]] }),
      place: { source: 'gps', country: { name: 'Spain', code: 'ES' }, region: { name: 'Cataluña' } },
    },
    photo(weakCat, { candidates: [['cat', weak]] }),
    photo(strongCat, {
      candidates: [
        ['cat', strong],
        ['dog', found - 0.05],
      ],
    }),
    photo(dog, { objects: [['dog', 0.9]] }),
  ];
  for (const record of records) {
    const at = new Date().toISOString();
    await store.createPending({
      imageId: record.imageId,
      entity: 'IMAGE',
      status: 'PENDING',
      owner: OWNER,
      createdAt: at,
      updatedAt: at,
      bucket: 'images-bucket',
      key: `uploads/${record.imageId}.jpg`,
    });
    await processingRun(record);
  }
}, 60_000);
afterAll(() => dynamodb.destroy());

describe('likely matches in a search (issue 56)', () => {
  it('finds a likely-only cat by q=cat after the sure ones, strongest first, each saying why', async () => {
    expect(Math.floor(strong * 10)).toBeGreaterThan(Math.floor(weak * 10));
    const items = await search({ q: ['cat'] });
    expect(items.map((item) => item.imageId)).toEqual([cataluna, sureCat, strongCat, weakCat]);
    const why = Object.fromEntries(items.map((item) => [item.imageId, item.matchedBy]));
    expect(why[cataluna]).toEqual([{ asked: 'q', word: 'cat', field: 'place', value: 'cataluna' }]);
    expect(why[sureCat]).toEqual([{ asked: 'q', word: 'cat', field: 'object', value: 'cat' }]);
    expect(why[weakCat]).toEqual([
      { asked: 'q', word: 'cat', field: 'object', value: 'cat', likely: true, score: weak },
    ]);
    // Shown stays shown: the likely cat is on no tile's labels.
    expect(items.find((item) => item.imageId === strongCat)?.topLabels).toEqual([]);
  });

  it('finds it by object=cat after the sure cat, and a candidate under its retrieval threshold not at all', async () => {
    const cats = await search({ object: ['cat'] });
    expect(cats.map((item) => item.imageId)).toEqual([sureCat, strongCat, weakCat]);
    expect(cats[1]?.matchedBy).toEqual([
      { asked: 'object', word: 'cat', field: 'object', value: 'cat', likely: true, score: strong },
    ]);
    const dogs = await search({ object: ['dog'] });
    expect(dogs.map((item) => item.imageId)).toEqual([dog]);
  });

  it('replaces the likely postings when the image is analysed again, as it does the sure ones', async () => {
    const before = await postingsOf(weakCat, `likely${Math.floor(weak * 10)}:object=cat`);
    expect(before).toHaveLength(1);
    // Analysed again by a later version (as a backfill does), the cat is shown now: its sure postings replace the
    // likely ones.
    await documents.send(
      new UpdateCommand({
        TableName: tables.images,
        Key: { imageId: weakCat },
        UpdateExpression: 'SET analysisVersion = :v',
        ExpressionAttributeValues: { ':v': '0.9.0' },
      }),
    );
    await processingRun(photo(weakCat, { objects: [['cat', shown]] }), true);
    expect(await postingsOf(weakCat, `likely${Math.floor(weak * 10)}:object=cat`)).toHaveLength(0);
    const record = await store.get(weakCat);
    expect(record?.indexedTerms?.filter((one) => one.startsWith('likely'))).toEqual([]);
    const cats = await search({ object: ['cat'] });
    expect(cats.map((item) => item.imageId)).toEqual([weakCat, sureCat, strongCat]);
  });
});

async function postingsOf(imageId: string, term: string) {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: tables.search,
      KeyConditionExpression: 'term = :pk AND imageId = :id',
      ExpressionAttributeValues: { ':pk': postingKey(OWNER, term, imageId), ':id': imageId },
    }),
  );
  return Items;
}
