import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ANALYSIS_VERSION } from '../../../../lambdas/core/record';
import type { Vision } from '../../../../lambdas/core/vision-schema';
import { processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import type { ImageEvent } from '../../../../lambdas/manifest/events';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import type { FaceDescriptions } from '../../../../lambdas/people/contract';
import type { PeoplePort } from '../../../../lambdas/people/ports';
import { ImageStore } from '../../../../lambdas/store/image-store';
import type { VisionResult } from '../../../../lambdas/vision/steps/providers';
import { fixture } from '../../../fixtures';
import { setFields } from '../../../support/items';
import { descriptorOf, PeopleFake } from '../../../support/people-fake';

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const OWNER = 'alice';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };
const BOX = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };

/** What the run asked of the grouping (the re-pointing it asks for once the image is indexed left out). */
const grouping = (people: PeopleFake) => people.calls.filter((call) => call.method !== 'repointMerged');

const VISION: Vision = {
  labels: [],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [
    { confidence: 0.99, box: BOX },
    { confidence: 0.98, box: { ...BOX, left: 0.5 } },
    { confidence: 0.9, box: { ...BOX, left: 0.8, width: 0.01, height: 0.01 } },
  ],
  moderation: { checked: false, flagged: false, threshold: 0.8, labels: [] },
  inference: { provider: 'onnx', models: {}, durationMs: 12 },
};

/** Faces 0 and 1 described, the same person twice (a mirror, say); face 2 too small. */
const DESCRIPTIONS: FaceDescriptions = {
  faces: [
    { face: 0, box: BOX, descriptor: descriptorOf(0.2) },
    { face: 1, box: { ...BOX, left: 0.5 }, descriptor: descriptorOf(0.9) },
  ],
  skipped: { tooSmall: 1, overCap: 0 },
};

function deps(result: VisionResult, people: ProcessorDeps['people'], published: ImageEvent[] = []) {
  const notes: string[] = [];
  const value: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async () => ({ kind: 'object', bytes: fixture('photos/boats.jpg'), etag: '"e"' }),
      write: async () => undefined,
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async (event) => void published.push(event as ImageEvent) },
    vision: { wantsRaster: false, analyze: async () => result },
    people,
    options: { thumbnailSizes: [64, 256], maxPixels: 100_000_000, maxBytes: 10_000_000 },
    onNote: (message) => void notes.push(message),
  };
  return { deps: value, notes };
}

/** The final item as the store's conditional SET wrote it. */
function written(): Record<string, unknown> {
  const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
  const input = update?.args[0].input;
  const item = setFields(input);
  return item;
}

/** The Image Processed summary of the one event published. */
function summaryOf(published: ImageEvent[]): { people?: string[] } {
  expect(published).toHaveLength(1);
  return (published[0] as { detail: { summary: { people?: string[] } } }).detail.summary;
}

function uploadedBy(owner: string | undefined) {
  const pending = {
    ...{ imageId: ID, entity: 'IMAGE', status: 'PENDING', bucket: 'images', key: notice.key },
    ...{ createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T09:59:00.000Z' },
    ...(owner && { owner }),
  };
  dynamo.on(GetCommand).resolves({ Item: pending });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
  uploadedBy(OWNER);
});

describe('processor people step', () => {
  it("groups the described faces under the image's owner and keeps person ids, never descriptors", async () => {
    const people = new PeopleFake();
    const published: ImageEvent[] = [];
    const { deps: d } = deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, people, published);
    await expect(processUpload(notice, { count: 1, last: false }, d)).resolves.toBe('PROCESSED');
    expect(grouping(people)).toEqual([{ method: 'groupFaces', owner: OWNER, args: [ID, DESCRIPTIONS] }]);
    // Once indexed, the images of people merged into each of its people are re-pointed (followMerges).
    expect(people.calls.filter((call) => call.method === 'repointMerged').map((call) => call.args[0])).toEqual([
      `${ID}00`,
      `${ID}01`,
    ]);
    const item = written();
    expect(item.people).toEqual({
      faces: [
        { face: 0, personId: `${ID}00` },
        { face: 1, personId: `${ID}01` },
      ],
      skipped: { tooSmall: 1, overCap: 0 },
    });
    expect(item.vision).toEqual(VISION);
    expect(JSON.stringify(item)).not.toMatch(/descriptor|faceDescriptions/);
    const summary = summaryOf(published);
    expect(summary.people).toEqual([`${ID}00`, `${ID}01`]);
  });

  it('names each person once in the event, however many of its faces the image has', async () => {
    const people = new PeopleFake();
    await people.groupFaces(OWNER, '01JD3W7Q1ZK7Y6G5S4R3P2N1AA', {
      faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0.2) }],
      skipped: { tooSmall: 0, overCap: 0 },
    });
    const twice: FaceDescriptions = {
      faces: [
        { face: 0, box: BOX, descriptor: descriptorOf(0.2) },
        { face: 1, box: BOX, descriptor: descriptorOf(0.201) },
      ],
      skipped: { tooSmall: 0, overCap: 0 },
    };
    const published: ImageEvent[] = [];
    await processUpload(
      notice,
      { count: 1, last: false },
      deps({ ...VISION, faceDescriptions: twice }, people, published).deps,
    );
    expect(summaryOf(published).people).toEqual(['01JD3W7Q1ZK7Y6G5S4R3P2N1AA00']);
  });

  it('groups nothing with face grouping off, and stores no descriptions the vision step sent', async () => {
    const published: ImageEvent[] = [];
    await processUpload(
      notice,
      { count: 1, last: false },
      deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, undefined, published).deps,
    );
    const item = written();
    expect(item.people).toBeUndefined();
    expect(JSON.stringify(item)).not.toMatch(/descriptor|faceDescriptions/);
    // As it goes out: JSON, where an absent field is absent.
    expect(JSON.parse(JSON.stringify(published[0]?.detail)).summary).not.toHaveProperty('people');
  });

  it('groups nothing when the vision step described no faces', async () => {
    const people = new PeopleFake();
    await processUpload(notice, { count: 1, last: false }, deps(VISION, people).deps);
    expect(people.calls).toEqual([]);
    expect(written().people).toBeUndefined();
  });

  it('groups nothing for an image without an owner: people are per owner', async () => {
    uploadedBy(undefined);
    const people = new PeopleFake();
    await processUpload(
      notice,
      { count: 1, last: false },
      deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, people).deps,
    );
    expect(people.calls).toEqual([]);
  });

  it('retries a failed grouping, and on the last attempt records the image without people', async () => {
    const failing = {
      groupFaces: jest.fn().mockRejectedValue(new Error('people table throttled')),
      deleteImageFaces: jest.fn(),
    };
    const first = deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, failing);
    await expect(processUpload(notice, { count: 1, last: false }, first.deps)).rejects.toThrow(
      'people table throttled',
    );
    expect(
      dynamo.commandCalls(UpdateCommand).filter((c) => c.args[0].input.UpdateExpression?.startsWith('SET')),
    ).toEqual([]);
    const last = deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, failing);
    await expect(processUpload(notice, { count: 5, last: true }, last.deps)).resolves.toBe('PROCESSED');
    expect(written()).toMatchObject({ status: 'PROCESSED', vision: VISION });
    expect(written().people).toBeUndefined();
    expect(last.notes).toContain('face grouping failed; the image is recorded without people');
  });
});

describe('processor people step, with Rekognition', () => {
  const REKOGNITION: Vision = {
    ...VISION,
    inference: { provider: 'rekognition', models: {}, durationMs: 9, costUsd: 0.00475 },
  };
  const INDEXED: FaceDescriptions = {
    faces: [{ face: 0, box: BOX, rekognitionFaceId: '11111111-2222-3333-4444-555555555555' }],
    skipped: { tooSmall: 0, overCap: 0 },
    searchPriceUsd: 0.001,
  };
  /** A people port whose grouping searched the collection `searches` times, then answered or failed. */
  const searching = (searches: number, failure?: Error): ProcessorDeps['people'] => {
    const people = new PeopleFake();
    const groupFaces: PeoplePort['groupFaces'] = async (owner, imageId, descriptions, options) => {
      for (let i = 0; i < searches; i++) options?.onSearch?.();
      if (failure) throw failure;
      return PeopleFake.prototype.groupFaces.call(people, owner, imageId, descriptions);
    };
    return Object.assign(people, { groupFaces });
  };

  it("adds the SearchFaces the grouping sent to the vision's cost: a founding face's two", async () => {
    const { deps: d } = deps({ ...REKOGNITION, faceDescriptions: INDEXED }, searching(2));
    await processUpload(notice, { count: 1, last: false }, d);
    expect((written().vision as Vision).inference.costUsd).toBe(0.00675);
  });

  it('adds none when the grouping searched nothing (a retry of a face grouped before)', async () => {
    const { deps: d } = deps({ ...REKOGNITION, faceDescriptions: INDEXED }, searching(0));
    await processUpload(notice, { count: 1, last: false }, d);
    expect((written().vision as Vision).inference.costUsd).toBe(0.00475);
  });

  it('counts the searches of a grouping that failed on the last attempt: they were billed', async () => {
    const { deps: d } = deps({ ...REKOGNITION, faceDescriptions: INDEXED }, searching(1, new Error('throttled')));
    await processUpload(notice, { count: 5, last: true }, d);
    expect(written()).toMatchObject({ status: 'PROCESSED', vision: { inference: { costUsd: 0.00575 } } });
    expect(written().people).toBeUndefined();
  });
});

describe('processor people step, regrouping (a re-cluster)', () => {
  const EARLIER = '01JD3W7Q1ZK7Y6G5S4R3P2N1AA';
  const one = (value: number): FaceDescriptions => ({
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
    skipped: { tooSmall: 0, overCap: 0 },
  });
  const regroup = { ...notice, regroupFaces: true };

  /** The owner's people by id with their face counts, and how many faces each image has. */
  const state = (people: PeopleFake) => ({
    people: Object.fromEntries([...people.people.values()].map((p) => [p.personId, p.faceCount])),
    faces: Object.fromEntries([...people.faces.entries()].map(([key, faces]) => [key, faces.length])),
  });

  /** An earlier image founded a person; this image's face, 0.34 from it, joined it under a loose distance. */
  async function joinedLoosely(): Promise<PeopleFake> {
    const people = new PeopleFake();
    await people.groupFaces(OWNER, EARLIER, one(0.2));
    const vision = { ...VISION, faceDescriptions: one(0.23) };
    await processUpload(notice, { count: 1, last: false }, deps(vision, people).deps);
    expect(written().people).toEqual({ faces: [{ face: 0, personId: `${EARLIER}00` }], skipped: expect.anything() });
    dynamo.resetHistory();
    people.calls.length = 0;
    return people;
  }

  it("deletes the image's faces, then groups them afresh: under a strict distance the face founds its own person", async () => {
    const people = await joinedLoosely();
    people.matchDistance = 0.3;
    const published: ImageEvent[] = [];
    const vision = { ...VISION, faceDescriptions: one(0.23) };
    await expect(processUpload(regroup, { count: 1, last: false }, deps(vision, people, published).deps)).resolves.toBe(
      'PROCESSED',
    );
    expect(grouping(people).map((call) => call.method)).toEqual(['deleteImageFaces', 'groupFaces']);
    expect(written().people).toEqual({ faces: [{ face: 0, personId: `${ID}00` }], skipped: expect.anything() });
    expect(summaryOf(published).people).toEqual([`${ID}00`]);
    expect(state(people)).toEqual({
      people: { [`${EARLIER}00`]: 1, [`${ID}00`]: 1 },
      faces: { [`${OWNER}#${EARLIER}`]: 1, [`${OWNER}#${ID}`]: 1 },
    });
  });

  it('gives the same people when a regroup message is delivered again, with no face twice', async () => {
    const people = await joinedLoosely();
    people.matchDistance = 0.3;
    const vision = { ...VISION, faceDescriptions: one(0.23) };
    await processUpload(regroup, { count: 1, last: false }, deps(vision, people).deps);
    const first = state(people);
    dynamo.resetHistory();
    await processUpload(regroup, { count: 2, last: false }, deps(vision, people).deps);
    expect(state(people)).toEqual(first);
    expect(written().people).toEqual({ faces: [{ face: 0, personId: `${ID}00` }], skipped: expect.anything() });
  });

  it('keeps the person when the distance still joins the face: same id, same count', async () => {
    const people = await joinedLoosely();
    await processUpload(
      regroup,
      { count: 1, last: false },
      deps({ ...VISION, faceDescriptions: one(0.23) }, people).deps,
    );
    expect(written().people).toEqual({ faces: [{ face: 0, personId: `${EARLIER}00` }], skipped: expect.anything() });
    expect(state(people).people).toEqual({ [`${EARLIER}00`]: 2 });
  });

  it('analyses a record final for this version and analysis again, and may overwrite it', async () => {
    const people = new PeopleFake();
    const final = { imageId: ID, entity: 'IMAGE', status: 'PROCESSED', etag: '"e"', owner: OWNER };
    const at = { createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z' };
    const where = { bucket: 'images', key: notice.key, analysisVersion: ANALYSIS_VERSION };
    dynamo.on(GetCommand).resolves({ Item: { ...final, ...at, ...where } });
    const vision = { ...VISION, faceDescriptions: one(0.23) };
    await expect(processUpload(notice, { count: 1, last: false }, deps(vision, people).deps)).resolves.toBe(
      'DUPLICATE',
    );
    await expect(processUpload(regroup, { count: 1, last: false }, deps(vision, people).deps)).resolves.toBe(
      'PROCESSED',
    );
    const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
    expect(update?.args[0].input.ConditionExpression).toMatch(/ OR attribute_exists\(#status\)\) AND /);
  });

  it('leaves the faces as they are when vision described none this time (it failed)', async () => {
    const people = await joinedLoosely();
    await processUpload(regroup, { count: 1, last: false }, deps(VISION, people).deps);
    expect(people.calls).toEqual([]);
    expect(state(people).people).toEqual({ [`${EARLIER}00`]: 2 });
  });
});

describe('processor people step, a re-analysis: the record says what the people table holds', () => {
  const BEFORE = { faces: [{ face: 0, personId: `${ID}00` }], skipped: { tooSmall: 0, overCap: 0 } };
  const reanalyse = { ...notice, reanalyse: true };
  const regroup = { ...notice, regroupFaces: true };

  beforeEach(() => {
    const at = { createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T10:00:00.000Z' };
    const where = { bucket: 'images', key: notice.key, etag: '"e"', analysisVersion: '0.9.0' };
    const processed = { imageId: ID, entity: 'IMAGE', status: 'PROCESSED', owner: OWNER, ...where, ...at };
    dynamo.on(GetCommand).resolves({ Item: { ...processed, people: BEFORE, indexedTerms: [`person=${ID}00`] } });
  });

  /** The attributes the store's update removes. */
  const removed = () => {
    const input = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'))
      ?.args[0].input;
    const [, remove = ''] = (input?.UpdateExpression ?? '').split(' REMOVE ');
    return [...remove.matchAll(/#[A-Za-z0-9_]+/g)].map((match) => input?.ExpressionAttributeNames?.[match[0]]);
  };

  it('keeps the people the record had, and their person= postings, when vision fails: their faces stay', async () => {
    const people = new PeopleFake();
    const { deps: d } = deps(VISION, people);
    d.vision = { wantsRaster: false, analyze: async () => Promise.reject(new Error('the model refused the image')) };
    await expect(processUpload(reanalyse, { count: 1, last: false }, d)).resolves.toBe('PROCESSED');
    expect(grouping(people)).toEqual([]);
    const item = written();
    expect(item).toMatchObject({ people: BEFORE, visionError: { message: 'the model refused the image' } });
    expect(item.indexedTerms).toContain(`person=${ID}00`);
    expect(removed()).not.toContain('people');
  });

  it("keeps them when grouping fails on the last attempt, but not a re-cluster's, which took the faces away first", async () => {
    const failing = {
      groupFaces: jest.fn().mockRejectedValue(new Error('people table throttled')),
      deleteImageFaces: jest.fn().mockResolvedValue(undefined),
    };
    const again = deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, failing);
    await processUpload(reanalyse, { count: 5, last: true }, again.deps);
    expect(written().people).toEqual(BEFORE);
    expect(again.notes).toContain('face grouping failed; the image keeps the people it had');

    dynamo.resetHistory();
    const regrouped = deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, failing);
    await processUpload(regroup, { count: 5, last: true }, regrouped.deps);
    expect(written().people).toBeUndefined();
    expect(written().indexedTerms).not.toContain(`person=${ID}00`);
    expect(removed()).toContain('people');
    expect(regrouped.notes).toContain('face grouping failed; the image is recorded without people');
  });

  it('records no people with face grouping off, removing those of the analysis before with their postings', async () => {
    await processUpload(
      reanalyse,
      { count: 1, last: false },
      deps({ ...VISION, faceDescriptions: DESCRIPTIONS }, undefined).deps,
    );
    expect(written().people).toBeUndefined();
    expect(removed()).toContain('people');
    expect(written().unindexTerms).toContain(`person=${ID}00`);
  });
});

describe('processor people step, re-owning (a backfill with reown)', () => {
  const ALICES_EARLIER = '01JD3W7Q1ZK7Y6G5S4R3P2N1AA';
  const BOBS_EARLIER = '01JD3W7Q1ZK7Y6G5S4R3P2N1BB';
  const one = (value: number): FaceDescriptions => ({
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
    skipped: { tooSmall: 0, overCap: 0 },
  });
  const counts = (people: PeopleFake) =>
    Object.fromEntries([...people.people.entries()].map(([key, person]) => [key, person.faceCount]));

  it("takes the image's faces out of the old owner's people and groups them into the new owner's", async () => {
    const people = new PeopleFake();
    await people.groupFaces('alice', ALICES_EARLIER, one(0.2));
    await people.groupFaces('bob', BOBS_EARLIER, one(0.2));
    const vision = { ...VISION, faceDescriptions: one(0.21) };
    uploadedBy('alice');
    await processUpload(notice, { count: 1, last: false }, deps(vision, people).deps);
    const asAlices = written();
    expect(asAlices.people).toEqual({
      faces: [{ face: 0, personId: `${ALICES_EARLIER}00` }],
      skipped: expect.anything(),
    });
    expect(counts(people)).toMatchObject({ [`alice#${ALICES_EARLIER}00`]: 2, [`bob#${BOBS_EARLIER}00`]: 1 });

    // The record as alice's processing left it; then a re-own gives it to bob.
    dynamo.on(GetCommand).resolves({ Item: { ...asAlices, imageId: ID, entity: 'IMAGE', key: notice.key } });
    dynamo.resetHistory();
    people.calls.length = 0;
    const published: ImageEvent[] = [];
    const reown = { ...notice, owner: 'bob', reown: true };
    await expect(processUpload(reown, { count: 1, last: false }, deps(vision, people, published).deps)).resolves.toBe(
      'PROCESSED',
    );
    expect(grouping(people).map(({ method, owner }) => [method, owner])).toEqual([
      ['deleteImageFaces', 'alice'],
      ['groupFaces', 'bob'],
    ]);
    expect(written()).toMatchObject({
      owner: 'bob',
      people: { faces: [{ face: 0, personId: `${BOBS_EARLIER}00` }], skipped: expect.anything() },
    });
    expect(counts(people)).toMatchObject({ [`alice#${ALICES_EARLIER}00`]: 1, [`bob#${BOBS_EARLIER}00`]: 2 });
    expect(summaryOf(published).people).toEqual([`${BOBS_EARLIER}00`]);
    expect((published[0] as { detail: { owner?: string } }).detail.owner).toBe('bob');
  });

  it('keeps the owner the record has, and its people, when the run does not re-own', async () => {
    const people = new PeopleFake();
    const vision = { ...VISION, faceDescriptions: one(0.21) };
    uploadedBy('alice');
    await processUpload({ ...notice, owner: 'bob' }, { count: 1, last: false }, deps(vision, people).deps);
    expect(written().owner).toBe('alice');
    expect(grouping(people).map(({ method, owner }) => [method, owner])).toEqual([['groupFaces', 'alice']]);
  });
});
