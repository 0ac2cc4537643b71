import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { buildProcessorHandler } from '../../../../../lambdas/ingest/functions/processor/processor-handler';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { createPowertools } from '../../../../../lambdas/shared/powertools';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import type { IObjectStore } from '../../../../../lambdas/store/object-store';
import { s3Notification, sqsEvent, sqsRecord } from '../../../../support/sqs-events';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'processor', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 } as Context;
const tools = createPowertools({ POWERTOOLS_SERVICE_NAME: 'test', POWERTOOLS_METRICS_NAMESPACE: 'Test' });

/** An object store whose reads take a while, counting how many are under way at once. */
function slowObjects(): IObjectStore & { peak: number } {
  let inFlight = 0;
  const store = {
    peak: 0,
    read: async () => {
      inFlight += 1;
      store.peak = Math.max(store.peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      // Deleted before it was read: recorded as such, no decode needed for this test.
      return { kind: 'missing' as const };
    },
    write: async () => undefined,
  };
  return store;
}

function handlerWith(objects: IObjectStore, imagesInFlight: number) {
  const deps: ProcessorDeps = {
    steps: PROCESSOR_STEP_LIST,
    objects,
    store: new ImageStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'table'),
    index: { upsert: async () => undefined, remove: async () => undefined },
    events: { publish: async () => undefined },
    options: { thumbnailSizes: [64], maxPixels: 1_000_000, maxBytes: 1_000_000 },
  };
  return buildProcessorHandler({ MAX_RECEIVE_COUNT: 5, IMAGES_IN_FLIGHT: imagesInFlight }, deps, tools);
}

const batch = (size: number) =>
  sqsEvent(
    ...Array.from({ length: size }, (_, i) =>
      sqsRecord(s3Notification({ key: `uploads/01JD3W7Q1ZK7Y6G5S4R3P2N1M${i}.jpg` })),
    ),
  );

describe('a batch of uploads', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(GetCommand).resolves({});
  });

  it('is processed concurrently, never more than IMAGES_IN_FLIGHT images at once', async () => {
    const objects = slowObjects();
    const response = await handlerWith(objects, 3)(batch(10), context, { signal: new AbortController().signal });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(objects.peak).toBe(3);
  });

  it('is processed one image at a time with IMAGES_IN_FLIGHT=1', async () => {
    const objects = slowObjects();
    await handlerWith(objects, 1)(batch(4), context, { signal: new AbortController().signal });
    expect(objects.peak).toBe(1);
  });
});
