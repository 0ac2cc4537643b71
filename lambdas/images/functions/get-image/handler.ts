import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, header, imageIdParam } from '../../../api/http';
import { requireUnlocked, UNLOCK_TOKEN_HEADER } from '../../../locked/lock-check';
import { LockStore } from '../../../locked/lock-store';
import { PartnerReads } from '../../../partners/partner-reads';
import { peopleIf } from '../../../people/open';
import { secretKeySet } from '../../../renditions/key-secret';
import { renditionLimitsOf } from '../../../settings/renditions';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { type GetImageDeps, getImage } from './get-image';
import { GetImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('get-image', GetImageEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const people = peopleIf(dynamo, config);
const partners = new PartnerReads(dynamo, {
  results: config.TABLE_NAME,
  partners: config.PARTNERS_TABLE,
  albums: config.ALBUMS_TABLE,
});
const objects = new S3ImageObjects(createS3Client(config, tools.tracer));
const settings = config.RENDITION_SETTINGS;
const keys = secretKeySet(config.SIGNING_SECRET_ARN);
const unlock = { locks: new LockStore(dynamo, config.LOCKED_TABLE_NAME), keys };
const renditions: GetImageDeps['renditions'] = {
  signer: {
    keys,
    baseUrl: config.RENDITIONS_URL,
    ttlSeconds: settings.renditionUrlTtlSeconds,
  },
  presets: settings.renditionPresets,
  limits: renditionLimitsOf(settings),
  failed: (error) => {
    tools.logger.error('rendition URLs not signed: answering without them', error as Error);
    tools.metrics.addMetric('RenditionSigningErrors', MetricUnit.Count, 1);
  },
};

/**
 * GET /images/{id} → 200 the image with `urls: {original?, thumbnails}` and, once PROCESSED, `renditions` (a signed
 * URL per preset); 400 malformed id, 404 unknown.
 */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const image = await getImage(imageId, caller, {
    store,
    presigner: objects,
    urlTtlSeconds: config.DOWNLOAD_URL_TTL_SECONDS,
    renditions,
    people,
    unlocked: (owner) =>
      requireUnlocked(
        { owner, signIn: caller.signIn },
        header(event, UNLOCK_TOKEN_HEADER),
        unlock,
        `image ${imageId} is in the locked folder`,
      ),
    partners,
  });
  const urls = Object.keys(image.urls.thumbnails).length + (image.urls.original ? 1 : 0);
  tools.metrics.addMetric('DownloadUrlsIssued', MetricUnit.Count, urls);
  const signed = Object.keys(image.renditions ?? {}).length;
  if (signed > 0) tools.metrics.addMetric('RenditionUrlsIssued', MetricUnit.Count, signed);
  return { statusCode: 200, body: image };
});
