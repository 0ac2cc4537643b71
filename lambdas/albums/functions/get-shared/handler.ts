import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, errorResult, type HttpResult, header, parseRequest } from '../../../api/http';
import { secretKeySet } from '../../../renditions/key-secret';
import { renditionLimitsOf } from '../../../settings/renditions';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ShareStore } from '../../../shares/share-store';
import { ImageStore } from '../../../store/image-store';
import { GetSharedQuerySchema, TOKEN_IN_HEADER } from '../share-schemas';
import { albumImagesOf } from './album-images';
import { type GetSharedDeps, getShared } from './get-shared';
import { GetSharedEnvSchema } from './route';

const { config, tools, servePublic } = apiFunction('get-shared', GetSharedEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const settings = config.RENDITION_SETTINGS;
const images = new ImageStore(dynamo, config.TABLE_NAME);
const deps: GetSharedDeps = {
  // A view is counted in one try: a throttled count is dropped, not retried while the viewer waits.
  shares: new ShareStore(dynamo, config.SHARES_TABLE, createDocumentClient(tools.tracer, { maxAttempts: 1 })),
  images,
  albumImages: albumImagesOf(config, tools, dynamo, images),
  renditions: {
    signer: {
      keys: secretKeySet(config.SIGNING_SECRET_ARN),
      baseUrl: config.RENDITIONS_URL,
      ttlSeconds: settings.renditionUrlTtlSeconds,
    },
    limits: renditionLimitsOf(settings),
  },
  viewNotCounted: (error) => tools.logger.warn('view not counted', error as Error),
};

/** Asks search engines to keep shared pages out, and the browser to send no referrer from them. */
const PRIVATE = { 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

/**
 * GET /shared/{token} (public: no caller) → 200 what the link shows; 401 protected, 404 unknown, 410 revoked or
 * expired, 429 too many wrong passwords. Every answer, an error too, carries PRIVATE's headers.
 */
export const handler = servePublic(async (event): Promise<HttpResult> => {
  let result: HttpResult;
  try {
    const asked = parseRequest(GetSharedQuerySchema, event.queryStringParameters ?? {}, 'query');
    const password = header(event, 'x-share-password');
    const client = event.requestContext?.identity?.sourceIp;
    const inPath = event.pathParameters?.token ?? '';
    const token = inPath === TOKEN_IN_HEADER ? (header(event, 'x-share-token') ?? '') : inPath;
    const shared = await getShared(token, { ...asked, password, client }, deps);
    tools.metrics.addMetric('SharedViews', MetricUnit.Count, 1);
    result = { statusCode: 200, body: shared };
  } catch (error) {
    result = errorResult(error, tools);
  }
  return { ...result, headers: { ...result.headers, ...PRIVATE } };
});
