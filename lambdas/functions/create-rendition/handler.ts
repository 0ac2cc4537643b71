import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, imageIdParam } from '../../api/http';
import { secretKeySet } from '../../renditions/key-secret';
import { readSpecBody } from '../../renditions/spec';
import type { RenditionSigner } from '../../renditions/urls';
import { parseEnv } from '../../settings/env';
import { renditionLimitsOf } from '../../settings/renditions';
import { createDocumentClient } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { ImageStore } from '../../store/image-store';
import { RenditionQuota } from '../../store/rendition-quota';
import { CreateRenditionEnvSchema } from './contract';
import { createRendition } from './create-rendition';

const config = parseEnv(CreateRenditionEnvSchema, process.env, 'create-rendition');
const tools = createPowertools(config);
const documents = createDocumentClient(tools.tracer);
const store = new ImageStore(documents, config.TABLE_NAME);
const settings = config.RENDITION_SETTINGS;
const limits = renditionLimitsOf(settings);
const quota = new RenditionQuota(documents, config.TABLE_NAME, {
  perMinute: settings.renditionsPerMinute,
  perImage: settings.renditionsPerImage,
});
const signer: RenditionSigner = {
  keys: secretKeySet(config.SIGNING_SECRET_ARN),
  baseUrl: config.RENDITIONS_URL,
  ttlSeconds: settings.renditionUrlTtlSeconds,
};

/**
 * POST /images/{id}/renditions with a JSON spec → 200 `{url, expiresAt}`; 400 a spec outside the grammar, the
 * limits or the image; 404 unknown (or another owner's) image; 409 an image that is not PROCESSED, or one with as
 * many custom renditions as `renditionsPerImage`; 429 past `renditionsPerMinute` for the caller.
 */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const input = readSpecBody(event.body, event.isBase64Encoded);
  const signed = await createRendition(imageId, input, caller, {
    store,
    quota,
    signer,
    limits,
    presets: settings.renditionPresets,
  });
  tools.metrics.addMetric('RenditionUrlsIssued', MetricUnit.Count, 1);
  return { statusCode: 200, body: signed };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
