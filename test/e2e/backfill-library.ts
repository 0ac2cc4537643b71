import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { MAX_ITEMS_PER_BATCH } from '../../lambdas/backfill/definition';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import type { ImageItem } from '../../lambdas/store/image-item';
import { IMAGE_ENTITY } from '../../lambdas/store/table-design';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { type SourceObject, sourceObjects } from './backfill-objects';
import { clientsFor, EventCollector, eventually } from './support';
import { loadTarget } from './target';

/**
 * A bucket the pipeline never saw, `count` objects in it (sourceObjects: every kind), and a runner of its own whose
 * source it is, for `image-intel backfill` as an operator runs it. Its own runner: its table holds only this
 * bucket's records, which the suites count exactly, and the largest size of upload is one no shared runner has.
 * One thumbnail size: the objects are small, and what is under test is the backfill, not the thumbnails.
 */
const BIN = path.join(__dirname, '../../bin/image-intel.js');
const PREFIX = 'library/';
const MAX_BYTES = 2_000_000;

export interface BackfillLibrary {
  /** The source bucket, a name of this file's own. */
  bucket: string;
  runner: RunnerProcess;
  clients: ReturnType<typeof clientsFor>;
  collector: EventCollector;
  objects: (SourceObject & { id: string })[];
  /** `image-intel backfill` of the bucket's prefix, its exit code and output. */
  backfill(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The objects that get a record (all but the folder placeholders). */
  recorded(): (SourceObject & { id: string })[];
  /** Every image item in the runner's table (its own table: nothing else writes there). */
  imageItems(): Promise<ImageItem[]>;
  /** What processing published: an image's Processed, Rejected or Failed events (not the corrections'). */
  outcomes(): EventCollector['events'];
  /** The outcome events each image got so far, once `total` have arrived and a moment has passed for any extra. */
  eventsPerImage(total: number): Promise<Map<string, string[]>>;
}

/** The library, made before the file's tests and stopped after them. */
export function backfillLibrary(count: number): BackfillLibrary {
  const bucket = `e2e-backfill-${randomBytes(4).toString('hex')}`;
  const library = {
    bucket,
    backfill: (...extra: string[]) =>
      imageIntel(['backfill', '--api', library.runner.ready.apiUrl, '--bucket', bucket, '--prefix', PREFIX, ...extra]),
    recorded: () => library.objects.filter((object) => object.expect !== 'PLACEHOLDER'),
    imageItems: async () => {
      const items: ImageItem[] = [];
      const scan = { TableName: library.runner.ready.table };
      for await (const page of paginateScan({ client: library.clients.dynamodb }, scan)) {
        items.push(...((page.Items ?? []) as ImageItem[]).filter((item) => item.entity === IMAGE_ENTITY));
      }
      return items;
    },
    outcomes: () =>
      library.collector.events.filter((event) => /^Image (Processed|Rejected|Failed)$/.test(event.detailType)),
    eventsPerImage: async (total: number) => {
      const outcomes = library.outcomes;
      await eventually(`${total} events`, 120_000, async () => (outcomes().length >= total ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const per = new Map<string, string[]>();
      for (const { detail, detailType } of outcomes())
        per.set(detail.imageId, [...(per.get(detail.imageId) ?? []), detailType]);
      return per;
    },
  } as BackfillLibrary;
  beforeAll(async () => {
    library.runner = await startRunner({
      args: ['-c', `sourceBuckets=${bucket}`, '-c', `maxUploadBytes=${MAX_BYTES}`, '-c', 'thumbnailSizes=128'],
    });
    const { ready } = library.runner;
    const clients = clientsFor({
      ...loadTarget(),
      endpoint: ready.endpoint,
      apiUrl: ready.apiUrl,
      bearerToken: undefined,
    });
    library.clients = clients;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const made = await sourceObjects(PREFIX, count, MAX_BYTES);
    for (let i = 0; i < made.length; i += 25) {
      await Promise.all(
        made
          .slice(i, i + 25)
          .map(({ key, body, contentType }) =>
            clients.s3.send(
              new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType || undefined }),
            ),
          ),
      );
    }
    // The ids the pipeline derives: bucket, key and the modification time S3 keeps.
    const modified = new Map<string, Date>();
    let next: string | undefined;
    do {
      const page = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: next }),
      );
      for (const { Key, LastModified } of page.Contents ?? []) modified.set(Key as string, LastModified as Date);
      next = page.NextContinuationToken;
    } while (next);
    library.objects = made.map((object) => ({
      ...object,
      id: sourceImageId(bucket, object.key, modified.get(object.key) as Date),
    }));
    library.collector = new EventCollector(clients.sqs, clients.events, ready.eventBus);
    await library.collector.start();
  });
  afterAll(async () => {
    await library.collector?.stop();
    await library.runner?.stop();
  });
  return library;
}

function imageIntel(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The run's final counts against what each object should come to. Counts are at least once (docs/api.md): a batch
 * sent again after its answer was lost (Step Functions retries the send) delivers its objects twice, and the
 * second delivery of each is counted too, as skipped (or a placeholder again). So each count is at least what is
 * expected, and together they are over by at most one batch; the records and events, which must be exact, are
 * checked exactly.
 */
export function expectCounts(
  stdout: string,
  expected: Record<'processed' | 'rejected' | 'skipped' | 'placeholders', number>,
) {
  const final = /backfill finished in [^:]*: (.*)$/m.exec(stdout)?.[1] ?? '';
  const counts = Object.fromEntries([...final.matchAll(/(\d+) (\w+)/g)].map(([, n, name]) => [name, Number(n)]));
  const over = (Object.keys(expected) as (keyof typeof expected)[]).map(
    (name) => (counts[name] ?? -1) - expected[name],
  );
  expect({ final, short: over.filter((n) => n < 0) }).toEqual({ final, short: [] });
  expect({ final, over: over.reduce((a, b) => a + b, 0) <= MAX_ITEMS_PER_BATCH }).toEqual({ final, over: true });
  expect({ final, processedExactly: counts.processed }).toEqual({ final, processedExactly: expected.processed });
}
