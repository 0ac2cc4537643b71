import { Readable } from 'node:stream';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, LambdaFunctionURLEvent, StreamifyHandler } from 'aws-lambda';
import { errorResult } from '../../../api/http';
import { BadRequestError } from '../../../shared/errors';
import { type Powertools, powertoolsMiddlewares } from '../../../shared/powertools';
import { renditionCacheControl, SHARED_CACHE_SECONDS } from '../../cache-headers';
import type { StoreOutcome } from './look-up';
import {
  answerRendition,
  type NotModified,
  type RenderConfig,
  type RenderDeps,
  RenderGaveUpError,
  RenditionError,
  type RenditionResult,
} from './render-image';

interface StreamedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable | string;
}

/**
 * A rendition URL (through CloudFront, by origin access control) → 200 the image, streamed, so its size is not
 * bounded by a buffered response's 6 MB; 304 to a cache revalidating its copy of an image still there; 403
 * unsigned, tampered or expired; 400 outside the limits, or a query on a public preset's URL; 404 unknown or
 * deleted image, or a public address no public preset has; 409 an image that is not PROCESSED; 503 a render that
 * gave up before the function's timeout.
 *
 * Streamed through its function URL. A rendition it made is answered first and stored
 * after: the invocation ends only once that store is done (or has failed, which is logged and counted, never
 * answered), whether the client read the whole answer or went away mid-way. Lambda waits for the handler, not for
 * promises left running once it returns or its stream ends
 * (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html).
 */
export function renditionHandler(config: RenderConfig, deps: RenderDeps, tools: Powertools): StreamifyHandler {
  /** The store each invocation's answer left running, by its context (the local runner serves many at once). */
  const storing = new WeakMap<Context, Promise<StoreOutcome>>();
  const answer = middy<LambdaFunctionURLEvent, StreamedResponse>(
    (event: LambdaFunctionURLEvent, context: Context) => route(event, context, { config, deps, tools, storing }),
    { streamifyResponse: true },
  ).use(powertoolsMiddlewares(tools)) as unknown as StreamifyHandler<LambdaFunctionURLEvent, void>;
  return awslambda.streamifyResponse(async (event, responseStream, context) => {
    try {
      await answer(event, responseStream, context);
    } finally {
      const store = storing.get(context);
      if (store) reportStore(await store, tools);
    }
  });
}

/** A store that failed leaves a good answer as it was: the next request renders again. */
function reportStore(outcome: StoreOutcome, tools: Powertools): void {
  if (outcome.stored) return;
  tools.logger.warn('rendition not stored', { reason: outcome.error.message });
  // Its own metric line: the invocation's metrics were published with the answer.
  const metric = tools.metrics.singleMetric();
  metric.addMetric('RenditionsNotStored', MetricUnit.Count, 1);
}

interface RouteScope {
  config: RenderConfig;
  deps: RenderDeps;
  tools: Powertools;
  storing: WeakMap<Context, Promise<StoreOutcome>>;
}

async function route(
  event: LambdaFunctionURLEvent,
  context: Context,
  { config, deps, tools, storing }: RouteScope,
): Promise<StreamedResponse> {
  try {
    const result = await answerRendition(
      {
        path: event.rawPath,
        rawQuery: event.rawQueryString ?? '',
        accept: acceptOf(event.headers ?? {}),
        timeLimitMs: context.getRemainingTimeInMillis() - GIVE_UP_MARGIN_MS,
        ifNoneMatch: event.headers?.['if-none-match'],
      },
      config,
      deps,
    );
    if ('notModified' in result) return notModifiedResponse(result, tools);
    if ('redirect' in result) {
      tools.metrics.addMetric('SharedDownloads', MetricUnit.Count, 1);
      // Never cached: each download is checked against its link.
      return { statusCode: 302, headers: { location: result.redirect, 'cache-control': 'no-store' }, body: '' };
    }
    tools.metrics.addMetric(result.rendered ? 'RenditionsRendered' : 'RenditionsServedStored', MetricUnit.Count, 1);
    if (result.store) storing.set(context, result.store);
    return imageResponse(result);
  } catch (error) {
    if (error instanceof RenderGaveUpError) return gaveUp(error, tools);
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
function gaveUp(error: RenderGaveUpError, tools: Powertools): StreamedResponse {
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
 * signature (or is a public preset's path), so no other URL can hit it, and a deleted image's copies stop being
 * served within minutes.
 */
function imageResponse(result: RenditionResult): StreamedResponse {
  const headers: Record<string, string> = {
    'content-type': result.contentType,
    'cache-control': cacheControlOf(result),
    etag: result.etag,
    'x-rendition-source': result.rendered ? 'rendered' : 'stored',
  };
  if (result.contentLength !== undefined) headers['content-length'] = String(result.contentLength);
  const body = Buffer.isBuffer(result.body) ? Readable.from([result.body]) : result.body;
  return { statusCode: 200, headers, body };
}

/** A link's renditions are kept briefly, so a revoke reaches the edge's copies within SHARED_CACHE_SECONDS. */
function cacheControlOf(result: { expires?: number; shared?: boolean }): string {
  return renditionCacheControl(result.expires, new Date(), result.shared ? SHARED_CACHE_SECONDS : undefined);
}

/** The cache's copy is still good for as long as a fresh answer would be (RFC 9110: a 304 repeats both headers). */
function notModifiedResponse(result: NotModified, tools: Powertools): StreamedResponse {
  tools.metrics.addMetric('RenditionsRevalidated', MetricUnit.Count, 1);
  return {
    statusCode: 304,
    headers: { 'cache-control': cacheControlOf(result), etag: result.etag },
    body: '',
  };
}
