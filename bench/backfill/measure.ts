/**
 * The measured half of the backfill model: a real backfill run in the local runner, with the capacity bench's
 * counting proxy in front of moto, so every AWS call the map and the processor make is counted per API.
 *
 * 1. Start moto, the proxy (test/resilience/support/fault-proxy.ts, no faults) and the runner pointed at it, with a
 *    source bucket (`-c sourceBuckets=<bucket>=<owner>`, so each image has an owner and its duplicate check runs).
 * 2. Put the objects straight into the source bucket with the SDK (not through the proxy: no figure counts them):
 *    a warm-up pair, the images (12 MP JPEGs, 16 random bytes appended to each so none is a duplicate of another)
 *    and a few objects that are no image (text files, a folder placeholder), under three prefixes.
 * 3. For each prefix: StartExecution on the runner's Step Functions endpoint (the input from planBackfill, the name
 *    from newRunId), then wait until readRunCounts has every listed object finished and the run has SUCCEEDED.
 * 4. Read the images' records and postings back, list the pipeline's bucket, and ask moto for the child executions
 *    (their duration in moto).
 *
 * The runner does the Distributed Map itself and runs each batch of ten as the child definition in moto's Step
 * Functions, so the child's SendMessageBatch and its `queued` UpdateItem happen inside moto: the proxy sees only
 * the runner's StartExecution and DescribeExecution polls of it. The model counts those two from the definition.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, paginateScan } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newRunId, planBackfill } from '../../lambdas/backfill/plan';
import { inFlight, type RunCounts, readRunCounts } from '../../lambdas/backfill/run-status';
import { sourceImageId } from '../../lambdas/backfill/source-object';
import { startEmulator } from '../../lambdas/local/emulator';
import type { LocalOutputs } from '../../lambdas/local/outputs-endpoint';
import { parseSourceBucket, type SourceBucket } from '../../lambdas/settings/backfill';
import { eventually } from '../../test/e2e/support';
import { FaultProxy, type ObservedCall } from '../../test/resilience/support/fault-proxy';
import { cpuSeconds } from '../../test/support/load/proc';
import { startRunner } from '../../test/support/runner-process';
import type { CorpusImage } from '../capacity/corpus';
import type { Item } from '../support/dynamodb';

export interface BackfillMeasureOptions {
  images: number;
  log: (line: string) => void;
}

/** One backfill run (one prefix) as the proxy and the run's counters saw it. */
export interface PhaseRun {
  prefix: string;
  objects: number;
  counts: RunCounts;
  /** StartExecution to the run's SUCCEEDED (every batch queued), and to the last object finished, seconds. */
  mapS: number;
  finishedS: number;
  /** The runner's CPU seconds over the phase (processor, map and API; moto and the proxy excluded). */
  cpuS: number;
  /** Calls per `service.api` over the phase, in all (not per object). */
  calls: Record<string, number>;
}

export interface BackfillMeasureRun {
  owner: string;
  images: PhaseRun;
  others: PhaseRun;
  /** The child executions of the images' run in moto: how many, and their durations (ms). */
  children: { executions: number; durationsMs: number[] };
  /** The images' final records and their search postings, for the DynamoDB figures. */
  finals: Item[];
  postings: Item[][];
  /** Bytes the pipeline's bucket holds per image (thumbnails and eager renditions; the original stays put). */
  derivedBytes: number;
  /** PUTs per image under each key prefix of the pipeline's bucket (`thumbnails/`, `renditions/`). */
  s3WritesByPrefix: Record<string, number>;
  originalBytes: number;
  eventBytes: number;
  emulator: string;
  runnerProcessing: unknown;
  wallS: number;
}

const ROOT = path.join(__dirname, '../..');
const OWNER = 'bench';
/** Objects that are no image: what a real bucket also holds. */
const OTHERS: { key: string; body: Buffer }[] = [
  { key: 'other/notes.txt', body: Buffer.from('not a photo\n') },
  { key: 'other/album.json', body: Buffer.from('{"title":"2019"}') },
  { key: 'other/scan.pdf', body: Buffer.from('%PDF-1.4\n%%EOF\n') },
  { key: 'other/2019/', body: Buffer.alloc(0) },
];

const since = (now: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(now)
      .map(([key, count]) => [key, count - (before[key] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

const finished = (counts: RunCounts) => counts.queued - inFlight(counts);

export async function measureBackfill(
  corpus: CorpusImage[],
  options: BackfillMeasureOptions,
): Promise<BackfillMeasureRun> {
  const { log } = options;
  const started = Date.now();
  const moto = await startEmulator({ venvDir: path.join(ROOT, '.local', 'moto-venv'), log });
  const calls: ObservedCall[] = [];
  const proxy = await FaultProxy.start({ target: moto.endpoint, observe: (call) => calls.push(call) });
  const direct = {
    endpoint: moto.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const s3 = new S3Client({ ...direct, forcePathStyle: true });
  const dynamodb = new DynamoDBClient(direct);
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const motoSfn = new SFNClient(direct);
  const source = `backfill-bench-${randomBytes(4).toString('hex')}`;
  await s3.send(new CreateBucketCommand({ Bucket: source }));
  const runner = await startRunner({ endpoint: proxy.url, args: ['-c', `sourceBuckets=${source}=${OWNER}`] }).catch(
    async (error) => {
      await proxy.stop();
      await moto.stop();
      throw error;
    },
  );
  const { ready } = runner;
  const outputs = (await (await fetch(`${ready.apiUrl}/_local/outputs`)).json()) as LocalOutputs;
  const sources = (JSON.parse(outputs.BackfillSources) as string[]).map((entry) => parseSourceBucket(entry));
  const sfn = new SFNClient({ ...direct, endpoint: outputs.StepFunctionsEndpoint });
  const pid = runner.child.pid as number;
  const cpu = () => cpuSeconds(pid) ?? Number.NaN;

  const put = async (objects: { key: string; body: Buffer }[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = next++; i < objects.length; i = next++) {
          const { key, body } = objects[i] as { key: string; body: Buffer };
          await s3.send(new PutObjectCommand({ Bucket: source, Key: key, Body: body }));
        }
      }),
    );
  };
  const images = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const image = corpus[i % corpus.length] as CorpusImage;
      return {
        key: `${prefix}img-${String(i).padStart(5, '0')}.jpg`,
        body: Buffer.concat([image.bytes, randomBytes(16)]),
      };
    });

  /** One backfill of `prefix`, from StartExecution to every object finished. */
  const backfill = async (prefix: string, objects: number): Promise<PhaseRun & { run: string }> => {
    const operations = { ...proxy.operations };
    const cpuAt = cpu();
    const run = newRunId();
    const input = planBackfill(
      { bucket: source, prefix },
      { pipelineBucket: outputs.BucketName, sources: sources.filter((s): s is SourceBucket => typeof s !== 'string') },
    );
    const t0 = performance.now();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: outputs.BackfillStateMachineArn,
        name: run,
        input: JSON.stringify(input),
      }),
    );
    let mapS = Number.NaN;
    const counts = await eventually(`${objects} objects of ${prefix} finished`, 600_000, async () => {
      if (Number.isNaN(mapS)) {
        const { status, error, cause } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (status === 'FAILED') throw new Error(`backfill of ${prefix} failed: ${error}: ${cause}`);
        if (status === 'SUCCEEDED') mapS = (performance.now() - t0) / 1000;
      }
      const now = await readRunCounts(documents, ready.table, run);
      if (now.queued >= objects && finished(now) >= objects && !Number.isNaN(mapS)) return now;
      await new Promise((resolve) => setTimeout(resolve, 250));
      return undefined;
    });
    const finishedS = (performance.now() - t0) / 1000;
    return {
      run,
      prefix,
      objects,
      counts,
      mapS,
      finishedS,
      cpuS: cpu() - cpuAt,
      calls: since(proxy.operations, operations),
    };
  };

  try {
    log(`runner ready; source bucket ${source}; putting ${options.images} images, 2 warm-ups, ${OTHERS.length} others`);
    const photos = images('photos/', options.images);
    await put([...images('warmup/', 2), ...photos, ...OTHERS]);
    log('warm-up: a backfill of 2 images (module loading, first connections), left out of every figure');
    await backfill('warmup/', 2);
    log(`images: a backfill of photos/ (${options.images} 12 MP JPEGs)`);
    const callsAt = calls.length;
    const { run, ...imagePhase } = await backfill('photos/', options.images);
    const imageCalls = calls.slice(callsAt);
    log(`others: a backfill of other/ (${OTHERS.length} objects that are no image)`);
    const { run: _others, ...otherPhase } = await backfill('other/', OTHERS.length);

    log('reading the records, postings, bucket and child executions back');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: source, Prefix: 'photos/' }));
    const ids = (listed.Contents ?? []).map((o) => sourceImageId(source, o.Key as string, o.LastModified as Date));
    const finals: Item[] = [];
    for (const id of ids) {
      const { Item: item } = await dynamodb.send(
        new GetItemCommand({ TableName: ready.table, Key: { imageId: { S: id } }, ConsistentRead: true }),
      );
      if (!item) throw new Error(`no record for ${id}`);
      finals.push(item as Item);
    }
    const postingsOf = new Map<string, Item[]>(ids.map((id) => [id, []]));
    for await (const page of paginateScan({ client: dynamodb }, { TableName: ready.searchTable })) {
      for (const posting of (page.Items ?? []) as Item[]) postingsOf.get(posting.imageId?.S ?? '')?.push(posting);
    }
    let derived = 0;
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: ready.bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (/^(thumbnails|renditions)\//.test(object.Key ?? '')) derived += object.Size ?? 0;
      }
      token = page.NextContinuationToken;
    } while (token);
    const childArn = `${outputs.BackfillStateMachineArn}-batch`;
    const durationsMs: number[] = [];
    let next: string | undefined;
    do {
      const page = await motoSfn.send(new ListExecutionsCommand({ stateMachineArn: childArn, nextToken: next }));
      for (const execution of page.executions ?? []) {
        if (!execution.name?.startsWith(`${run}-`) || !execution.stopDate || !execution.startDate) continue;
        durationsMs.push(execution.stopDate.getTime() - execution.startDate.getTime());
      }
      next = page.nextToken;
    } while (next);
    const events = imageCalls
      .filter((call) => call.api === 'PutEvents')
      .map((call) => Buffer.byteLength(JSON.stringify((JSON.parse(call.body) as { Entries: unknown[] }).Entries[0])));
    const s3WritesByPrefix: Record<string, number> = {};
    for (const call of imageCalls) {
      if (call.service !== 's3' || call.api !== 'PutObject') continue;
      const prefix = /^\/[^/]+\/([^/]+\/)/.exec(call.path)?.[1] ?? '(bucket)';
      s3WritesByPrefix[prefix] = (s3WritesByPrefix[prefix] ?? 0) + 1 / options.images;
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    return {
      owner: OWNER,
      images: imagePhase,
      others: otherPhase,
      children: { executions: durationsMs.length, durationsMs },
      finals,
      postings: ids.map((id) => postingsOf.get(id) ?? []),
      // The warm-up's two images made thumbnails too.
      derivedBytes: derived / (ids.length + 2),
      s3WritesByPrefix,
      originalBytes: mean(photos.map((p) => p.body.length)),
      eventBytes: mean(events),
      emulator: moto.description,
      runnerProcessing: (ready as { processing?: unknown }).processing,
      wallS: (Date.now() - started) / 1000,
    };
  } finally {
    s3.destroy();
    dynamodb.destroy();
    sfn.destroy();
    motoSfn.destroy();
    await runner.stop();
    await proxy.stop();
    await moto.stop();
  }
}
