import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction } from '../../../api/http';
import { createSqsClient } from '../../../shared/aws-clients';
import { emptyTrashMessages } from '../../messages';
import { TrashQueue } from '../../queue';
import { EmptyTrashEnvSchema } from './route';

const { config, tools, serve } = apiFunction('empty-trash', EmptyTrashEnvSchema);
const queue = new TrashQueue(createSqsClient(tools.tracer), config.TRASH_QUEUE_URL);

/**
 * POST /trash/empty → 202 `{emptying: true, before}`: one message per shard of the caller's trash (two
 * SendMessageBatch calls), never a loop over the trash in the request; the purge function pages each shard.
 */
export const handler = serve(async (_event, caller) => {
  const before = new Date().toISOString();
  await queue.sendAll(emptyTrashMessages(caller.owner, before));
  tools.logger.info('trash handed to the purge', { before });
  tools.metrics.addMetric('TrashEmptied', MetricUnit.Count, 1);
  return { statusCode: 202, body: { emptying: true, before } };
});
