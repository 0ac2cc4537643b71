/**
 * The deployed functions' handlers as the runner serves them, imported only once the runner has set the environment
 * they parse when loaded.
 */
import type { RouteSettings } from '../api/route';
import type { IVisionProvider } from '../functions/processor/ports';
import { API_ROUTES } from '../functions/routes';
import type { Route } from './api-server';
import type { FunctionUrlRoute, StreamingHandler } from './function-url';
import { installResponseStreaming } from './response-streaming';

/** The render function's timeout in the stack (lib/constructs/renditions.ts). */
const RENDER_TIMEOUT_MS = 30_000;

/**
 * The API routes as `lambdas/functions/routes.ts` declares them, each with the handler the stack deploys behind it
 * (`lambdas/functions/<operationId>/handler.ts`).
 */
export async function apiRoutes(settings: RouteSettings): Promise<Route[]> {
  return Promise.all(
    API_ROUTES.map(async (declare) => {
      const { method, path, operationId } = declare(settings);
      const { handler } = (await import(`../functions/${operationId}/handler`)) as { handler: Route['handler'] };
      return { method, resource: path, functionName: operationId, handler };
    }),
  );
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
