import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ANALYSIS_VERSION } from '../../lambdas/core/record';
import { SearchIndex } from '../../lambdas/search/index-table';
import { withTerms } from '../../lambdas/search/postings';
import type { ImageItem } from '../../lambdas/store/image-item';
import { ImageStore } from '../../lambdas/store/image-store';
import { searchableItem } from '../support/items';
import { backfillLibrary, expectCounts } from './backfill-library';

/**
 * `image-intel backfill` run again over a bucket it has backfilled: a second run creates nothing, and one with
 * --reprocess, after the records were made to look like an older ANALYSIS_VERSION's, re-analyses each object once,
 * keeping corrections; search then finds each image by its current analysis only. Every kind of object
 * (sourceObjects) is there, 100 of them: what is claimed is of each object, and the 120 of backfill.test.ts, which
 * runs beside this file, are there for two runs at once.
 */
jest.setTimeout(600_000);

const OLD_VERSION = '0.9.0';
const library = backfillLibrary(100);

beforeAll(async () => {
  // What backfill.test.ts checks of a first run; here it is the ground the runs below stand on.
  const first = await library.backfill('--owner', library.owner);
  expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect((await library.imageItems()).length).toBe(library.recorded().length);
  await library.eventsPerImage(library.recorded().length);
});

describe('image-intel backfill over a bucket it has backfilled', () => {
  it('creates nothing on a second run: every object is skipped', async () => {
    const { recorded, outcomes } = library;
    const before = outcomes().length;
    const again = await library.backfill('--owner', library.owner);
    expect(again.code).toBe(0);
    expectCounts(again.stdout, { processed: 0, rejected: 0, skipped: recorded().length, placeholders: 3 });
    expect(await library.imageItems()).toHaveLength(recorded().length);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(outcomes().length).toBe(before);
  });

  it('with --reprocess re-analyses each object of an older analysis once, keeping corrections', async () => {
    const { clients, runner, recorded, outcomes } = library;
    const photos = library.objects.filter((object) => object.expect === 'PROCESSED');
    const corrected = photos.slice(0, 5);
    for (const { id } of corrected) {
      await clients.api.call('PATCH', `/images/${id}/labels`, { add: ['Harbour Crane'] });
    }
    // What an older analysis left: its version on every record, and on some a label this one does not find, with
    // the postings the older processor wrote for it.
    const clientConfig = {
      endpoint: runner.ready.endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    const writer = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const index = new SearchIndex(writer, runner.ready.searchTable, {
      records: new ImageStore(writer, runner.ready.table),
    });
    const stale = photos.slice(0, 10).map((object) => object.id);
    for (const item of await library.imageItems()) {
      let older: ImageItem = { ...item, analysisVersion: OLD_VERSION };
      if (older.analysis?.status === 'PROCESSED') older.analysis = { ...older.analysis, analysisVersion: OLD_VERSION };
      if (stale.includes(item.imageId)) {
        const vision = searchableItem().vision as NonNullable<ImageItem['vision']>;
        older = withTerms(
          {
            ...older,
            vision: { ...vision, labels: [{ name: 'Obsolete Widget', confidence: 0.9, source: 'objects' }] },
          },
          item,
        );
      }
      // The record first: the index keeps only postings a record carries (it checks after writing).
      await writer.send(new PutCommand({ TableName: runner.ready.table, Item: older }));
      if (stale.includes(item.imageId)) await index.upsert(older);
    }
    const search = async (query: string) =>
      ((await clients.api.call('GET', `/images?${query}&limit=100`)) as { items: { imageId: string }[] }).items.map(
        (item) => item.imageId,
      );
    expect((await search('label=obsolete%20widget')).sort()).toEqual([...stale].sort());

    const before = outcomes().length;
    const run = await library.backfill('--owner', library.owner, '--reprocess');
    expect(run.code).toBe(0);
    const rejected = recorded().length - photos.length;
    expectCounts(run.stdout, { processed: photos.length, rejected, skipped: 0, placeholders: 3 });

    const items = await library.imageItems();
    expect(items).toHaveLength(recorded().length);
    expect(items.filter((item) => item.analysisVersion !== ANALYSIS_VERSION)).toEqual([]);
    const events = await library.eventsPerImage(before + recorded().length);
    for (const object of recorded()) expect(events.get(object.id)).toHaveLength(2);
    expect(outcomes()).toHaveLength(2 * recorded().length);
    for (const { id } of corrected) {
      const item = (
        await clients.dynamodb.send(new GetCommand({ TableName: runner.ready.table, Key: { imageId: id } }))
      ).Item as ImageItem;
      expect(item.labelCorrections?.added.map((label) => label.name)).toEqual(['Harbour Crane']);
    }
    expect(await search('label=obsolete%20widget')).toEqual([]);
    expect((await search('label=harbour%20crane')).sort()).toEqual(corrected.map((object) => object.id).sort());
  });
});
