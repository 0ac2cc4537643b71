import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Vision } from '../../../../../lambdas/core/vision-schema';
import { processUpload } from '../../../../../lambdas/ingest/functions/processor/process-upload';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import type { FaceDescriptions } from '../../../../../lambdas/people/contract';
import type { ModerationRule } from '../../../../../lambdas/policy/contract';
import { eagerPresets } from '../../../../../lambdas/renditions/steps/eager-renditions';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { IMAGE_ENTITY } from '../../../../../lambdas/store/table-design';
import { fixture } from '../../../../fixtures';
import { descriptorOf, PeopleFake } from '../../../../support/people-fake';
import { laplacianVariance } from '../../../../support/sharpness';

/*
 * What one run of the processor leaves outside the record, with every step on: thumbnails, an eager preset, a vector
 * and faces. The owner's policy decides before any of them is stored; a record deleted while the run worked leaves
 * none of them behind.
 */

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const OWNER = 'ada';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };
const BOX = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };
const DESCRIPTIONS: FaceDescriptions = {
  faces: [{ face: 0, box: BOX, descriptor: descriptorOf(0.2) }],
  skipped: { tooSmall: 0, overCap: 0 },
};
const SUGGESTIVE = 0.9;
const vision = (suggestive: number): Vision => ({
  labels: [{ name: 'Boat', confidence: 0.9, source: 'objects' }],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [{ confidence: 0.99, box: BOX }],
  moderation: {
    checked: true,
    flagged: false,
    threshold: 0.8,
    labels: [{ name: 'Suggestive', confidence: suggestive }],
  },
  inference: { provider: 'onnx', models: {}, durationMs: 12 },
});

/** Every adapter recording what it was told; the owner's policy is `rules`. */
function pipeline(rules: ModerationRule[], suggestive = SUGGESTIVE) {
  const written = new Map<string, Buffer>();
  const removed: string[] = [];
  const vectors: string[] = [];
  const people = new PeopleFake();
  const settings = parseDeploymentSettings({
    renditionPresets: JSON.stringify({ card: { w: 200, h: 150, format: 'webp', eager: true } }),
  });
  const deps: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async () => ({ kind: 'object', bytes: fixture('photos/boats.jpg'), etag: '"e"' }),
      write: async (_bucket, key, data) => void written.set(key, data),
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    vision: { wantsRaster: false, analyze: async () => ({ ...vision(suggestive), faceDescriptions: DESCRIPTIONS }) },
    people,
    meaning: {
      embedder: async () => ({
        space: { model: 'test-model', dimension: 3 },
        embedImage: async () => [1, 0, 0],
        embedText: async () => [1, 0, 0],
      }),
      index: {
        put: async (item: ImageItem) => void vectors.push(`put ${item.imageId}`),
        remove: async (imageId: string) => void vectors.push(`remove ${imageId}`),
      } as never,
    },
    policies: { store: { get: async () => ({ owner: OWNER, rules }) as never }, defaults: {} },
    renditions: {
      presets: eagerPresets(settings),
      maxSide: settings.renditionMaxSide,
      maxPixels: settings.maxPixels,
      watermark: async () => ({ kind: 'text', text: '' }) as never,
      keepGps: false,
      keepDigitalSourceType: false,
    },
    cleanup: {
      lister: { list: async () => ({ objects: [] }) } as never,
      remover: { deleteObjects: async (_bucket, keys) => void removed.push(...keys) },
    },
    options: { thumbnailSizes: [64, 256], maxPixels: 100_000_000, maxBytes: 10_000_000 },
  };
  return { deps, written, removed, vectors, people };
}

const at = '2026-11-22T10:00:00.000Z';
const UPLOADED = { imageId: ID, entity: IMAGE_ENTITY, status: 'PENDING', createdAt: at, updatedAt: at };
const RECORD = { ...UPLOADED, bucket: 'images', key: notice.key, owner: OWNER };

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({ Item: RECORD });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
});

describe('the owner’s policy, before anything is stored', () => {
  it('stores the thumbnails as they are and the eager preset when no rule triggers', async () => {
    const { deps, written, vectors, people } = pipeline([{ category: 'Suggestive', threshold: 0.95, action: 'blur' }]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect([...written.keys()].filter((key) => key.startsWith('renditions/'))).toHaveLength(1);
    expect(vectors).toEqual([`put ${ID}`]);
    expect(people.calls.map((call) => call.method)).toContain('groupFaces');
  });

  it('writes each thumbnail once, blurred, and no eager preset, for a photo a blur rule reaches', async () => {
    const sharpRun = pipeline([]);
    await processUpload(notice, { count: 1, last: false }, sharpRun.deps);
    const { deps, written } = pipeline([{ category: 'Suggestive', threshold: 0.5, action: 'blur' }]);
    const writes: string[] = [];
    const write = deps.objects.write;
    deps.objects.write = async (bucket, key, data, type) => {
      writes.push(key);
      return write(bucket, key, data, type);
    };
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect(writes.sort()).toEqual([`thumbnails/${ID}/256.webp`, `thumbnails/${ID}/64.webp`]);
    const key = `thumbnails/${ID}/256.webp`;
    const [was, is] = [sharpRun.written.get(key), written.get(key)] as [Buffer, Buffer];
    // Blurred: under a tenth of the detail of the same thumbnail unblurred (as e2e/policy measures it).
    expect((await laplacianVariance(is)) / (await laplacianVariance(was))).toBeLessThan(0.1);
  });

  it('rejects a photo a reject rule reaches: blurred thumbnails, no preset, no vector, no faces grouped', async () => {
    const { deps, written, vectors, people } = pipeline([{ category: 'Suggestive', threshold: 0.5, action: 'reject' }]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('REJECTED');
    expect([...written.keys()].sort()).toEqual([`thumbnails/${ID}/256.webp`, `thumbnails/${ID}/64.webp`]);
    expect(vectors).toEqual([]);
    expect(people.calls).toEqual([]);
    const update = dynamo
      .commandCalls(UpdateCommand)
      .find((call) => call.args[0].input.UpdateExpression?.startsWith('SET'))?.args[0].input;
    const values = Object.values(update?.ExpressionAttributeValues ?? {});
    expect(values).toContainEqual(expect.objectContaining({ code: 'MODERATION_POLICY' }));
    expect(values).not.toContainEqual(expect.objectContaining({ model: 'test-model' }));
  });
});

describe('a record deleted while the run works', () => {
  beforeEach(() => {
    // Found at the start; gone when the run stores: the final write's condition fails, and a read finds nothing.
    dynamo.on(GetCommand).resolvesOnce({ Item: RECORD }).resolves({});
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
  });

  it('ends MISSING and takes back its thumbnails, eager preset, vector and faces', async () => {
    const { deps, written, removed, vectors, people } = pipeline([]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('MISSING');
    expect(written.size).toBe(3);
    expect(removed.sort()).toEqual([...written.keys()].sort());
    expect(vectors).toEqual([`put ${ID}`, `remove ${ID}`]);
    expect(people.calls.map((call) => call.method)).toEqual(['groupFaces', 'deleteImageFaces']);
  });

  it('takes back nothing when another delivery stored this version first: the record is there', async () => {
    dynamo.on(GetCommand).resolves({ Item: RECORD });
    const { deps, removed, vectors } = pipeline([]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('DUPLICATE');
    expect(removed).toEqual([]);
    expect(vectors).toEqual([`put ${ID}`]);
  });
});
