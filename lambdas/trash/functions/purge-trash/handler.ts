import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventSinks } from '../../../events/sinks';
import { openCleanups } from '../../../manifest/cleanups';
import { parseEnv } from '../../../settings/env';
import { createDocumentClient, createS3Client, createSqsClient } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { ImageTrash } from '../../../store/image-trash';
import { parseTrashMessage } from '../../messages';
import { handleTrashMessage } from '../../purge';
import { TrashQueue } from '../../queue';
import { TrashPages } from '../../trash-pages';
import { PurgeTrashEnvSchema } from './contract';

const config = parseEnv(PurgeTrashEnvSchema, process.env, 'purge-trash');
const tools = createPowertools(config);
const dynamo = createDocumentClient(tools.tracer);
const s3 = createS3Client(config, tools.tracer);
const deps = {
  pages: new TrashPages(dynamo, config.TABLE_NAME),
  queue: new TrashQueue(createSqsClient(tools.tracer), config.TRASH_QUEUE_URL),
  trash: new ImageTrash(dynamo, config.TABLE_NAME),
  delete: {
    store: new ImageStore(dynamo, config.TABLE_NAME),
    objects: new S3ImageObjects(s3),
    // Each room's part of a purge, in the registry's order (lambdas/manifest/cleanups.ts): the postings only removed, never
    // written, so no record reader.
    cleanups: openCleanups('purge-trash', process.env, { dynamo, s3 }, 'purge'),
    publisher: eventSinks({ env: config, tracer: tools.tracer }),
  },
  trashDays: config.TRASH_DAYS,
};

/**
 * The trash queue, a batch at a time, its messages at once (purge.ts): the schedule's sweep, a page of a shard of
 * the trash, or one image's purge. A message that fails fails alone: SQS retries it, then keeps it in the DLQ.
 */
export const handler = instrument(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const outcome = await handleTrashMessage(parseTrashMessage(record.body), deps);
        if (outcome === 'purged') tools.metrics.addMetric('ImagesPurged', MetricUnit.Count, 1);
      },
      new BatchProcessor(EventType.SQS),
      { context, processInParallel: true, throwOnFullBatchFailure: false },
    ),
  tools,
);
