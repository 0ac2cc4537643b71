/**
 * The measured half of bench/sharing: albums and share links in a real local run, every AWS call counted.
 *
 * 1. Start moto, the counting proxy in front of it (test/resilience/support/fault-proxy.ts, no faults) and the local
 *    runner pointed at the proxy (`--auth none`, inference none), from this tree's sources.
 * 2. Upload `photos` small JPEGs (the fixture photos at 640 px, each made distinct) and wait until all are processed.
 * 3. Warm every route once (module loads and first-call work left out), then run each operation of `plan.ts`
 *    `requests` times, one request at a time. For each request: its wall time, the runner's CPU (idle use taken
 *    out), the AWS calls it made per API (those that started while it ran), and, read back from moto, the items
 *    its writes changed (before and after, so index writes are seen) and the items its reads read (a Query sent again
 *    without projection or filter), sized by DynamoDB's rules (units.ts).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateScan,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import sharp from 'sharp';
import { postToS3, type UploadTicket } from '../../lambdas/cli/api-client';
import { startEmulator } from '../../lambdas/local/emulator';
import { eventually } from '../../test/e2e/support';
import { fixturePath, photoNames } from '../../test/fixtures';
import { FaultProxy, type ObservedCall } from '../../test/resilience/support/fault-proxy';
import { startRunner } from '../../test/support/runner-process';
import { coveredMs } from '../capacity/measure';
import type { IndexShape, Item } from '../support/dynamodb';
import { itemSize } from '../support/dynamodb';
import {
  type ItemRead,
  keyName,
  readFigure,
  readsOf,
  replayOf,
  type TableShape,
  type WriteFigures,
  writeFigures,
  writesOf,
} from './units';

/** One request as the plan sends it. */
export interface Sent {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a request answered. */
export interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/** An API the bench talks to: one request, its answer. */
export type Send = (request: Sent) => Promise<Answer>;

/** One operation's figures, per request (means over its requests). */
export interface OperationRun {
  name: string;
  requests: number;
  statuses: number[];
  /** Wall time of each request on this machine (moto's latency included), ms. */
  ms: number[];
  /** Of each, the time covered by its AWS calls (moto), ms. */
  awsMs: number[];
  /** The runner's CPU per request, ms, its idle use over the same time taken out. */
  cpuMs: number;
  /** AWS calls per request, per `service.api`. */
  calls: Record<string, number>;
  writes: WriteFigures;
  /** Read units per request, and per table or `table/index`. */
  readUnits: number;
  readsByPlace: Record<string, number>;
  /** Items on the answer's page (`items`), per request. */
  pageItems: number;
  /** Writes to tables the bench does not read back (sized by the written item alone), per request. */
  unsnapshotted: number;
  /**
   * Calls of the runner's queue consumers while the request ran, per request: the webhooks' fan-out of an event the
   * route sent (its SendMessage is the route's), left out of the route's figures.
   */
  followOn: Record<string, number>;
}

/** One operation of the plan: `requests` requests made by `request(i)`. */
export interface Operation {
  name: string;
  request: (i: number) => Sent;
  /** Remember what the i-th answer says (an album's id, a token) for later operations. */
  keep?: (answer: Answer, i: number) => void;
  /** The answer's status when it works (default 200). */
  expect?: number;
}

export interface MeasureOptions {
  photos: number;
  requests: number;
  /** The plan, given the uploaded image ids and whether the share routes exist. */
  plan: (imageIds: string[]) => { warmUp: Operation[]; measured: Operation[] };
  log: (line: string) => void;
}

export interface MeasureRun {
  operations: OperationRun[];
  tables: TableShape[];
  /** AWS calls seen while the runner was idle (3 s), per API: background work, left out of every request. */
  idleCalls: Record<string, number>;
  idleCpuMsPerS: number;
  emulator: string;
  wallS: number;
}

const ROOT = path.join(__dirname, '../..');
/** The pollers' long polls run all the time and belong to no request. */
const BACKGROUND = new Set(['sqs.ReceiveMessage']);
/**
 * The tables read back whole around each request (small here): what their writes changed. Writes elsewhere are
 * counted apart (`unsnapshotted`: none in the plan); reads elsewhere are read back by key.
 */
const SNAPSHOT = ['albums', 'shares'];
/** What a queue consumer does with a message (SQS's deletes and visibility changes), never a route. */
const CONSUMER_SQS = /^(DeleteMessage|ChangeMessageVisibility)/;

/** CPU nanoseconds of a process and its descendants (every thread: /proc/<pid>/task/<tid>/schedstat). */
export function treeCpuNs(pid: number): number {
  let total = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const task of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/);
      for (const child of children.filter(Boolean)) total += treeCpuNs(Number(child));
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return total;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Distinct small JPEGs: the fixture photos at 640 px wide, a few random bytes after each. */
async function smallPhotos(count: number): Promise<Buffer[]> {
  const sources = await Promise.all(
    photoNames().map((name) =>
      sharp(fixturePath(`photos/${name}`))
        .resize({ width: 640 })
        .jpeg()
        .toBuffer(),
    ),
  );
  return Array.from({ length: count }, (_, i) =>
    Buffer.concat([sources[i % sources.length] as Buffer, randomBytes(16)]),
  );
}

export async function measure(options: MeasureOptions): Promise<MeasureRun> {
  const { log } = options;
  const started = Date.now();
  const moto = await startEmulator({ venvDir: path.join(ROOT, '.local', 'moto-venv'), log });
  const calls: ObservedCall[] = [];
  const proxy = await FaultProxy.start({ target: moto.endpoint, observe: (call) => calls.push(call) });
  const runner = await startRunner({ endpoint: proxy.url, fromSource: true, readyTimeoutMs: 180_000 }).catch(
    async (error) => {
      await proxy.stop();
      await moto.stop();
      throw error;
    },
  );
  const dynamodb = new DynamoDBClient({
    endpoint: moto.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { ready } = runner;
  const pid = runner.child.pid as number;
  const send: Send = async ({ method, path: where, body, headers }) => {
    const response = await fetch(`${ready.apiUrl}${where}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  try {
    const tables = new Map<string, TableShape>();
    const tableNames: Record<string, string> = { images: ready.table, ...ready.tables };
    for (const name of new Set(Object.values(tableNames))) tables.set(name, await describe(dynamodb, name));

    log(`runner ready; uploading ${options.photos} photos`);
    const ids: string[] = [];
    const photos = await smallPhotos(options.photos);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < photos.length; i = next++) {
          const bytes = photos[i] as Buffer;
          const { json } = await send({
            method: 'POST',
            path: '/uploads',
            body: { contentType: 'image/jpeg', size: bytes.length, filename: `bench-${i}.jpg` },
          });
          await postToS3(json as unknown as UploadTicket, bytes);
          ids.push((json as unknown as UploadTicket).imageId);
        }
      }),
    );
    const pending = new Set(ids);
    await eventually(`${ids.length} photos processed`, 300_000, async () => {
      for (const id of [...pending]) {
        const { json } = await send({ method: 'GET', path: `/images/${id}` });
        if (json.status === 'PROCESSED') pending.delete(id);
      }
      return pending.size === 0 ? true : undefined;
    });
    // Upload order, oldest first, as the gallery lists them newest first.
    ids.sort();

    const { warmUp, measured } = options.plan(ids);
    log(`warming ${warmUp.length} routes`);
    for (const op of warmUp) {
      const answer = await send(op.request(0));
      await check(op, 0, answer);
      op.keep?.(answer, 0);
    }
    await sleep(1000);

    log('idle: 3 s');
    const idleFrom = calls.length;
    const [idleCpu, idleAt] = [treeCpuNs(pid), now()];
    await sleep(3000);
    const idleCpuMsPerS = (treeCpuNs(pid) - idleCpu) / 1e6 / ((now() - idleAt) / 1000);
    const idleCalls = countCalls(calls.slice(idleFrom).filter((c) => !BACKGROUND.has(`${c.service}.${c.api}`)));

    const snapshotTables = SNAPSHOT.map((name) => tableNames[name]).filter((name): name is string => !!name);
    const operations: OperationRun[] = [];
    for (const op of measured) {
      log(`${op.name}: ${options.requests} requests`);
      const run: OperationRun = {
        name: op.name,
        requests: options.requests,
        statuses: [],
        ms: [],
        awsMs: [],
        cpuMs: 0,
        calls: {},
        writes: { items: 0, transactional: 0, tableUnits: 0, indexWrites: 0, indexUnits: 0, byPlace: {} },
        readUnits: 0,
        readsByPlace: {},
        pageItems: 0,
        unsnapshotted: 0,
        followOn: {},
      };
      const cpuMs: number[] = [];
      for (let i = 0; i < options.requests; i++) {
        const before = await snapshot(dynamodb, snapshotTables);
        const request = op.request(i);
        const from = calls.length;
        const [cpu0, t0] = [treeCpuNs(pid), now()];
        const answer = await send(request);
        const [t1, cpu1] = [now(), treeCpuNs(pid)];
        await check(op, i, answer);
        op.keep?.(answer, i);
        // Let what the request set going in the background (an event's fan-out) end before the items are read back.
        await sleep(200);
        const seen = calls.slice(from).filter((c) => c.startedAt >= t0 && !BACKGROUND.has(`${c.service}.${c.api}`));
        const consumer = (c: ObservedCall) =>
          (c.service === 'sqs' && CONSUMER_SQS.test(c.api)) ||
          (c.service === 'dynamodb' && tableOf(c.body) === tableNames.webhooks);
        const own = seen.filter((c) => !consumer(c));
        for (const [api, count] of Object.entries(countCalls(seen.filter(consumer)))) {
          run.followOn[api] = (run.followOn[api] ?? 0) + count;
        }
        const after = await snapshot(dynamodb, snapshotTables);
        run.statuses.push(answer.status);
        run.ms.push(t1 - t0);
        run.awsMs.push(coveredMs(own));
        cpuMs.push((cpu1 - cpu0) / 1e6 - (idleCpuMsPerS * (t1 - t0)) / 1000);
        for (const [api, count] of Object.entries(countCalls(own))) run.calls[api] = (run.calls[api] ?? 0) + count;
        const dynamoCalls = own.filter((c) => c.service === 'dynamodb');
        const writes = dynamoCalls.flatMap((c) => writesOf(c.api, c.body, tables));
        run.unsnapshotted += writes.filter((w) => !snapshotTables.includes(w.table)).length;
        const figures = writeFigures(
          writes,
          tables,
          (table, key) => before.get(keyName(table, key)),
          (table, key) => after.get(keyName(table, key)) ?? (snapshotTables.includes(table) ? undefined : key),
        );
        addWrites(run.writes, figures);
        for (const read of dynamoCalls.flatMap((c) => readsOf(c.api, c.body))) {
          const units = readFigure(read, await readSizes(dynamodb, read, after, snapshotTables));
          run.readUnits += units;
          const place = read.index ? `${read.table}/${read.index}` : read.table;
          run.readsByPlace[place] = (run.readsByPlace[place] ?? 0) + units;
        }
        run.pageItems += Array.isArray(answer.json.items) ? answer.json.items.length : 0;
      }
      const n = options.requests;
      run.cpuMs = Math.max(0, mean(cpuMs));
      run.calls = divide(run.calls, n);
      run.writes = {
        ...run.writes,
        items: run.writes.items / n,
        transactional: run.writes.transactional / n,
        tableUnits: run.writes.tableUnits / n,
        indexWrites: run.writes.indexWrites / n,
        indexUnits: run.writes.indexUnits / n,
        byPlace: divide(renamed(run.writes.byPlace, tableNames), n),
      };
      run.readUnits /= n;
      run.readsByPlace = divide(renamed(run.readsByPlace, tableNames), n);
      run.followOn = divide(run.followOn, n);
      run.pageItems /= n;
      run.unsnapshotted /= n;
      operations.push(run);
    }
    return {
      operations,
      tables: [...tables.values()].map((shape) => ({ ...shape, name: nameOf(tableNames, shape.name) })),
      idleCalls,
      idleCpuMsPerS,
      emulator: moto.description,
      wallS: (Date.now() - started) / 1000,
    };
  } finally {
    dynamodb.destroy();
    await runner.stop();
    await proxy.stop();
    await moto.stop();
  }
}

/** A request that did not answer as the plan expects stops the run: its figures would be of an error path. */
async function check(op: Operation, i: number, answer: Answer): Promise<void> {
  const expected = op.expect ?? 200;
  if (answer.status !== expected) {
    throw new Error(`${op.name} #${i}: ${answer.status} (expected ${expected}): ${JSON.stringify(answer.json)}`);
  }
}

function countCalls(list: readonly ObservedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of list) counts[`${call.service}.${call.api}`] = (counts[`${call.service}.${call.api}`] ?? 0) + 1;
  return counts;
}

const divide = (counts: Record<string, number>, by: number) =>
  Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, value / by]));

function addWrites(sum: WriteFigures, one: WriteFigures): void {
  sum.items += one.items;
  sum.transactional += one.transactional;
  sum.tableUnits += one.tableUnits;
  sum.indexWrites += one.indexWrites;
  sum.indexUnits += one.indexUnits;
  for (const [place, units] of Object.entries(one.byPlace)) sum.byPlace[place] = (sum.byPlace[place] ?? 0) + units;
}

/** A JSON-protocol call's `TableName`. */
const tableOf = (body: string) => /"TableName":"([^"]+)"/.exec(body)?.[1];

/** Units by `table` or `table/index`, the tables by their declarations' names. */
const renamed = (units: Record<string, number>, names: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(units).map(([place, value]) => {
      const [table = '', index] = place.split('/');
      return [index ? `${nameOf(names, table)}/${index}` : nameOf(names, table), value];
    }),
  );

/** The declaration's name of a table (`albums`), for the report, from the runner's prefixed name. */
const nameOf = (names: Record<string, string>, table: string) =>
  Object.entries(names).find(([, value]) => value === table)?.[0] ?? table;

async function describe(dynamodb: DynamoDBClient, name: string): Promise<TableShape> {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName as string);
  const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((gsi): IndexShape => {
    const hash = gsi.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName as string;
    const range = gsi.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    return {
      indexName: gsi.IndexName as string,
      partitionKey: hash,
      ...(range && { sortKey: range }),
      projection: (gsi.Projection?.ProjectionType ?? 'ALL') as IndexShape['projection'],
      ...(gsi.Projection?.NonKeyAttributes && { nonKeyAttributes: gsi.Projection.NonKeyAttributes }),
    };
  });
  return { name, keys, indexes };
}

/** Every item of these tables, by `keyName`. */
async function snapshot(dynamodb: DynamoDBClient, names: readonly string[]): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  for (const table of names) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    const keys = (Table?.KeySchema ?? []).map((k) => k.AttributeName as string);
    for await (const page of paginateScan({ client: dynamodb }, { TableName: table })) {
      for (const item of (page.Items ?? []) as Item[]) {
        items.set(keyName(table, Object.fromEntries(keys.map((k) => [k, item[k]])) as Item), item);
      }
    }
  }
  return items;
}

/** The sizes of what one read read: each key's item (from the snapshot, else moto), or a Query's items again. */
async function readSizes(
  dynamodb: DynamoDBClient,
  read: ItemRead,
  items: ReadonlyMap<string, Item>,
  snapshotted: readonly string[],
): Promise<(number | undefined)[]> {
  if (read.request) {
    const replay = replayOf(read.request);
    const { Items = [] } =
      read.api === 'Query'
        ? await dynamodb.send(new QueryCommand(replay as unknown as QueryCommandInput))
        : await dynamodb.send(new ScanCommand(replay as unknown as ScanCommandInput));
    return (Items as Item[]).map(itemSize);
  }
  if (snapshotted.includes(read.table)) {
    return read.keys.map((key) => {
      const item = items.get(keyName(read.table, key));
      return item && itemSize(item);
    });
  }
  const sizes: (number | undefined)[] = [];
  for (let i = 0; i < read.keys.length; i += 100) {
    const keys = read.keys.slice(i, i + 100);
    const { Responses } = await dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { [read.table]: { Keys: keys as Record<string, never>[] } } }),
    );
    const found = (Responses?.[read.table] ?? []) as Item[];
    sizes.push(...found.map(itemSize), ...Array<undefined>(keys.length - found.length).fill(undefined));
  }
  return sizes;
}
