/**
 * The real grouping on the labelled set (bench/people/set.ts): `PeopleStore` + `LshFaceIndex` on a moto people
 * table, each described copy grouped as an image of its own, in a fixed order and in shuffled ones; pairwise
 * precision and recall of the person ids it gave (bench/support/pairwise.ts), and what it cost per face: the
 * DynamoDB requests it made (counted by a middleware on the client, so every request of the code is counted), the
 * items they read and wrote, and the time on moto (which is not DynamoDB: the time says little about AWS).
 *
 * And the LSH candidate step alone (bench/people/hashings.ts: the committed hashing and the one it replaced), on
 * the set's real descriptors or synthetic ones: how they spread over each table's buckets, and whether two copies
 * of one person within FACE_MATCH_DISTANCE meet in a probe.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FACE_MATCH_DISTANCE } from '../../lambdas/core/faces';
import { startEmulator } from '../../lambdas/local/emulator';
import { createDeclaredTable } from '../../lambdas/local/tables';
import type { DescribedFace } from '../../lambdas/people/contract';
import { descriptorDistance } from '../../lambdas/people/descriptor';
import { type FaceIndex, LshFaceIndex } from '../../lambdas/people/face-index';
import { PeopleStore } from '../../lambdas/people/people-store';
import { PEOPLE_TABLE } from '../../lambdas/people/table-design';
import { seededRandom } from '../../lambdas/shared/seeded-random';
import { type Item, itemSize, numberSize, readUnits, writeUnits } from '../support/dynamodb';
import { type PairwiseScores, pairwiseScores } from '../support/pairwise';
import { committedHashing, type Hashing } from './hashings';
import type { LabelledDescriptor } from './set';

/** Requests and their size, by DynamoDB operation. */
export interface RequestCounts {
  requests: Record<string, number>;
  itemsRead: number;
  /** Read units (on-demand read request units), estimated from the items' sizes (DynamoDB's rules, 4 KB steps). */
  readUnits: number;
  transactionItems: number;
  /** Write units of the transactions: 2 per item per 1 KB (a transactional write costs twice). */
  writeUnits: number;
}

/** An unmarshalled value's size (what the document client answers), by the rules of support/dynamodb.ts. */
function plainSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return numberSize(String(value));
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + plainSize(v), 0);
  if (value !== null && typeof value === 'object') return 3 + plainItemSize(value as Record<string, unknown>);
  return 1;
}

function plainItemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + plainSize(value), 0);
}

/** A client whose every request is counted in `counts` (a middleware: each attempt the SDK sends is one). */
function countingClient(endpoint: string, counts: RequestCounts) {
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      counts.requests[name] = (counts.requests[name] ?? 0) + 1;
      const input = args.input as Record<string, unknown>;
      const result = await next(args);
      // The input is in DynamoDB's form here; the output is unmarshalled already (the document client's middleware
      // sits next to the deserializer).
      const output = result.output as unknown as Record<string, unknown>;
      if (name === 'Query') {
        // Projected attributes come back; the unprojected key (pk, its value known, and sk) is added to each.
        const pk = (input.ExpressionAttributeValues as Item)[':pk']?.S ?? '';
        const items = (output.Items ?? []) as Record<string, unknown>[];
        const bytes = items.reduce((sum, item) => {
          const sk = String(item.imageId ?? '').length + 3;
          return sum + plainItemSize(item) + 4 + Buffer.byteLength(pk) + sk;
        }, 0);
        counts.itemsRead += items.length;
        counts.readUnits += readUnits(bytes, false);
      } else if (name === 'GetItem') {
        const item = output.Item as Record<string, unknown> | undefined;
        counts.itemsRead += item ? 1 : 0;
        counts.readUnits += readUnits(item ? plainItemSize(item) : 0, input.ConsistentRead === true);
      } else if (name === 'TransactWriteItems') {
        for (const request of input.TransactItems as Record<string, { Item?: Item }>[]) {
          counts.transactionItems += 1;
          // A Put's item is known; an Update's (a person, a few hundred bytes) is taken as under 1 KB.
          const item = request.Put?.Item;
          counts.writeUnits += 2 * writeUnits(item ? itemSize(item) : 0);
        }
      }
      return result;
    },
    // Past the document client's marshalling and inside the SDK's retries: every HTTP request, in DynamoDB's form.
    { step: 'finalizeRequest', priority: 'low', name: 'benchCountRequests' },
  );
  return { dynamodb, client: DynamoDBDocumentClient.from(dynamodb) };
}

/**
 * The committed index with every descriptor moved by `-centre` before it is hashed, stored and compared: buckets of
 * the centred vector, distances unchanged (a translation keeps them). A bench-only way to try the proposal.
 */
function centredIndex(index: LshFaceIndex, centre: readonly number[]): FaceIndex {
  const moved = (face: DescribedFace) => ({
    ...face,
    descriptor: face.descriptor?.map((value, i) => value - (centre[i] as number)),
  });
  return {
    nearest: (owner, imageId, face) => index.nearest(owner, imageId, moved(face)),
    entries: (owner, imageId, face, personId) => index.entries(owner, imageId, moved(face), personId),
    remove: (owner, imageId, face) => index.remove(owner, imageId, moved(face)),
  };
}

/** One grouping run: the order the copies came in, its scores, its cost. */
export interface GroupingRun {
  order: string;
  hashing: string;
  faces: number;
  people: number;
  scores: PairwiseScores;
  counts: RequestCounts;
  msPerFace: number;
}

/** A seeded shuffle (mulberry32 + Fisher-Yates): the same order on every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const emptyCounts = (): RequestCounts => ({
  requests: {},
  itemsRead: 0,
  readUnits: 0,
  transactionItems: 0,
  writeUnits: 0,
});

/** A moto server already running (a test run's), and a prefix for the tables made on it. */
export interface SharedEmulator {
  endpoint: string;
  prefix: string;
}

/**
 * Group the set's described copies in the set's order and in `shuffles` seeded shuffles, each on a new table: with
 * the committed index, and (given `centre`) with it hashing descriptors less `centre`. On the moto `on` names (a test
 * run's), or on one started for these runs and stopped after them.
 */
export async function groupingRuns(
  set: LabelledDescriptor[],
  shuffles: number[],
  centre?: readonly number[],
  on?: SharedEmulator,
): Promise<GroupingRun[]> {
  const described = set.filter((s) => s.descriptor);
  const emulator = on
    ? { endpoint: on.endpoint, stop: async () => {} }
    : await startEmulator({ venvDir: path.join(__dirname, '../../.local/moto-venv'), log: () => {} });
  const prefix = on?.prefix ?? 'bench-people';
  try {
    const orders: [string, LabelledDescriptor[]][] = [
      ['set order (every astronaut copy, then every hopper copy)', described],
      ...shuffles.map((seed): [string, LabelledDescriptor[]] => [`shuffled (seed ${seed})`, shuffled(described, seed)]),
    ];
    const hashings: [string, readonly number[] | undefined][] = [
      ['committed', undefined],
      ...(centre ? [['less the mean', centre] as [string, readonly number[]]] : []),
    ];
    const runs: GroupingRun[] = [];
    let tables = 0;
    for (const [hashing, shift] of hashings) {
      for (const [order, faces] of orders) {
        tables += 1;
        runs.push(await groupingRun(emulator.endpoint, `${prefix}-${tables}`, order, faces, hashing, shift));
      }
    }
    return runs;
  } finally {
    await emulator.stop();
  }
}

async function groupingRun(
  endpoint: string,
  tableName: string,
  order: string,
  faces: LabelledDescriptor[],
  hashing: string,
  centre: readonly number[] | undefined,
): Promise<GroupingRun> {
  const counts = emptyCounts();
  const { dynamodb, client } = countingClient(endpoint, counts);
  await createDeclaredTable(dynamodb, tableName, PEOPLE_TABLE.design);
  counts.requests = {}; // the table's creation is not the grouping's
  const committed = new LshFaceIndex(client, tableName);
  const index = centre === undefined ? committed : centredIndex(committed, centre);
  const store = new PeopleStore(client, tableName, index);
  const assignments: Record<string, string> = {};
  const labels: Record<string, string> = {};
  const started = performance.now();
  for (const [n, face] of faces.entries()) {
    const imageId = `01BENCH${String(n).padStart(19, '0')}`;
    const box = { left: 0.3, top: 0.3, width: 0.2, height: 0.2 };
    const people = await store.groupFaces('bench', imageId, {
      faces: [{ face: 0, box, descriptor: face.descriptor }],
      skipped: { tooSmall: 0, overCap: 0 },
    });
    const key = `${face.person} ${face.copy}`;
    assignments[key] = people.faces[0]?.personId ?? `none-${key}`;
    labels[key] = face.person;
  }
  const elapsed = performance.now() - started;
  return {
    order,
    hashing,
    faces: faces.length,
    people: new Set(Object.values(assignments)).size,
    scores: pairwiseScores(assignments, labels),
    counts,
    msPerFace: elapsed / faces.length,
  };
}

/** How one hashing of the set spreads and whether near pairs meet. */
export interface LshSpread {
  hashing: string;
  /** Per table: distinct buckets used, and the largest bucket's share of the faces. */
  tables: { distinct: number; largestShare: number }[];
  /** Pairs of one person within FACE_MATCH_DISTANCE, and how many meet in a probe (whichever is grouped first). */
  nearPairs: number;
  nearPairsMet: number;
  /** Pairs of two people, and how many of them meet in a probe (candidates read for nothing). */
  otherPairs: number;
  otherPairsMet: number;
  /** Faces with a copy of their person within the distance, none of which they meet in a probe: they would split. */
  isolated: number;
}

/** The spread and the candidate step's recall of `hashing` on the set (a pair meets in both grouping orders). */
export function lshSpread(
  set: LabelledDescriptor[],
  hashing: Hashing = committedHashing,
  name = hashing.name,
): LshSpread {
  const described = set.filter((s) => s.descriptor);
  const buckets = described.map((s) => hashing.buckets(s.descriptor as number[]));
  const probed = described.map(
    (s) => new Set(hashing.probes(s.descriptor as number[]).map(({ table, key }) => `${table}#${key}`)),
  );
  const finds = (i: number, j: number) => (buckets[j] as string[]).some((key, t) => probed[i]?.has(`${t}#${key}`));
  const tables = (buckets[0] ?? []).map((_, table) => {
    const counts = new Map<string, number>();
    for (const face of buckets) counts.set(face[table] as string, (counts.get(face[table] as string) ?? 0) + 1);
    return { distinct: counts.size, largestShare: Math.max(...counts.values()) / described.length };
  });
  const spread = { hashing: name, tables, nearPairs: 0, nearPairsMet: 0, otherPairs: 0, otherPairsMet: 0, isolated: 0 };
  const near = described.map(() => ({ any: false, met: false }));
  for (let i = 0; i < described.length; i++) {
    for (let j = i + 1; j < described.length; j++) {
      const a = described[i] as LabelledDescriptor;
      const b = described[j] as LabelledDescriptor;
      const met = finds(i, j) && finds(j, i);
      if (a.person !== b.person) {
        spread.otherPairs += 1;
        spread.otherPairsMet += met ? 1 : 0;
      } else if (descriptorDistance(a.descriptor as number[], b.descriptor as number[]) < FACE_MATCH_DISTANCE) {
        spread.nearPairs += 1;
        spread.nearPairsMet += met ? 1 : 0;
        for (const k of [i, j]) {
          (near[k] as { any: boolean }).any = true;
          if (met) (near[k] as { met: boolean }).met = true;
        }
      }
    }
  }
  spread.isolated = near.filter((face) => face.any && !face.met).length;
  return spread;
}

/** The mean descriptor of the set, its length, and the mean length of a descriptor: how far from centred it is. */
export function descriptorCentre(set: LabelledDescriptor[]) {
  const described = set.filter((s) => s.descriptor).map((s) => s.descriptor as number[]);
  const mean = (described[0] as number[]).map((_, i) => described.reduce((sum, d) => sum + (d[i] as number), 0));
  const centre = mean.map((sum) => sum / described.length);
  const norm = (v: readonly number[]) => Math.hypot(...v);
  return {
    centre,
    centreLength: norm(centre),
    meanLength: described.reduce((sum, d) => sum + norm(d), 0) / described.length,
  };
}
