import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AlbumStore } from '../../../albums/album-store';
import { eventSinks } from '../../../events/sinks';
import { peopleIf } from '../../../people/open';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { parseEnv } from '../../../settings/env';
import { createDocumentClient, createS3Client, createSqsClient } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { ImageTrash } from '../../../store/image-trash';
import { S3KeyLister } from '../../../store/object-pages';
import { parseTrashMessage } from '../../messages';
import { handleTrashMessage } from '../../purge';
import { TrashQueue } from '../../queue';
import { TrashPages } from '../../trash-pages';
import { PurgeTrashEnvSchema } from './contract';

const config = parseEnv(PurgeTrashEnvSchema, process.env, 'purge-trash');
const tools = createPowertools(config);
const dynamo = createDocumentClient(tools.tracer);
const s3 = createS3Client(config, tools.tracer);
const objects = new S3ImageObjects(s3);
const deps = {
  pages: new TrashPages(dynamo, config.TABLE_NAME),
  queue: new TrashQueue(createSqsClient(tools.tracer), config.TRASH_QUEUE_URL),
  trash: new ImageTrash(dynamo, config.TABLE_NAME),
  delete: {
    store: new ImageStore(dynamo, config.TABLE_NAME),
    objects,
    keys: new S3KeyLister(s3),
    index: new SearchIndex(dynamo, config.SEARCH_TABLE_NAME),
    publisher: eventSinks({ env: config, tracer: tools.tracer }),
    people: peopleIf(dynamo, config),
    vectors: meaningIf(config),
    albums: new AlbumStore(dynamo, config.ALBUMS_TABLE),
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
