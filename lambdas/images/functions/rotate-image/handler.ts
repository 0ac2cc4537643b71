import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { createDocumentClient, createSqsClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { type IReanalysisQueue, type RotateImageDeps, rotateImage } from './rotate-image';
import { RotateImageEnvSchema, RotationChangeSchema } from './route';

const { config, tools, serve } = apiFunction('rotate-image', RotateImageEnvSchema);
const sqs = createSqsClient(tools.tracer);
// Counted as sent: a repeat answers REANALYSING while the one message is on its way, and sends nothing.
const queue: IReanalysisQueue = {
  send: async (message) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: config.INGEST_QUEUE_URL, MessageBody: JSON.stringify(message) }));
    tools.logger.info('image sent to be analysed again, turned');
    tools.metrics.addMetric('ImagesRotated', MetricUnit.Count, 1);
  },
};
const deps: RotateImageDeps = {
  store: new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME),
  publisher: eventSinks({ env: config, tracer: tools.tracer }),
  queue,
};

/** PUT /images/{id}/rotation `{degrees}` → 202 `{imageId, rotation, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(RotationChangeSchema, jsonBody(event), 'body');
  const answer = await rotateImage(imageId, change, caller, deps);
  return { statusCode: answer.status === 'REANALYSING' ? 202 : 200, body: answer };
});
