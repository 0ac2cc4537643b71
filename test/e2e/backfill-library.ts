import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { MAX_ITEMS_PER_BATCH } from '../../lambdas/backfill/definition';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import type { ImageItem } from '../../lambdas/store/image-item';
import { IMAGE_ENTITY } from '../../lambdas/store/table-design';
import { fileUser, PROFILE_SOURCE_BUCKET, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { type SourceObject, sourceObjects } from './backfill-objects';
import { clientsFor, EventCollector, eventually } from './support';
import { loadTarget } from './target';

/**
 * `count` objects the pipeline never saw (sourceObjects: every kind) under a prefix of this file's own in the shared
 * jwt runner's source bucket, for `image-intel backfill` as an operator runs it, its images given to a user of the
 * file's own. The runner's table and bus are every file's: what the suites count is only what is under the prefix.
 * The oversized object is just over the runner's maxUploadBytes (the default, 25 MiB).
 */
const BIN = path.join(__dirname, '../../bin/image-intel.js');

export interface BackfillLibrary {
  /** The source bucket (the jwt profile's) and this file's prefix in it. */
  bucket: string;
  prefix: string;
  /** The user the runs give the images to (`fileUser('owner')`). */
  owner: string;
  runner: SharedRunner;
  /** `api` is the owner's. */
  clients: ReturnType<typeof clientsFor>;
  collector: EventCollector;
  objects: (SourceObject & { id: string })[];
  /** `image-intel backfill` of the prefix, as an admin, its exit code and output. */
  backfill(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The objects that get a record (all but the folder placeholders). */
  recorded(): (SourceObject & { id: string })[];
  /** Every image item in the runner's table with a key under the prefix. */
  imageItems(): Promise<ImageItem[]>;
  /**
   * What processing published for the prefix's images: their Processed, Rejected or Failed events, one per
   * `eventId`. An event may be published again with the same id (a redelivered message finding its record's event
   * still pending: docs/events.md), and a subscriber counts it once, as these do.
   */
  outcomes(): EventCollector['events'];
  /** The outcome events each image got so far, once `total` have arrived and a moment has passed for any extra. */
  eventsPerImage(total: number): Promise<Map<string, string[]>>;
}

/** The library, made before the file's tests and stopped after them. */
export function backfillLibrary(count: number): BackfillLibrary {
  const bucket = loadTarget().sourceBucket ?? PROFILE_SOURCE_BUCKET;
  let adminToken = '';
  const library = {
    bucket,
    backfill: (...extra: string[]) =>
      imageIntel(
        ['backfill', '--api', library.runner.ready.apiUrl, '--bucket', bucket, '--prefix', library.prefix, ...extra],
        adminToken,
      ),
    recorded: () => library.objects.filter((object) => object.expect !== 'PLACEHOLDER'),
    imageItems: async () => {
      const items: ImageItem[] = [];
      const scan = {
        TableName: library.runner.ready.table,
        FilterExpression: 'sourceBucket = :bucket AND begins_with(#key, :prefix)',
        ExpressionAttributeNames: { '#key': 'key' },
        ExpressionAttributeValues: { ':bucket': bucket, ':prefix': library.prefix },
      };
      for await (const page of paginateScan({ client: library.clients.dynamodb }, scan)) {
        items.push(...((page.Items ?? []) as ImageItem[]).filter((item) => item.entity === IMAGE_ENTITY));
      }
      return items;
    },
    outcomes: () => {
      const ids = new Set(library.objects.map((object) => object.id));
      const seen = new Set<string>();
      return library.collector.events.filter((event) => {
        if (!ids.has(event.detail?.imageId) || !/^Image (Processed|Rejected|Failed)$/.test(event.detailType))
          return false;
        const id = String(event.detail.eventId);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    },
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
    library.runner = await profileRunner('jwt');
    library.owner = fileUser('owner');
    // A new prefix each run: the bucket outlives a run on a deployed stack, and its ids are of bucket and key.
    library.prefix = `${fileUser('library')}-${randomBytes(3).toString('hex')}/`;
    adminToken = await library.runner.token({ user: fileUser('admin'), admin: true });
    const { ready } = library.runner;
    const clients = clientsFor({
      ...loadTarget(),
      bearerToken: await library.runner.token({ user: library.owner }),
    });
    library.clients = clients;
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
      if (!/BucketAlready(OwnedByYou|Exists)/.test(error.name)) throw error;
    });
    const made = await sourceObjects(library.prefix, count, ready.settings.maxUploadBytes);
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
        new ListObjectsV2Command({ Bucket: bucket, Prefix: library.prefix, ContinuationToken: next }),
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
  });
  return library;
}

/** The installed command, with `token` in IMAGE_INTEL_TOKEN (an admin's: `_local/outputs`, the state machine). */
function imageIntel(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const options = { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, IMAGE_INTEL_TOKEN: token } };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], options, (error, stdout, stderr) => {
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
