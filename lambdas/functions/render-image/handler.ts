import { Readable } from 'node:stream';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { errorResult } from '../../api/http';
import { renditionCacheControl } from '../../renditions/cache-headers';
import { secretKeySet } from '../../renditions/key-secret';
import { EXPIRY_WINDOW_SECONDS } from '../../renditions/signing';
import { watermarkReader } from '../../renditions/watermarks';
import { parseEnv } from '../../settings/env';
import { renditionLimitsOf } from '../../settings/renditions';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { createPowertools, powertoolsMiddlewares } from '../../shared/powertools';
import { ImageStore } from '../../store/image-store';
import { S3ObjectStore } from '../../store/object-store';
import { RenderImageEnvSchema } from './contract';
import {
  type NotModified,
  type RenderDeps,
  RenderGaveUpError,
  RenditionError,
  type RenditionResult,
  renderRendition,
} from './render-image';

const config = parseEnv(RenderImageEnvSchema, process.env, 'render-image');
const tools = createPowertools(config);
const store = new ImageStore(createDocumentClient(tools.tracer), config.TABLE_NAME);
const s3 = new S3ObjectStore(createS3Client(config, tools.tracer));
const settings = config.RENDITION_SETTINGS;
const renderConfig = {
  limits: renditionLimitsOf(settings),
  presets: settings.renditionPresets,
  maxPixels: config.MAX_PIXELS,
  maxLifetimeSeconds: settings.renditionUrlTtlSeconds + EXPIRY_WINDOW_SECONDS,
};

const deps: RenderDeps = {
  store,
  objects: {
    read: async (key, bucket = config.BUCKET_NAME) => {
      const read = await s3.read(bucket, key, Number.MAX_SAFE_INTEGER);
      return read.kind === 'object' ? read.bytes : undefined;
    },
    open: (key) => s3.open(config.BUCKET_NAME, key),
    write: (key, data, contentType) => s3.write(config.BUCKET_NAME, key, data, contentType),
  },
  keys: secretKeySet(config.SIGNING_SECRET_ARN),
  // Image watermarks live beside the code (bundled by the stack; the project's files locally).
  watermark: watermarkReader(settings.watermarks),
  now: () => new Date(),
};

interface StreamedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable | string;
}

/**
 * A rendition URL (through CloudFront, by origin access control) → 200 the image, streamed, so its size is not
 * bounded by a buffered response's 6 MB; 304 to a cache revalidating its copy of an image still there; 403
 * unsigned, tampered or expired; 400 outside the limits; 404 unknown or deleted image; 409 an image that is not
 * PROCESSED; 503 a render that gave up before the function's timeout.
 */
async function route(event: LambdaFunctionURLEvent, context: Context): Promise<StreamedResponse> {
  try {
    const result = await renderRendition(
      {
        path: event.rawPath,
        rawQuery: event.rawQueryString ?? '',
        accept: acceptOf(event.headers ?? {}),
        timeLimitMs: context.getRemainingTimeInMillis() - GIVE_UP_MARGIN_MS,
        ifNoneMatch: event.headers?.['if-none-match'],
      },
      renderConfig,
      deps,
    );
    if ('notModified' in result) return notModifiedResponse(result);
    tools.metrics.addMetric(result.rendered ? 'RenditionsRendered' : 'RenditionsServedStored', MetricUnit.Count, 1);
    return imageResponse(result);
  } catch (error) {
    if (error instanceof RenderGaveUpError) return gaveUp(error);
    const refusal = error instanceof RenditionError ? new BadRequestError(error.message) : error;
    const { statusCode, body } = errorResult(refusal, tools);
    return {
      statusCode,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: JSON.stringify(body),
    };
  }
}

/**
 * Time kept back from the function's timeout when a render starts: libvips is stopped on whole seconds (up to one
 * late), then the reason is stored and the 503 sent, all before Lambda would cut the invocation off.
 */
const GIVE_UP_MARGIN_MS = 4000;

/**
 * A render that gave up: a 503 with the reason, kept briefly by CloudFront and any cache (the reason is stored, so
 * the origin answers it again without rendering until it lapses).
 */
function gaveUp(error: RenderGaveUpError): StreamedResponse {
  tools.logger.warn('render gave up', { reason: error.message });
  tools.metrics.addMetric('RenditionsGaveUp', MetricUnit.Count, 1);
  return {
    statusCode: error.statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=30', 'retry-after': '30' },
    body: JSON.stringify({ message: error.message }),
  };
}

/**
 * The format CloudFront settled from the Accept header (`x-rendition-format`, so the raw header never enters its
 * cache key), else the client's own Accept header (the local runner, a direct call).
 */
function acceptOf(headers: Record<string, string | undefined>): string | undefined {
  const negotiated = headers['x-rendition-format'];
  return negotiated === undefined ? headers.accept : `image/${negotiated}`;
}

/**
 * Cacheable briefly (renditions/cache-headers.ts), then revalidated with its tag: CloudFront's key holds the
 * signature, so no one else's URL can hit it, and a deleted image's copies stop being served within minutes.
 */
function imageResponse(result: RenditionResult): StreamedResponse {
  const headers: Record<string, string> = {
    'content-type': result.contentType,
    'cache-control': renditionCacheControl(result.expires, new Date()),
    etag: result.etag,
    'x-rendition-source': result.rendered ? 'rendered' : 'stored',
  };
  if (result.contentLength !== undefined) headers['content-length'] = String(result.contentLength);
  const body = Buffer.isBuffer(result.body) ? Readable.from([result.body]) : result.body;
  return { statusCode: 200, headers, body };
}

/** The cache's copy is still good for as long as a fresh answer would be (RFC 9110: a 304 repeats both headers). */
function notModifiedResponse(result: NotModified): StreamedResponse {
  tools.metrics.addMetric('RenditionsRevalidated', MetricUnit.Count, 1);
  return {
    statusCode: 304,
    headers: { 'cache-control': renditionCacheControl(result.expires, new Date()), etag: result.etag },
    body: '',
  };
}

export const handler = middy<LambdaFunctionURLEvent, StreamedResponse>(route, { streamifyResponse: true }).use(
  powertoolsMiddlewares(tools),
);
