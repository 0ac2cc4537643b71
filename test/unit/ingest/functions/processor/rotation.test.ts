import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import sharp from 'sharp';
import { ANALYSIS_VERSION } from '../../../../../lambdas/core/record';
import { isFinalFor, processUpload } from '../../../../../lambdas/ingest/functions/processor/process-upload';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { finalCondition } from '../../../../../lambdas/store/final-condition';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { fixture } from '../../../../fixtures';
import { setFields } from '../../../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const ID = '01JD3W7Q1ZK7Y6G5S4R3P2N1M0';
const notice = { imageId: ID, bucket: 'images', key: `uploads/${ID}.jpg`, eventTime: '2026-11-22T10:00:00Z' };
const attempt = { count: 1, last: false };

/** Deps with no inference, the original a 1280 x 800 JPEG; the thumbnails written are kept. */
function deps(thumbnails: Map<string, Buffer>): ProcessorDeps {
  return {
    steps: PROCESSOR_STEP_LIST,
    objects: {
      read: async () => ({ kind: 'object', bytes: fixture('photos/pier.jpg'), etag: '"e"' }),
      write: async (_bucket: string, key: string, data: Buffer) => void thumbnails.set(key, data),
    },
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    options: { thumbnailSizes: [64], maxPixels: 100_000_000, maxBytes: 10_000_000 },
  };
}

/** The final item's SET as the store wrote it: each field's value, and which were kept if the record had one. */
function written() {
  const update = dynamo.commandCalls(UpdateCommand).find((c) => c.args[0].input.UpdateExpression?.startsWith('SET'));
  const input = update?.args[0].input;
  const item = setFields(input);
  return { item, expression: input?.UpdateExpression ?? '', condition: input?.ConditionExpression ?? '' };
}

function recorded(fields: Partial<ImageItem>) {
  const item = {
    ...{ imageId: ID, entity: 'IMAGE', status: 'PENDING', bucket: 'images', key: notice.key, owner: 'alice' },
    ...{ createdAt: '2026-11-22T09:59:00.000Z', updatedAt: '2026-11-22T09:59:00.000Z' },
    ...fields,
  };
  dynamo.on(GetCommand).resolves({ Item: item });
}

beforeEach(() => {
  dynamo.reset();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(UpdateCommand).resolves({});
});

describe("the processor turns an image by its owner's rotation", () => {
  it('analyses the turned picture: a 1280 x 800 JPEG turned 90 is 800 x 1280, its thumbnails too', async () => {
    recorded({ rotation: 90 });
    const thumbnails = new Map<string, Buffer>();
    expect(await processUpload(notice, attempt, deps(thumbnails))).toBe('PROCESSED');
    const { item, expression } = written();
    expect(item.analysis).toMatchObject({ metadata: { width: 800, height: 1280, orientation: 'portrait' } });
    expect(item.rotationApplied).toBe(90);
    // Its owner's rotation is never rewritten by processing: an owner's newer one stays.
    expect(expression).toMatch(/#rotation = if_not_exists\(#rotation, :rotation\)/);
    const [thumbnail] = [...thumbnails.values()];
    expect(await sharp(thumbnail).metadata()).toMatchObject({ width: 40, height: 64 });
  });

  it('leaves a record never turned, or turned back to 0, with no rotationApplied', async () => {
    for (const fields of [{}, { rotation: 0 as const, rotationApplied: 90 as const }]) {
      dynamo.reset();
      dynamo.on(QueryCommand).resolves({ Items: [] });
      dynamo.on(UpdateCommand).resolves({});
      recorded(fields);
      await processUpload(notice, attempt, deps(new Map()));
      expect(written().item).toMatchObject({ analysis: { metadata: { width: 1280, height: 800 } } });
      expect(written().item.rotationApplied).toBeUndefined();
    }
  });
});

describe('a rotation makes the image not final for a re-analysis (isFinalFor, the decode step is stale)', () => {
  const processed = (fields: Partial<ImageItem>) =>
    ({ imageId: ID, status: 'PROCESSED', etag: '"e"', analysisVersion: ANALYSIS_VERSION, ...fields }) as ImageItem;
  const none = { steps: PROCESSOR_STEP_LIST } as ProcessorDeps;

  it('analyses again an image whose rotation is not the one its pixels were made with', async () => {
    expect(await isFinalFor(processed({ rotation: 90 }), '"e"', { reanalyse: true }, none)).toBe(false);
    expect(await isFinalFor(processed({ rotation: 0, rotationApplied: 270 }), '"e"', { reanalyse: true }, none)).toBe(
      false,
    );
  });

  it('skips one already turned as asked, so a message delivered twice turns it once', async () => {
    expect(await isFinalFor(processed({ rotation: 90, rotationApplied: 90 }), '"e"', { reanalyse: true }, none)).toBe(
      true,
    );
    expect(await isFinalFor(processed({ rotation: 0 }), '"e"', { reanalyse: true }, none)).toBe(true);
  });

  it('leaves it to a re-analysis: an upload notice delivered again is a duplicate', async () => {
    expect(await isFinalFor(processed({ rotation: 90 }), '"e"', { reanalyse: false }, none)).toBe(true);
  });
});

describe("a re-analysis's write replaces a final record of the same version turned otherwise (finalCondition)", () => {
  const condition = (rotationApplied: ImageItem['rotationApplied']) => {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const expression = finalCondition(
      { owner: 'alice', etag: '"e"', analysisVersion: ANALYSIS_VERSION, rotationApplied },
      { reanalyse: true },
      names,
      values,
    );
    return { expression, values };
  };

  // Its owner asking for the run's turn too: a run that read an earlier rotation never writes over a newer one's.
  // The crop is part of it (and a record never cropped counts as the whole picture): test/unit/core/crop.test.ts.
  it('names the turn it made, and a record with none counts as 0', () => {
    expect(condition(90).expression).toContain(
      '(#rotation = :rotationApplied AND (attribute_not_exists(#crop) OR #crop = :cropApplied) AND ' +
        '((attribute_not_exists(#rotationApplied) OR #rotationApplied <> :rotationApplied) OR ' +
        '(attribute_exists(#cropApplied) AND #cropApplied <> :cropApplied)))',
    );
    expect(condition(90).values[':rotationApplied']).toBe(90);
    expect(condition(undefined).expression).toContain(
      '((attribute_not_exists(#rotation) OR #rotation = :rotationApplied) AND (attribute_not_exists(#crop) OR #crop = :cropApplied) AND ' +
        '((attribute_exists(#rotationApplied) AND #rotationApplied <> :rotationApplied) OR ' +
        '(attribute_exists(#cropApplied) AND #cropApplied <> :cropApplied)))',
    );
    expect(condition(undefined).values[':rotationApplied']).toBe(0);
    expect(condition(undefined).values[':cropApplied']).toEqual({ left: 0, top: 0, width: 1, height: 1 });
  });
});
