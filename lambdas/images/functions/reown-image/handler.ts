import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createDocumentClient, createSqsClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { type IReownQueue, reownImage } from './reown-image';
import { ReownImageEnvSchema, ReownRequestSchema } from './route';

const { config, tools, serve } = apiFunction('reown-image', ReownImageEnvSchema);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const sqs = createSqsClient(tools.tracer);
const queue: IReownQueue = {
  send: async (message) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(message) }));
  },
};

/** PUT /images/{id}/owner `{owner}` → 202 `{imageId, owner, previousOwner, status: MOVING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const request = parseRequest(ReownRequestSchema, jsonBody(event), 'body');
  const answer = await reownImage(imageId, request, caller, { store, queue, sources: config.SOURCE_BUCKETS });
  if (answer.status === 'MOVING') {
    tools.logger.info('image sent to be re-owned', { owner: answer.owner, previousOwner: answer.previousOwner });
    tools.metrics.addMetric('ImagesReowned', MetricUnit.Count, 1);
  }
  return { statusCode: answer.status === 'MOVING' ? 202 : 200, body: answer };
});
