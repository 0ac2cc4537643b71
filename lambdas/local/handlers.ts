/**
 * The deployed functions' handlers as the runner serves them, imported only once the runner has set the environment
 * they parse when loaded.
 */
import path from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { RouteSettings } from '../api/route';
import type * as Core from '../core/analysis/raster';
import { pipelineHandlerModule } from '../manifest/manifest';
import { apiFunctionsFor, handlerModule, type RouteChoices } from '../manifest/routes';
import type * as Offline from '../vision/offline';
import type { Route } from './api-server';
import type { FunctionUrlRoute, StreamingHandler } from './function-url';
import type { LambdaHandler } from './lambda-context';
import { type LocalFunction, startLambdaService } from './lambda-service';
import { RECORDED_VISION_ENV, readVisionRecording, replayingVision } from './recorded-vision';
import { installResponseStreaming } from './response-streaming';

/** The render function's timeout in the stack (lib/constructs/renditions.ts). */
const RENDER_TIMEOUT_MS = 30_000;
/** The vision function's (lib/constructs/vision.ts). */
const VISION_TIMEOUT_MS = 60_000;

const LAMBDAS_DIR = path.resolve(__dirname, '..') + path.sep;
const RUNNER_DIR = __dirname + path.sep;
/** Powertools keeps the parameters and secrets it fetched in its module: each function has its own in Lambda. */
const PER_FUNCTION_PACKAGES = `${path.sep}node_modules${path.sep}@aws-lambda-powertools${path.sep}parameters${path.sep}`;

/**
 * Load one deployed function's modules afresh, as its own Lambda container would: a cache one function fills (the
 * signing keys, the API clients' directory) must not serve another, or a call only the first one makes would hide
 * whether the second is allowed it. The other packages (the SDK, sharp, the models) stay shared; so do the
 * runner's own modules.
 */
function freshly<T>(load: () => T): T {
  for (const file of Object.keys(require.cache)) {
    const ours = file.startsWith(LAMBDAS_DIR) && !file.startsWith(RUNNER_DIR);
    if (ours || file.includes(PER_FUNCTION_PACKAGES)) delete require.cache[file];
  }
  return load();
}

/**
 * The API routes as `lambdas/manifest/routes.ts` declares them, each with the handler the stack deploys behind it
 * (`lambdas/<room>/functions/<operationId>/handler.ts`); a route only some deployments have, only when its setting
 * is on (off, its path is a 404, as on a deployment without it).
 *
 * Each handler is loaded by its route's first request, as a function's cold start loads it: loading all of them
 * (about 80, each with its own modules) took half of `npm start`'s 20 s, for routes a session may never call.
 */
export async function apiRoutes(settings: RouteSettings & RouteChoices): Promise<Route[]> {
  return apiFunctionsFor(settings).map((fn) => {
    const { method, path: resource, operationId, public: open } = fn.route(settings);
    // Resolved now: a handler file the manifest names but nobody wrote stops the start, not a first request.
    const module = require.resolve(`../${handlerModule(fn, settings)}`);
    let loaded: Route['handler'] | undefined;
    const handler: Route['handler'] = (event, context) => {
      loaded ??= freshly(() => require(module) as { handler: Route['handler'] }).handler;
      return loaded(event, context);
    };
    return { method, resource, functionName: operationId, handler, handlerFile: module, ...(open && { public: true }) };
  });
}

/**
 * The render function, as CloudFront reaches it through its function URL: a streaming handler, so the runtime's
 * `awslambda` global must exist before it is loaded. Served at `/<imageId>` (signed URLs) and every path below it
 * (public presets' URLs, `/<imageId>/<preset>.<ext>`, and the 404 of any other), and at `/<a link's photo id>` (the
 * URLs a share link hands out, renditions/share-scope.ts), beside the API.
 */
export async function renditionFunction(): Promise<FunctionUrlRoute> {
  installResponseStreaming();
  const module = `../${pipelineHandlerModule('render-image')}`;
  const { handler } = freshly(() => require(module) as { handler: unknown });
  return {
    path: /^\/([0-9A-HJKMNP-TV-Z]{26}(\/.*)?|[A-Za-z0-9_-]{22})$/,
    functionName: 'render-image',
    timeoutMs: RENDER_TIMEOUT_MS,
    handler: handler as unknown as StreamingHandler,
  };
}

/**
 * A queue's consumer (lambdas/manifest/manifest.ts), as the stack deploys it behind its queue's event source: its
 * `handler.ts`, loaded with the environment the runner set.
 */
export function queueConsumer(name: string): LambdaHandler<SQSEvent, SQSBatchResponse> {
  const module = `../${pipelineHandlerModule(name)}`;
  return freshly(() => (require(module) as { handler: LambdaHandler<SQSEvent, SQSBatchResponse> }).handler);
}

/**
 * The offline models' container-image function, invoked by the processor by this name, and a probe that runs its
 * models once on a small image: a missing runtime shows at start, and the first image is not slow.
 */
export function visionFunction(name: string): { fn: LocalFunction; probe: () => Promise<void> } {
  return freshly(() => {
    const module = `../${pipelineHandlerModule('vision')}`;
    const { handler } = require(module) as { handler: LambdaHandler<unknown, unknown> };
    // The same module instance as the handler's, so the models load once.
    const { analyzeOffline } = require('../vision/offline') as typeof Offline;
    const { decodeRaster } = require('../core/analysis/raster') as typeof Core;
    const probe = async () => {
      const sharp = (await import('sharp')).default;
      const image = sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } });
      await analyzeOffline(await decodeRaster(await image.png().toBuffer(), 64), undefined);
    };
    return { fn: { name, functionName: 'vision', timeoutMs: VISION_TIMEOUT_MS, handler }, probe };
  });
}

/**
 * The vision function, served by a local Lambda API, with its models loaded now: a missing runtime shows at start
 * (the runner then runs without vision) and the first image is not slow.
 */
export async function startVisionFunction(prefix: string, log: (line: string) => void) {
  // A recording that cannot be read stops the start: answers that silently came from the models instead would not.
  const recorded = process.env[RECORDED_VISION_ENV];
  const recording = recorded ? readVisionRecording(recorded) : undefined;
  try {
    const { fn, probe } = visionFunction(`${prefix}-vision`);
    if (!recording) {
      await probe();
      return { name: fn.name, service: await startLambdaService([fn]) };
    }
    // Answers replayed (recorded-vision.ts): the models load on the first image the recording lacks, if any.
    const replaying = replayingVision(recording, fn.handler, log);
    return { name: fn.name, service: await startLambdaService([{ ...fn, handler: replaying }]) };
  } catch (error) {
    log(`offline models unavailable (${(error as Error).message}); running with inference none`);
    return undefined;
  }
}
