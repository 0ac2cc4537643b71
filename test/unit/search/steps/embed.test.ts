import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { ANALYSIS_VERSION } from '../../../../lambdas/core/record';
import { isFinalFor, processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import type { Embedder, EmbeddingImage } from '../../../../lambdas/search/meaning/embedding-port';
import { EmbeddingError } from '../../../../lambdas/search/meaning/embedding-port';
import { derivativeOf } from '../../../../lambdas/search/steps/embed';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../lambdas/store/image-store';
import { IMAGE_ENTITY } from '../../../../lambdas/store/table-design';
import { fixture } from '../../../fixtures';

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };
const SPACE = { model: 'test-model', dimension: 3 };

/** The processor with a model that records what it was sent, and an index that records what it was told. */
function pipeline(bytes: Buffer, embed: (image: EmbeddingImage) => Promise<number[]>) {
  const sent: EmbeddingImage[] = [];
  const index: string[] = [];
  const stored: Record<string, unknown>[] = [];
  const model: Embedder = {
    space: SPACE,
    embedImage: async (image) => {
      sent.push(image);
      return embed(image);
    },
    embedText: async () => [1, 0, 0],
  };
  const deps: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects: { read: async () => ({ kind: 'object', bytes, etag: '"e"' }), write: async () => undefined },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    options: { thumbnailSizes: [64, 256], maxPixels: 100_000_000, maxBytes: 10_000_000 },
    meaning: {
      embedder: async () => model,
      index: {
        put: async (item: ImageItem & { owner: string }, vector: readonly number[], space: typeof SPACE) => {
          index.push(`put ${item.imageId} ${item.owner} [${vector.join(',')}] ${space.model}`);
          // The metadata is the record's terms, as `store` writes them.
          if (!item.indexedTerms?.includes('format=jpeg')) throw new Error('no terms in the metadata');
        },
        remove: async (imageId: string) => void index.push(`remove ${imageId}`),
      } as never,
    },
  };
  dynamo.on(UpdateCommand).callsFake((input) => {
    stored.push(input.ExpressionAttributeValues ?? {});
    return {};
  });
  return { deps, sent, index, stored };
}

/** Every value the record's writes set (their placeholders' names say nothing of the fields). */
const storedValues = (stored: Record<string, unknown>[]) => stored.flatMap((values) => Object.values(values));

function existing(item: Partial<ImageItem>) {
  const at = '2026-11-22T10:00:00.000Z';
  const record = {
    imageId: ID,
    entity: IMAGE_ENTITY,
    status: 'PENDING',
    createdAt: at,
    updatedAt: at,
    bucket: 'images',
  };
  dynamo.on(GetCommand).resolves({ Item: { ...record, key: notice.key, owner: 'ada', ...item } });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  existing({});
});

describe('the embed and vector steps', () => {
  it("embed the smallest thumbnail of at least 384 px as a JPEG, put the vector with the record's terms, and record its space", async () => {
    const { deps, sent, index, stored } = pipeline(fixture('photos/boats.jpg'), async () => [0, 1, 0]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.format).toBe('jpeg');
    const meta = await sharp(sent[0]?.bytes).metadata();
    expect([meta.format, Math.max(meta.width ?? 0, meta.height ?? 0)]).toEqual(['jpeg', 256]);
    // 256 is the largest of [64, 256]: none reaches 384, so the largest goes.
    expect(derivativeOf([{ size: 128 }, { size: 1024 }, { size: 512 }])).toEqual({ size: 512 });
    expect(derivativeOf([{ size: 64 }, { size: 256 }])).toEqual({ size: 256 });
    expect(index).toEqual([`put ${ID} ada [0,1,0] test-model`]);
    expect(storedValues(stored)).toContainEqual(SPACE);
  });

  it('record a refusal as embeddingError, and the image is still PROCESSED with no vector', async () => {
    const { deps, index, stored } = pipeline(fixture('photos/boats.jpg'), async () => {
      throw new EmbeddingError('the model refused the image');
    });
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect(index).toEqual([]);
    expect(storedValues(stored)).not.toContainEqual(SPACE);
    expect(storedValues(stored)).toContainEqual({
      code: 'EmbeddingError',
      message: 'the model refused the image',
    });
  });

  it('retry a throttled model, until the last attempt, which records it', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    const first = pipeline(fixture('photos/boats.jpg'), async () => {
      throw throttled;
    });
    await expect(processUpload(notice, { count: 1, last: false }, first.deps)).rejects.toThrow('slow down');
    expect(first.index).toEqual([]);
    const last = pipeline(fixture('photos/boats.jpg'), async () => {
      throw throttled;
    });
    expect(await processUpload(notice, { count: 5, last: true }, last.deps)).toBe('PROCESSED');
    expect(storedValues(last.stored)).toContainEqual({ code: 'ThrottlingException', message: 'slow down' });
  });

  it("take an earlier version's vector out when this version is refused", async () => {
    existing({ status: 'PROCESSED', etag: '"old"', embedding: SPACE });
    const { deps, sent, index } = pipeline(Buffer.from('not an image'), async () => [1, 0, 0]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('REJECTED');
    expect(sent).toEqual([]);
    expect(index).toEqual([`remove ${ID}`]);
  });

  it("embed no image without an owner: it is in no one's search", async () => {
    dynamo.on(GetCommand).resolves({});
    const { deps, sent, index } = pipeline(fixture('photos/boats.jpg'), async () => [1, 0, 0]);
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect([sent, index]).toEqual([[], []]);
  });
});

describe('a re-analysis with search by meaning on (backfill --reprocess, --reembed)', () => {
  const done = { imageId: ID, status: 'PROCESSED', owner: 'ada', etag: '"e"', analysisVersion: ANALYSIS_VERSION };
  const asked = { reanalyse: true };
  /** The processor's deps as isFinalFor reads them: the model now in use, or search by meaning off. */
  const meaning = {
    steps: PROCESSOR_STEP_LIST,
    meaning: { embedder: async () => ({ space: SPACE }) },
  } as unknown as ProcessorDeps;
  const off = { steps: PROCESSOR_STEP_LIST } as ProcessorDeps;

  it('takes a processed, owned image whose vector is missing or of another model, and skips one of this model', async () => {
    const final = (item: object) => isFinalFor(item as ImageItem, '"e"', asked, meaning);
    expect(await final(done)).toBe(false);
    expect(await final({ ...done, embedding: { model: 'old', dimension: 3 } })).toBe(false);
    expect(await final({ ...done, embedding: { ...SPACE, dimension: 4 } })).toBe(false);
    expect(await final({ ...done, embedding: SPACE })).toBe(true);
  });

  it('leaves what it would not embed as final: no owner, a rejection, and any image when meaning is off', async () => {
    const { owner: _owner, ...unowned } = done;
    expect(await isFinalFor(unowned as ImageItem, '"e"', asked, meaning)).toBe(true);
    expect(await isFinalFor({ ...done, status: 'REJECTED' } as ImageItem, '"e"', asked, meaning)).toBe(true);
    expect(await isFinalFor(done as ImageItem, '"e"', asked, off)).toBe(true);
    // Not a re-analysis: a replayed upload event is a duplicate, vector or not.
    expect(await isFinalFor(done as ImageItem, '"e"', {}, meaning)).toBe(true);
  });

  it('embeds through the processor an image the current model has no vector of, when asked to re-analyse', async () => {
    existing({ status: 'PROCESSED', etag: '"e"', analysisVersion: ANALYSIS_VERSION });
    const { deps, index } = pipeline(fixture('photos/boats.jpg'), async () => [0, 0, 1]);
    expect(await processUpload({ ...notice, reanalyse: true }, { count: 1, last: false }, deps)).toBe('PROCESSED');
    expect(index).toEqual([`put ${ID} ada [0,0,1] test-model`]);
    existing({ status: 'PROCESSED', etag: '"e"', analysisVersion: ANALYSIS_VERSION, embedding: SPACE });
    const again = pipeline(fixture('photos/boats.jpg'), async () => [0, 0, 1]);
    expect(await processUpload({ ...notice, reanalyse: true }, { count: 1, last: false }, again.deps)).toBe(
      'DUPLICATE',
    );
  });
});
