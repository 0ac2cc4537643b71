import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam } from '../../../api/http';
import { renditionLimitsOf } from '../../../settings/renditions';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { RenditionQuota } from '../../../store/rendition-quota';
import { secretKeySet } from '../../key-secret';
import type { RenditionSigner } from '../../urls';
import { createRendition, readSpecBody } from './create-rendition';
import { CreateRenditionEnvSchema } from './route';

const { config, tools, serve } = apiFunction('create-rendition', CreateRenditionEnvSchema);
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
export const handler = serve(async (event, caller) => {
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
});
