import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Vision } from '../../../../../lambdas/core/vision-schema';
import { processMessage } from '../../../../../lambdas/ingest/functions/processor/process-message';
import { processUpload } from '../../../../../lambdas/ingest/functions/processor/process-upload';
import { runSteps } from '../../../../../lambdas/ingest/functions/processor/step';
import type {
  Analysis,
  EnrichmentStep,
  RecordStep,
  StepContext,
  StepPart,
} from '../../../../../lambdas/kit/processor-step';
import type { ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { PROCESSOR_STEP_LIST as PROCESSOR_STEPS } from '../../../../../lambdas/manifest/step-runners';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { IMAGE_ENTITY } from '../../../../../lambdas/store/table-design';
import { fixture } from '../../../../fixtures';
import { s3Notification, sqsRecord } from '../../../../support/sqs-events';

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const KEY = `uploads/${ID}.jpg`;
const notice = { imageId: ID, bucket: 'images', key: KEY, eventTime: '2026-11-22T10:00:00Z' };
const FIRST = { count: 1, last: false };
const LISTED = PROCESSOR_STEPS.flat().map((step) => step.name);
/** The steps of every run that gets that far, the image accepted or not. */
const RECORD_STEPS = PROCESSOR_STEPS.flat()
  .filter((step) => step.when === undefined)
  .map((step) => step.name);

const VISION: Vision = {
  labels: [{ name: 'Boat', confidence: 0.9, source: 'objects' }],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [],
  moderation: { checked: true, flagged: false, threshold: 0.8, labels: [] },
  inference: { provider: 'onnx', models: { centernet: '1' }, durationMs: 12 },
};

/** The processor over `bytes`, with inference, S3 as no-ops and DynamoDB mocked; `steps` names each step run. */
function pipeline(bytes: Buffer) {
  const steps: string[] = [];
  const published: string[] = [];
  const deps: ProcessorDeps = {
    steps: PROCESSOR_STEPS,
    objects: { read: async () => ({ kind: 'object', bytes, etag: '"e"' }), write: async () => undefined },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async (event) => void published.push(event.detailType) },
    vision: { wantsRaster: false, analyze: async () => VISION },
    options: { thumbnailSizes: [64, 256], maxPixels: 100_000_000, maxBytes: 10_000_000 },
    aroundStep: (step, work) => {
      steps.push(step);
      return work();
    },
  };
  return { deps, steps, published };
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
});

describe('PROCESSOR_STEPS', () => {
  it('runs every step of the list, in its order, on an image the core accepts', async () => {
    const { deps, steps } = pipeline(fixture('photos/boats.jpg'));
    expect(await processUpload(notice, FIRST, deps)).toBe('PROCESSED');
    expect(steps).toEqual(LISTED);
  });

  it('stores nothing of the image before its policy decides, the record before its postings, both before its event', () => {
    const at = (name: string) => LISTED.indexOf(name);
    // Only a Live Photo's MOV is taken aside before the decode: it is no picture.
    expect(at('live-video')).toBe(0);
    expect(at('decode')).toBe(1);
    expect(at('vision')).toBeLessThan(at('policy'));
    expect(at('policy')).toBeLessThan(at('thumbnails'));
    expect(at('policy')).toBeLessThan(at('eager-renditions'));
    expect(at('vision')).toBeLessThan(at('people'));
    expect(at('people')).toBeLessThan(at('store'));
    expect(at('store')).toBeLessThan(at('index'));
    expect(at('index')).toBeLessThan(at('publish'));
    expect(at('publish')).toBeLessThan(at('stale-renditions'));
  });

  it('stores, indexes and publishes a refused image without running its enrichments', async () => {
    const { deps, steps, published } = pipeline(Buffer.from('not an image at all'));
    expect(await processUpload(notice, FIRST, deps)).toBe('REJECTED');
    expect(steps).toEqual(RECORD_STEPS);
    expect(RECORD_STEPS).toEqual([
      'live-video',
      'decode',
      'vector',
      'store',
      'index',
      'follow-merges',
      'publish',
      'stale-renditions',
    ]);
    expect(published).toEqual(['Image Rejected']);
  });

  it('stops at the store step when another delivery stored this version first', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const { deps, steps, published } = pipeline(fixture('photos/boats.jpg'));
    expect(await processUpload(notice, FIRST, deps)).toBe('DUPLICATE');
    expect(steps).toEqual(LISTED.slice(0, LISTED.indexOf('store') + 1));
    expect(published).toEqual([]);
  });

  it('puts each step of a message in an X-Ray subsegment named for it, when tracing is on', async () => {
    const { deps } = pipeline(fixture('photos/boats.jpg'));
    const { aroundStep: _untraced, ...plain } = deps;
    const opened: string[] = [];
    const closed: string[] = [];
    const tracer = {
      isTracingEnabled: () => true,
      addErrorAsMetadata: jest.fn(),
      provider: {
        captureAsyncFunc: (name: string, work: (subsegment: { close(): void }) => Promise<unknown>) => {
          opened.push(name);
          return work({ close: () => void closed.push(name) });
        },
      },
    };
    const logger = { warn: jest.fn(), info: jest.fn(), error: jest.fn(), setCorrelationId: jest.fn() };
    await processMessage(sqsRecord(s3Notification({ key: KEY })), { MAX_RECEIVE_COUNT: 5 }, plain, {
      logger: logger as unknown as Logger,
      metrics: { addMetric: jest.fn() } as unknown as Metrics,
      tracer: tracer as unknown as Tracer,
    });
    expect(opened).toEqual(LISTED.map((step) => `### ${step}`));
    expect(closed.sort()).toEqual([...opened].sort());
    expect(tracer.addErrorAsMetadata).not.toHaveBeenCalled();
  });
});

describe('runSteps', () => {
  const context = { deps: {} } as StepContext;
  const start: Analysis = {
    item: { imageId: ID, entity: IMAGE_ENTITY, status: 'FAILED', createdAt: '', updatedAt: '', bucket: 'b', key: KEY },
  };
  const step = (name: string, run: RecordStep['run']): RecordStep => ({ name, run });

  it("merges a group's parts in the group's order once all are done, each seeing only the steps before the group", async () => {
    const seen: (string | undefined)[] = [];
    const slow = step('slow', async (_c, { item }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(item.filename);
      return { item: { filename: 'slow', sha256: 'a' } };
    });
    const fast = step('fast', async (_c, { item }) => {
      seen.push(item.filename);
      return { item: { filename: 'fast' } };
    });
    const after = step('after', async (_c, { item }) => {
      seen.push(item.filename);
      return {};
    });
    const { item } = await runSteps([[slow, fast], after], context, start);
    expect(seen).toEqual([undefined, undefined, 'fast']);
    expect(item).toMatchObject({ filename: 'fast', sha256: 'a' });
  });

  it('fails the run with the first failure in a group, and runs nothing after it', async () => {
    const after = jest.fn(async () => ({}));
    const failing = step('failing', async () => Promise.reject(new Error('throttled')));
    const fine = step('fine', async () => ({ item: { sha256: 'a' } }));
    await expect(runSteps([[fine, failing], step('after', after)], context, start)).rejects.toThrow('throttled');
    expect(after).not.toHaveBeenCalled();
  });

  it('runs an enrichment only on a decoded image', async () => {
    const enrich = jest.fn(async () => ({ item: { sha256: 'a' } }));
    const { item } = await runSteps([{ name: 'enrich', when: 'decoded', run: enrich }], context, start);
    expect(enrich).not.toHaveBeenCalled();
    expect(item.sha256).toBeUndefined();
  });

  it('runs an accepted-only enrichment on a decoded image until a step rejects it', async () => {
    const enrich = jest.fn(async () => ({}));
    const decoded = { ...start, decoded: {} as Analysis['decoded'] };
    const accepted: EnrichmentStep = { name: 'accepted', when: 'accepted', run: enrich };
    await runSteps([accepted], context, { ...decoded, item: { ...start.item, status: 'PROCESSED' } });
    await runSteps([accepted], context, { ...decoded, item: { ...start.item, status: 'REJECTED' } });
    expect(enrich).toHaveBeenCalledTimes(1);
  });

  it('has each step that ran take back what it wrote, the last first, when the record was deleted meanwhile', async () => {
    const undone: string[] = [];
    const undoing = (name: string, part: StepPart = {}): RecordStep => ({
      name,
      run: async () => part,
      undo: async () => void undone.push(name),
    });
    const failingUndo: RecordStep = { ...undoing('failing'), undo: async () => Promise.reject(new Error('denied')) };
    const notes: string[] = [];
    const noting = { deps: { onNote: (message: string) => void notes.push(message) } } as unknown as StepContext;
    const after = undoing('after');
    const steps = [
      undoing('first'),
      [undoing('second'), failingUndo],
      undoing('gone', { outcome: 'MISSING', abandoned: true }),
      after,
    ];
    expect(await runSteps(steps, noting, start)).toMatchObject({ outcome: 'MISSING', abandoned: true });
    expect(undone).toEqual(['gone', 'second', 'first']);
    expect(notes).toEqual(['could not take back what a step wrote for a deleted image']);
  });

  it('ends the run at a step that settles the outcome', async () => {
    const after = jest.fn(async () => ({}));
    const settles = step('settles', async () => ({ outcome: 'DUPLICATE' }));
    expect(await runSteps([settles, step('after', after)], context, start)).toMatchObject({ outcome: 'DUPLICATE' });
    expect(after).not.toHaveBeenCalled();
  });
});
