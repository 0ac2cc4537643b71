/**
 * The deployed functions' handlers as the runner serves them, imported only once the runner has set the environment
 * they parse when loaded.
 */
import type { IVisionProvider } from '../functions/processor/ports';
import type { Route } from './api-server';
import type { FunctionUrlRoute, StreamingHandler } from './function-url';
import { installResponseStreaming } from './response-streaming';

/** The render function's timeout in the stack (lib/constructs/renditions.ts). */
const RENDER_TIMEOUT_MS = 30_000;

/** The API routes, each with the handler the stack deploys behind it. */
export async function apiRoutes(): Promise<Route[]> {
  const [create, list, get, remove, similar, labels, rendition] = await Promise.all([
    import('../functions/create-upload/handler'),
    import('../functions/list-images/handler'),
    import('../functions/get-image/handler'),
    import('../functions/delete-image/handler'),
    import('../functions/similar-images/handler'),
    import('../functions/correct-labels/handler'),
    import('../functions/create-rendition/handler'),
  ]);
  const route = (method: string, resource: string, functionName: string, handler: unknown): Route => ({
    method,
    resource,
    functionName,
    handler: handler as Route['handler'],
  });
  return [
    route('POST', '/uploads', 'create-upload', create.handler),
    route('GET', '/images', 'list-images', list.handler),
    route('GET', '/images/{id}', 'get-image', get.handler),
    route('DELETE', '/images/{id}', 'delete-image', remove.handler),
    route('GET', '/images/{id}/similar', 'similar-images', similar.handler),
    route('PATCH', '/images/{id}/labels', 'correct-labels', labels.handler),
    route('POST', '/images/{id}/renditions', 'create-rendition', rendition.handler),
  ];
}

/**
 * The render function, as CloudFront reaches it through its function URL: a streaming handler, so the runtime's
 * `awslambda` global must exist before it is loaded. Served at `/<imageId>`, beside the API.
 */
export async function renditionFunction(): Promise<FunctionUrlRoute> {
  installResponseStreaming();
  const { handler } = await import('../functions/render-image/handler');
  return {
    path: /^\/[0-9A-HJKMNP-TV-Z]{26}$/,
    functionName: 'render-image',
    timeoutMs: RENDER_TIMEOUT_MS,
    handler: handler as unknown as StreamingHandler,
  };
}

export async function processorHandler(vision: IVisionProvider | undefined) {
  const [{ parseProcessorConfig }, { createDeps }, { buildProcessorHandler }, { createPowertools }] = await Promise.all(
    [
      import('../functions/processor/contract'),
      import('../functions/processor/deps'),
      import('../functions/processor/processor-handler'),
      import('../shared/powertools'),
    ],
  );
  const config = parseProcessorConfig(process.env);
  const powertools = createPowertools({ ...config, POWERTOOLS_SERVICE_NAME: 'image-intel-processor' });
  return buildProcessorHandler(config, createDeps(config, { vision }), powertools);
}
