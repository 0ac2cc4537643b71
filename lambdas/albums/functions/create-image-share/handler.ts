import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { createDocumentClient } from '../../../shared/aws-clients';
import { shareImage } from '../../../shares/create-share';
import { ShareStore } from '../../../shares/share-store';
import { ImageStore } from '../../../store/image-store';
import { apiUrlOf, shareUrlOf } from '../share-contract';
import { ShareRequestSchema } from '../share-schemas';
import { CreateImageShareEnvSchema } from './route';

const { config, tools, serve } = apiFunction('create-image-share', CreateImageShareEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const shares = new ShareStore(dynamo, config.SHARES_TABLE);
const images = new ImageStore(dynamo, config.TABLE_NAME);
const events = eventSinks({ env: config, tracer: tools.tracer });

/** POST /images/{id}/shares → 201 `{token, url, share}`; `Share Created`. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const request = parseRequest(ShareRequestSchema, jsonBody(event), 'body');
  const urlOf = shareUrlOf(config.WEB_APP_URL, apiUrlOf(event));
  const created = await shareImage(imageId, request, caller, { shares, images, events, urlOf });
  tools.metrics.addMetric('SharesCreated', MetricUnit.Count, 1);
  return { statusCode: 201, body: created };
});
