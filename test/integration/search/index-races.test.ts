import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ANALYSIS_VERSION } from '../../../lambdas/core/record';
import { correctLabels } from '../../../lambdas/images/functions/correct-labels/correct-labels';
import { editTags } from '../../../lambdas/images/functions/edit-tags/edit-tags';
import { leaveOwner } from '../../../lambdas/ingest/functions/processor/ownership';
import { storeStep } from '../../../lambdas/ingest/functions/processor/steps/store';
import type { Analysis, StepContext } from '../../../lambdas/kit/processor-step';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../lambdas/manifest/step-runners';
import type { CoverLinks } from '../../../lambdas/people/functions/people-api';
import { removePersonFaces } from '../../../lambdas/people/functions/remove-person-faces/remove-person-faces';
import type { PeoplePort } from '../../../lambdas/people/ports';
import { correctPlace } from '../../../lambdas/places/functions/correct-place/correct-place';
import { postingsCleanup } from '../../../lambdas/search/cleanup';
import type { SearchFilters } from '../../../lambdas/search/filters';
import { SearchIndex } from '../../../lambdas/search/index-table';
import { postingKey, SEARCH_TABLE } from '../../../lambdas/search/postings-design';
import { searchIndexStep } from '../../../lambdas/search/steps/search-index';
import { normalizeName } from '../../../lambdas/search/terms';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { ImageStore } from '../../../lambdas/store/image-store';
import { ImageTrash } from '../../../lambdas/store/image-trash';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { purgeImage } from '../../../lambdas/trash/purge-image';
import { restoreImage, trashImage } from '../../../lambdas/trash/trash-image';
import { FakeGeocoder } from '../../support/geocoder-fake';
import { imageIds, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * Issue 55, finding 4: no posting, place count or search hit outlives what the record says, whatever the order of an
 * index writer and a remover. Every writer (a processing run's finalise, a reprocess, a label correction, an owner's
 * edit of its tags, a place correction, a restore) races every remover (a permanent delete, a move to the trash, a
 * backfill's re-own) with one side held at a gate of ours on its DynamoDB client while the other runs to its end, then
 * let go; and each in turn whole, both ways round. Then the search table must say exactly what the record says: the
 * postings of its terms under its owner (none once it is deleted or trashed), a place counted once for that owner and
 * for no one else, and a search of the old owner's finding nothing.
 */

const config = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
};
const prefix = `races-${randomUUID().slice(0, 8)}`;
/** The images table, and each case's own search table (so a case reads back only its own postings and counters). */
const tables = { images: `${prefix}-images`, search: '' };
const dynamodb = new DynamoDBClient(config);
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
const store = new ImageStore(documents, tables.images);
const trash = new ImageTrash(documents, tables.images);
const quiet = { publish: async () => {} };

/** One party's hold: the first matching call waits at it until `open`; `reached` says one got there. */
class Gate {
  private armed = false;
  private release: () => void = () => {};
  private held: Promise<void> = Promise.resolve();
  private arrive: () => void = () => {};
  reached: Promise<void> = Promise.resolve();

  arm(): void {
    this.armed = true;
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
    this.reached = new Promise((resolve) => {
      this.arrive = resolve;
    });
  }

  open(): void {
    this.armed = false;
    this.release();
  }

  async pass(): Promise<void> {
    if (!this.armed) return;
    this.arrive();
    await this.held;
  }
}

type Hold = 'puts' | 'deletes' | 'reads';

/** A document client whose posting puts, posting deletes or record reads (as `hold` says) wait at the gate. */
function gated(gate: Gate, hold: Hold): DynamoDBDocumentClient {
  const matches = (command: unknown): boolean => {
    if (hold === 'reads') return command instanceof GetCommand;
    const kind = hold === 'puts' ? 'Put' : 'Delete';
    if (command instanceof BatchWriteCommand) {
      return Object.values(command.input.RequestItems ?? {}).some((requests) =>
        requests.some((request) => request[`${kind}Request`] !== undefined),
      );
    }
    if (command instanceof TransactWriteCommand) {
      return (command.input.TransactItems ?? []).some((item) => item[kind] !== undefined);
    }
    return false;
  };
  return new Proxy(documents, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        if (matches(command)) await gate.pass();
        return target.send(command as never);
      };
    },
  });
}

/** The search index of one party: its writes through `client`, its checks of the record through `reads`. */
function indexOf(client: DynamoDBDocumentClient = documents, reads: DynamoDBDocumentClient = documents) {
  return new SearchIndex(client, tables.search, { records: new ImageStore(reads, tables.images) });
}

const ids = imageIds(400);
let next = 0;

/** One case's image: its own id and owners, so its postings and its place counters are its own. */
async function newCase() {
  const n = next++;
  tables.search = `${prefix}-search-${n}`;
  await createDeclaredTable(dynamodb, tables.search, SEARCH_TABLE.design);
  return { imageId: ids[n] as string, owner: `alice-${n}`, newOwner: `bob-${n}` };
}
type Case = Awaited<ReturnType<typeof newCase>>;

/** The image as a processing run makes it for `owner`: processed, at Basel, with a label. */
function processed(one: Case, owner: string, labels = ['Coffee Cup']): ImageItem {
  const base = searchableItem();
  return {
    ...base,
    imageId: one.imageId,
    owner,
    key: `uploads/${one.imageId}.jpg`,
    vision: {
      ...(base.vision as NonNullable<ImageItem['vision']>),
      labels: labels.map((name) => ({ name, confidence: 0.9, source: 'objects' as const })),
    },
    analysisVersion: ANALYSIS_VERSION,
    updatedAt: new Date().toISOString(),
  };
}

/** A processing run's store and index steps (steps.ts), from the record as the run read it. */
async function processingRun(
  one: Case,
  index: SearchIndex,
  asked: { owner: string; reanalyse?: boolean; reown?: boolean; labels?: string[]; afterRead?: () => Promise<void> },
) {
  const existing = await store.get(one.imageId);
  // A run that starts after a permanent delete finds no object (the delete takes it before the record): MISSING.
  if (existing === undefined) return;
  await asked.afterRead?.();
  // The registry's steps: a re-own asks each what it keeps under the old owner (`leave`; no people here).
  const deps = { steps: PROCESSOR_STEP_LIST, store, index, people: undefined } as unknown as ProcessorDeps;
  const reown = asked.reown === true && existing !== undefined && existing.owner !== asked.owner;
  if (reown) await leaveOwner(existing, { owner: asked.owner }, deps);
  const now = () => new Date().toISOString();
  const context = {
    notice: { reanalyse: asked.reanalyse, owner: asked.owner },
    attempt: { count: 1, last: false },
    deps,
    existing,
    previous: reown ? undefined : existing,
    reown,
    now,
  } as unknown as StepContext<ProcessorDeps>;
  const part = await storeStep.run(context, { item: processed(one, asked.owner, asked.labels) } as Analysis);
  if (part.outcome !== undefined) return;
  await searchIndexStep.run(context, { ...part, item: part.item } as Analysis);
}

/** A record as an upload URL leaves it: PENDING, the owner's. */
function pendingRecord(one: Case) {
  const at = new Date().toISOString();
  return store.createPending({
    imageId: one.imageId,
    entity: 'IMAGE',
    status: 'PENDING',
    owner: one.owner,
    createdAt: at,
    updatedAt: at,
    bucket: 'images-bucket',
    key: `uploads/${one.imageId}.jpg`,
  });
}

/** A record as the processor leaves it, indexed: PROCESSED (by an older analysis: one a reprocess replaces). */
async function processedRecord(one: Case, analysisVersion = ANALYSIS_VERSION) {
  await pendingRecord(one);
  await processingRun(one, indexOf(), { owner: one.owner });
  if (analysisVersion === ANALYSIS_VERSION) return;
  await documents.send(
    new UpdateCommand({
      TableName: tables.images,
      Key: { imageId: one.imageId },
      UpdateExpression: 'SET analysisVersion = :v',
      ExpressionAttributeValues: { ':v': analysisVersion },
    }),
  );
}

const caller = (one: Case) => ({ owner: one.owner, admin: false });

interface Writer {
  name: string;
  /** The record before the race, as the writer needs it. */
  before(one: Case): Promise<void>;
  write(one: Case, index: SearchIndex): Promise<unknown>;
}

const WRITERS: Writer[] = [
  {
    name: "a processing run's finalise",
    before: pendingRecord,
    write: (one, index) => processingRun(one, index, { owner: one.owner, labels: ['Coffee Cup', 'Pier'] }),
  },
  {
    name: 'a reprocess',
    before: (one) => processedRecord(one, '0.9.0'),
    write: (one, index) =>
      processingRun(one, index, { owner: one.owner, reanalyse: true, labels: ['Coffee Cup', 'Harbour'] }),
  },
  {
    name: 'a label correction',
    before: (one) => processedRecord(one),
    write: (one, index) =>
      correctLabels(one.imageId, { add: ['Kite'], remove: [] }, caller(one), { store, index, publisher: quiet }),
  },
  {
    name: "an owner's edit (tags)",
    before: (one) => processedRecord(one),
    write: (one, index) =>
      editTags(one.imageId, { add: ['Kite'], remove: [] }, caller(one), { store, index, publisher: quiet }),
  },
  {
    name: 'a place correction',
    before: (one) => processedRecord(one),
    write: (one, index) =>
      correctPlace(
        one.imageId,
        { place: { country: { name: 'Germany', code: 'DE' }, locality: { name: 'Weil am Rhein' } } },
        caller(one),
        { store, index, publisher: quiet, geocoder: new FakeGeocoder() },
      ),
  },
  {
    name: 'a people correction (faces out of a person)',
    before: (one) => processedRecord(one),
    write: (one, index) =>
      removePersonFaces('personA', one.imageId, undefined, caller(one), {
        // The people table is not the subject: it answers that the person's two faces in the image came out.
        people: { removeFaces: async () => ({ faces: [0, 2] }) } as unknown as PeoplePort,
        covers: {} as CoverLinks,
        images: store,
        index,
      }),
  },
  {
    name: 'a restore from the trash',
    before: async (one) => {
      await processedRecord(one);
      await trashImage(one.imageId, caller(one), {
        store,
        trash,
        cleanups: [postingsCleanup(indexOf())],
        publisher: quiet,
        trashDays: 30,
      });
    },
    write: (one, index) =>
      restoreImage(one.imageId, caller(one), { store, trash, cleanups: [postingsCleanup(index)], publisher: quiet }),
  },
];

interface Remover {
  name: string;
  remove(one: Case, index: SearchIndex): Promise<unknown>;
}

const REMOVERS: Remover[] = [
  {
    name: 'a permanent delete',
    remove: (one, index) =>
      purgeImage(one.imageId, caller(one), {
        store,
        objects: { deleteObjects: async () => {} },
        cleanups: [postingsCleanup(index)],
        publisher: quiet,
      }),
  },
  {
    name: 'a move to the trash',
    remove: (one, index) =>
      trashImage(one.imageId, caller(one), {
        store,
        trash,
        cleanups: [postingsCleanup(index)],
        publisher: quiet,
        trashDays: 30,
      }),
  },
  {
    name: "a backfill's re-own",
    remove: (one, index) => processingRun(one, index, { owner: one.newOwner, reown: true }),
  },
];

/**
 * What a party may answer when the other got there first: a 404 or a 409 (false). Anything else fails the test.
 * True when it went through.
 */
async function settle(run: Promise<unknown>): Promise<boolean> {
  try {
    await run;
    return true;
  } catch (error) {
    if (!['NotFoundError', 'ConflictError'].includes((error as Error).name)) throw error;
    return false;
  }
}

/** A permanent delete that went through is for good: no writer after it brings the record back. */
async function expectDeletedFor(good: boolean, remover: Remover, one: Case) {
  if (good && remover.name === 'a permanent delete') expect(await store.get(one.imageId)).toBeUndefined();
}

/** Every item of the search table: the postings and the counters. */
async function searchRows(): Promise<Array<Record<string, unknown> & { term: string; imageId: string }>> {
  const rows: Array<Record<string, unknown> & { term: string; imageId: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tables.search, ExclusiveStartKey: start }));
    rows.push(...((page.Items ?? []) as typeof rows));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return rows;
}

const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };

/** The search table says what the record says, and nothing for anyone else. */
async function expectIndexAsRecord(one: Case) {
  const record = await store.get(one.imageId);
  const live = record !== undefined && record.status !== 'TRASHED' && record.owner !== undefined;
  const terms = live ? (record.indexedTerms ?? []) : [];
  const rows = await searchRows();
  const postings = rows.filter((row) => row.imageId === one.imageId).map((row) => row.term);
  expect(postings.sort()).toEqual(terms.map((term) => postingKey(record?.owner as string, term, one.imageId)).sort());

  const countedFor = (owner: string) =>
    rows
      .filter((row) => row.term.startsWith(`${owner}#places#`))
      .reduce((sum, row) => sum + ((row.count as number | undefined) ?? 0), 0);
  const counted = terms.filter((term) => term.startsWith('placePath=')).length;
  expect(countedFor(one.owner)).toBe(live && record.owner === one.owner ? counted : 0);
  expect(countedFor(one.newOwner)).toBe(live && record.owner === one.newOwner ? counted : 0);

  const found = async (owner: string) =>
    (
      await indexOf().search({ owner, filters: { ...none, label: [normalizeName('Coffee Cup')] }, limit: 10 })
    ).items.map((hit) => hit.imageId);
  expect(await found(one.owner)).toEqual(live && record.owner === one.owner ? [one.imageId] : []);
  expect(await found(one.newOwner)).toEqual(live && record.owner === one.newOwner ? [one.imageId] : []);
}

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.images, RESULTS_TABLE.design);
});
afterAll(() => dynamodb.destroy());

const PAIRS = WRITERS.flatMap((writer) =>
  REMOVERS.map((remover) => [writer.name, remover.name, writer, remover] as const),
);

describe('an index writer against a remover', () => {
  it.each(PAIRS)('%s, its postings held while %s runs', async (_w, _r, writer, remover) => {
    const one = await newCase();
    await writer.before(one);
    const gate = new Gate();
    gate.arm();
    const writing = settle(writer.write(one, indexOf(gated(gate, 'puts'))));
    await Promise.race([gate.reached, writing]);
    const removed = await settle(remover.remove(one, indexOf()));
    gate.open();
    await writing;
    await expectIndexAsRecord(one);
    await expectDeletedFor(removed, remover, one);
  });

  it.each(PAIRS)('%s, held after its postings (before its check) while %s runs', async (_w, _r, writer, remover) => {
    const one = await newCase();
    await writer.before(one);
    const gate = new Gate();
    gate.arm();
    const writing = settle(writer.write(one, indexOf(documents, gated(gate, 'reads'))));
    await Promise.race([gate.reached, writing]);
    const removed = await settle(remover.remove(one, indexOf()));
    gate.open();
    await writing;
    await expectIndexAsRecord(one);
    await expectDeletedFor(removed, remover, one);
  });

  it.each(PAIRS)('%s runs while %s is held before its postings go', async (_w, _r, writer, remover) => {
    const one = await newCase();
    await writer.before(one);
    const gate = new Gate();
    gate.arm();
    const removing = settle(remover.remove(one, indexOf(gated(gate, 'deletes'))));
    await Promise.race([gate.reached, removing]);
    await settle(writer.write(one, indexOf()));
    gate.open();
    await expectDeletedFor(await removing, remover, one);
    await expectIndexAsRecord(one);
  });

  it.each(PAIRS)('%s, then %s', async (_w, _r, writer, remover) => {
    const one = await newCase();
    await writer.before(one);
    await settle(writer.write(one, indexOf()));
    await expectDeletedFor(await settle(remover.remove(one, indexOf())), remover, one);
    await expectIndexAsRecord(one);
  });

  it.each(PAIRS)('%s after %s', async (_w, _r, writer, remover) => {
    const one = await newCase();
    await writer.before(one);
    const removed = await settle(remover.remove(one, indexOf()));
    await settle(writer.write(one, indexOf()));
    await expectIndexAsRecord(one);
    await expectDeletedFor(removed, remover, one);
  });
});

it('checks a case that is no race: the processed image is found by its owner alone, counted once at its place', async () => {
  const one = await newCase();
  await processedRecord(one);
  const record = await store.get(one.imageId);
  expect(record?.indexedTerms).toEqual(expect.arrayContaining(['placePath=ch/baselstadt/basel']));
  await expectIndexAsRecord(one);
  expect((await searchRows()).filter((row) => row.imageId === one.imageId).length).toBeGreaterThan(3);
});

it('puts a restored image back in search when its restore ran between a move to the trash and its postings going', async () => {
  const one = await newCase();
  await processedRecord(one);
  const gate = new Gate();
  gate.arm();
  const trashing = settle(
    trashImage(one.imageId, caller(one), {
      store,
      trash,
      cleanups: [postingsCleanup(indexOf(gated(gate, 'deletes')))],
      publisher: quiet,
      trashDays: 30,
    }),
  );
  await Promise.race([gate.reached, trashing]);
  await restoreImage(one.imageId, caller(one), {
    store,
    trash,
    cleanups: [postingsCleanup(indexOf())],
    publisher: quiet,
  });
  gate.open();
  await trashing;
  expect((await store.get(one.imageId))?.status).toBe('PROCESSED');
  await expectIndexAsRecord(one);
});

it('keeps a permanent delete for good when the processing run that read the record before it writes after it', async () => {
  const one = await newCase();
  await pendingRecord(one);
  const deleting = REMOVERS[0] as Remover;
  await processingRun(one, indexOf(), {
    owner: one.owner,
    afterRead: async () => {
      expect(await settle(deleting.remove(one, indexOf()))).toBe(true);
    },
  });
  expect(await store.get(one.imageId)).toBeUndefined();
  await expectIndexAsRecord(one);
});
