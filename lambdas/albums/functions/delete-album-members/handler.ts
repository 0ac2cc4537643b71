import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseEnv } from '../../../settings/env';
import { createDocumentClient, createSqsClient } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { AlbumPeople } from '../../album-people';
import { AlbumStore } from '../../album-store';
import { deleteAlbumMembers, parseDeletedAlbumMessage, SqsDeletedAlbumsQueue } from '../../deleted-albums';
import { DeleteAlbumMembersEnvSchema } from './contract';

const config = parseEnv(DeleteAlbumMembersEnvSchema, process.env, 'delete-album-members');
const tools = createPowertools(config);
const client = createDocumentClient(tools.tracer);
const deps = {
  albums: new AlbumStore(client, config.ALBUMS_TABLE),
  people: new AlbumPeople(client, config.ALBUMS_TABLE),
  queue: new SqsDeletedAlbumsQueue(createSqsClient(tools.tracer), config.DELETED_ALBUMS_QUEUE_URL),
};

/**
 * The deleted albums' queue, a batch at a time, its messages at once (deleted-albums.ts): each a page of a deleted
 * album's members. A message that fails fails alone: SQS retries it, then keeps it in the DLQ.
 */
export const handler = instrument(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const message = parseDeletedAlbumMessage(record.body);
        const outcome = await deleteAlbumMembers(message, deps);
        if (outcome === 'album-exists') {
          tools.logger.warn('a message for an album that exists: nothing deleted', { albumId: message.albumId });
          return;
        }
        tools.metrics.addMetric('AlbumMembersDeleted', MetricUnit.Count, outcome.deleted);
      },
      new BatchProcessor(EventType.SQS),
      { context, processInParallel: true, throwOnFullBatchFailure: false },
    ),
  tools,
);
