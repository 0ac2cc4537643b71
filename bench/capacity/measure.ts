/**
 * The measured half of the capacity model: a real local run (moto + the real handlers in the local runner) with a
 * counting proxy in front of moto, so every AWS call the pipeline makes is counted and timed per API.
 *
 * 1. Start moto, the proxy in front of it (test/resilience/support/fault-proxy.ts, no faults) and the runner
 *    pointed at the proxy (`AWS_ENDPOINT_URL`), with the default settings and inference none.
 * 2. API alone: POST /uploads a few times without uploading: the create-upload's time, CPU and calls.
 * 3. Alone: a few images of each class, one at a time: the processor's wall time for one image.
 * 4. Load: each class uploaded by several clients at once, so batches fill: the runner's CPU per image and the
 *    calls per image (SQS receives and deletes per batch included).
 * 5. GET /images/{id} once per image: the read path.
 * 6. Read every item back from moto, and the PENDING put each image began with, from the proxy's log; list the
 *    bucket; scan the search table: item sizes, index writes and postings (support/dynamodb.ts) and S3 bytes per
 *    image.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ImageApiClient, postToS3, type UploadTicket } from '../../lambdas/cli/api-client';
import { startEmulator } from '../../lambdas/local/emulator';
import type { PollerStats } from '../../lambdas/local/poller';
import { eventually, queueDrained } from '../../test/e2e/support';
import { FaultProxy, type ObservedCall } from '../../test/resilience/support/fault-proxy';
import { cpuSeconds } from '../../test/support/load/proc';
import { startRunner } from '../../test/support/runner-process';
import { type ImageStates, type Item, itemSize, type PostingFigures, postingFigures } from '../support/dynamodb';
import type { CapacityCorpus, CorpusImage } from './corpus';

export interface MeasureOptions {
  /** POST /uploads without an upload, to measure the create-upload alone. */
  apiOnly: number;
  /** Images of each class processed one at a time. */
  aloneEach: number;
  /** Uploads of each class under load. */
  load: { small: number; large: number };
  /** Clients uploading at once under load. */
  clients: number;
  log: (line: string) => void;
}

export type ImageClass = 'small' | 'large';

/** One class's figures from the run, before the model. */
export interface ClassRun {
  cls: ImageClass;
  images: number;
  /** Processor wall time per image alone (ms), one per image. */
  aloneMs: number[];
  /** Of that, the time covered by the image's own AWS calls (moto's latency), one per image. */
  aloneAwsMs: number[];
  /** The runner's CPU seconds per image alone (create-upload included). */
  aloneCpuS: number;
  /** `analysis.durationMs` of the images processed alone. */
  analysisMs: number[];
  /** The runner's CPU seconds per image under load (create-upload included). */
  loadCpuS: number;
  /** Images a second the runner processed under load (local machine, both cores). */
  loadRate: number;
  /** Calls per image under load, per `service.api`. */
  requests: Record<string, number>;
  s3ByPrefix: Record<string, { writes: number; reads: number }>;
  poller: { batches: number; received: number };
  originalBytes: number;
  thumbnailBytes: number;
  eventBytes: number;
  states: ImageStates[];
  /** The search index's postings of the class's images, per image. */
  postings: PostingFigures;
}

export interface MeasureRun {
  api: {
    createMs: number[];
    createCpuS: number;
    getMs: number[];
    getCpuS: number;
    createCalls: Record<string, number>;
    getCalls: Record<string, number>;
    finalItemBytes: number;
  };
  classes: ClassRun[];
  emulator: string;
  runnerProcessing: unknown;
  wallS: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ROOT = path.join(__dirname, '../..');

/** `dynamodb.PutItem`... counts added since `before`, divided by `per`. */
function countsSince(now: Record<string, number>, before: Record<string, number>, per: number) {
  return Object.fromEntries(
    Object.entries(now)
      .map(([key, count]) => [key, (count - (before[key] ?? 0)) / per] as const)
      .filter(([, value]) => value > 0),
  );
}

/** Milliseconds covered by the union of the calls' intervals (concurrent calls counted once). */
export function coveredMs(intervals: { startedAt: number; endedAt: number }[]): number {
  let covered = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const { startedAt, endedAt } of [...intervals].sort((a, b) => a.startedAt - b.startedAt)) {
    if (endedAt <= reach) continue;
    covered += endedAt - Math.max(startedAt, reach);
    reach = endedAt;
  }
  return covered;
}

const imageIdOfKey = (key: string) => /(?:uploads\/|thumbnails\/)([0-9A-HJKMNP-TV-Z]{26})/.exec(key)?.[1];

export async function measure(corpus: CapacityCorpus, options: MeasureOptions): Promise<MeasureRun> {
  const { log } = options;
  const started = Date.now();
  const moto = await startEmulator({ venvDir: path.join(ROOT, '.local', 'moto-venv'), log });
  const calls: ObservedCall[] = [];
  const cleared = new Map<string, number>();
  const observe = (call: ObservedCall) => {
    calls.push(call);
    if (call.api === 'UpdateItem' && call.body.includes('REMOVE eventPending')) {
      const id = (JSON.parse(call.body) as { Key: Item }).Key.imageId?.S;
      if (id) cleared.set(id, call.endedAt);
    }
  };
  const proxy = await FaultProxy.start({ target: moto.endpoint, observe });
  const runner = await startRunner({ endpoint: proxy.url }).catch(async (error) => {
    await proxy.stop();
    await moto.stop();
    throw error;
  });
  const direct = {
    endpoint: moto.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const dynamodb = new DynamoDBClient(direct);
  const s3 = new S3Client({ ...direct, forcePathStyle: true });
  const sqs = new SQSClient(direct);
  const { ready } = runner;
  /** The runner's ready file also says how it feeds the processor (batch size, images in flight, concurrency). */
  const processing = (ready as { processing?: unknown }).processing;
  const api = new ImageApiClient(ready.apiUrl, { apiKey: ready.apiKey });
  const pid = runner.child.pid as number;
  const cpu = () => cpuSeconds(pid) ?? Number.NaN;
  const stats = async () =>
    ((await (await fetch(`${ready.apiUrl}/_local/stats`)).json()) as { poller: PollerStats }).poller;
  const classOf = new Map<string, ImageClass>();

  /** Upload one image as a client does; `cls` undefined for a warm-up left out of every figure. */
  const upload = async (image: CorpusImage, cls?: ImageClass): Promise<string> => {
    const bytes = Buffer.concat([image.bytes, randomBytes(16)]);
    const ticket = (await api.call('POST', '/uploads', {
      contentType: 'image/jpeg',
      size: bytes.length,
      filename: image.name,
    })) as UploadTicket;
    if (cls) classOf.set(ticket.imageId, cls);
    await postToS3(ticket, bytes);
    return ticket.imageId;
  };
  const processed = (ids: string[]) =>
    eventually(`${ids.length} images processed`, 300_000, async () =>
      ids.every((id) => cleared.has(id)) ? true : undefined,
    );
  const drained = async (settleMs: number) => {
    await queueDrained(sqs, ready.queueUrl, 60_000);
    await sleep(settleMs);
  };

  try {
    log(`runner ready (${JSON.stringify(processing)}); API alone: ${options.apiOnly} x POST /uploads`);
    let ops = { ...proxy.operations };
    let cpuAt = cpu();
    const createMs: number[] = [];
    for (let i = 0; i < options.apiOnly; i++) {
      const t0 = performance.now();
      await api.call('POST', '/uploads', { contentType: 'image/jpeg', size: 1000, filename: `api-only-${i}.jpg` });
      createMs.push(performance.now() - t0);
    }
    const createCpuS = (cpu() - cpuAt) / options.apiOnly;
    const createCalls = countsSince(proxy.operations, ops, options.apiOnly);

    const corpusOf = { small: corpus.small, large: corpus.large };
    const alone = new Map<ImageClass, { ids: string[]; cpuS: number }>();
    for (const cls of ['small', 'large'] as const) {
      log(`alone: a warm-up, then ${options.aloneEach} ${cls} images, one at a time`);
      await processed([await upload(corpusOf[cls][0] as CorpusImage)]);
      await drained(500);
      const ids: string[] = [];
      cpuAt = cpu();
      for (let i = 0; i < options.aloneEach; i++) {
        const id = await upload(corpusOf[cls][i % corpusOf[cls].length] as CorpusImage, cls);
        await processed([id]);
        await drained(0);
        ids.push(id);
      }
      alone.set(cls, { ids, cpuS: (cpu() - cpuAt) / options.aloneEach });
      await drained(500);
    }

    type LoadFigures = Pick<ClassRun, 'loadCpuS' | 'loadRate' | 'requests' | 's3ByPrefix' | 'poller'>;
    const loads = new Map<ImageClass, LoadFigures>();
    for (const cls of ['small', 'large'] as const) {
      const count = options.load[cls];
      log(`load: ${count} ${cls} images, ${options.clients} clients at once`);
      ops = { ...proxy.operations };
      const callsAt = calls.length;
      const pollerAt = await stats();
      cpuAt = cpu();
      const t0 = performance.timeOrigin + performance.now();
      const ids: string[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: options.clients }, async () => {
          for (let i = next++; i < count; i = next++) {
            ids.push(await upload(corpusOf[cls][i % corpusOf[cls].length] as CorpusImage, cls));
          }
        }),
      );
      await processed(ids);
      await drained(1500);
      const lastDone = Math.max(...ids.map((id) => cleared.get(id) ?? 0));
      const pollerNow = await stats();
      const s3ByPrefix: Record<string, { writes: number; reads: number }> = {};
      for (const call of calls.slice(callsAt)) {
        if (call.service !== 's3') continue;
        const prefix =
          call.api === 'PostObject' ? 'uploads/' : (/^\/[^/]+\/([^/]+\/)/.exec(call.path)?.[1] ?? '(bucket)');
        const counts = s3ByPrefix[prefix] ?? { writes: 0, reads: 0 };
        s3ByPrefix[prefix] = counts;
        if (['PostObject', 'PutObject', 'CopyObject', 'DeleteObject'].includes(call.api)) counts.writes += 1 / count;
        if (['GetObject', 'HeadObject'].includes(call.api)) counts.reads += 1 / count;
      }
      loads.set(cls, {
        loadCpuS: (cpu() - cpuAt) / count,
        loadRate: count / ((lastDone - t0) / 1000),
        requests: countsSince(proxy.operations, ops, count),
        s3ByPrefix,
        poller: { batches: pollerNow.batches - pollerAt.batches, received: pollerNow.received - pollerAt.received },
      });
    }

    const everyId = [...classOf.keys()];
    log(`GET /images/{id} once for each of ${everyId.length} images`);
    ops = { ...proxy.operations };
    cpuAt = cpu();
    const getMs: number[] = [];
    for (const id of everyId) {
      const t0 = performance.now();
      await api.get(id);
      getMs.push(performance.now() - t0);
    }
    const getCpuS = (cpu() - cpuAt) / everyId.length;
    const getCalls = countsSince(proxy.operations, ops, everyId.length);

    log('reading the items back, listing the bucket');
    const pendingOf = new Map<string, Item>();
    for (const call of calls) {
      if (call.api !== 'PutItem') continue;
      const item = (JSON.parse(call.body) as { Item: Item }).Item;
      if (item.imageId?.S) pendingOf.set(item.imageId.S, item);
    }
    const finalOf = new Map<string, Item>();
    for (const id of everyId) {
      const { Item: item } = await dynamodb.send(
        new GetItemCommand({ TableName: ready.table, Key: { imageId: { S: id } }, ConsistentRead: true }),
      );
      if (!item) throw new Error(`no item for ${id}`);
      finalOf.set(id, item as Item);
    }
    const bytesOf = new Map<string, { original: number; thumbnails: number }>();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: ready.bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const id = imageIdOfKey(object.Key ?? '');
        if (!id) continue;
        const entry = bytesOf.get(id) ?? { original: 0, thumbnails: 0 };
        if (object.Key?.startsWith('uploads/')) entry.original += object.Size ?? 0;
        else entry.thumbnails += object.Size ?? 0;
        bytesOf.set(id, entry);
      }
      token = page.NextContinuationToken;
    } while (token);
    const postingsOf = new Map<string, Item[]>();
    for await (const page of paginateScan({ client: dynamodb }, { TableName: ready.searchTable })) {
      for (const posting of (page.Items ?? []) as Item[]) {
        const id = posting.imageId?.S;
        if (id) postingsOf.set(id, [...(postingsOf.get(id) ?? []), posting]);
      }
    }
    const eventBytesOf = new Map<string, number>();
    for (const call of calls) {
      if (call.api !== 'PutEvents') continue;
      const entry = (JSON.parse(call.body) as { Entries: { Detail: string }[] }).Entries[0];
      const id = entry ? (JSON.parse(entry.Detail) as { imageId?: string }).imageId : undefined;
      if (id && entry) eventBytesOf.set(id, Buffer.byteLength(JSON.stringify(entry)));
    }

    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const classes: ClassRun[] = (['small', 'large'] as const).map((cls) => {
      const load = loads.get(cls) as LoadFigures;
      const ids = everyId.filter((id) => classOf.get(id) === cls);
      const states = ids.map((id): ImageStates => {
        const final = finalOf.get(id) as Item;
        const pending = pendingOf.get(id);
        if (!pending) throw new Error(`no PENDING put seen for ${id}`);
        if (final.eventPending) throw new Error(`${id} still has eventPending set`);
        return { pending, finalised: { ...final, eventPending: { BOOL: true } }, final };
      });
      const aloneIds = alone.get(cls)?.ids ?? [];
      const spans = aloneIds.map((id) => {
        const start = calls.find((c) => c.api === 'GetObject' && c.path.includes(`uploads/${id}`))?.startedAt;
        const end = cleared.get(id);
        if (start === undefined || end === undefined) throw new Error(`no processing span for ${id}`);
        const own = calls.filter((c) => c.startedAt >= start && c.endedAt <= end && (c.path + c.body).includes(id));
        return { ms: end - start, awsMs: coveredMs(own) };
      });
      return {
        cls,
        images: ids.length,
        aloneMs: spans.map((span) => span.ms),
        aloneAwsMs: spans.map((span) => span.awsMs),
        aloneCpuS: alone.get(cls)?.cpuS ?? Number.NaN,
        analysisMs: aloneIds.map((id) =>
          Number((finalOf.get(id)?.analysis?.M?.durationMs?.N as string | undefined) ?? Number.NaN),
        ),
        loadCpuS: load.loadCpuS,
        loadRate: load.loadRate,
        requests: load.requests,
        s3ByPrefix: load.s3ByPrefix,
        poller: load.poller,
        originalBytes: mean(ids.map((id) => bytesOf.get(id)?.original ?? 0)),
        thumbnailBytes: mean(ids.map((id) => bytesOf.get(id)?.thumbnails ?? 0)),
        eventBytes: mean(ids.map((id) => eventBytesOf.get(id) ?? 0)),
        states,
        postings: postingFigures(ids.map((id) => postingsOf.get(id) ?? [])),
      };
    });
    const anyFinal = finalOf.values().next().value as Item;
    return {
      api: { createMs, createCpuS, getMs, getCpuS, createCalls, getCalls, finalItemBytes: itemSize(anyFinal) },
      classes,
      emulator: moto.description,
      runnerProcessing: processing,
      wallS: (Date.now() - started) / 1000,
    };
  } finally {
    dynamodb.destroy();
    s3.destroy();
    sqs.destroy();
    await runner.stop();
    await proxy.stop();
    await moto.stop();
  }
}
