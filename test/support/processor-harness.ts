import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { functionEnvironments } from '../../lambdas/local/environments';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { localResources, localServices } from './local-resources';

type Handler = typeof import('../../lambdas/ingest/functions/processor/handler')['handler'];

const CONTEXT = { functionName: 'processor', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 60_000 } as Context;

/**
 * The deployed processor handler as its unit tests drive it: the environment the local runner gives it (the wiring
 * it makes of the declared resources, named for the prefix `images`; the bucket `images`, the bus `image-events`)
 * with these settings (`inference=none` and no webhooks unless they say), set before the handler is loaded (it parses its environment once, at
 * load), and one call per SQS event. The AWS clients it makes are the ones a test's `mockClient` replaced.
 */
export function loadProcessor(settings: Record<string, unknown>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  // Webhooks off unless asked for: their queue is a second sink every publish sends to.
  const parsed = parseDeploymentSettings({ inference: 'none', webhooks: 'false', ...settings });
  const resources = { ...localResources('images', parsed), bucket: 'images', eventBus: 'image-events' };
  Object.assign(process.env, functionEnvironments(resources, localServices('images'), parsed), {
    POWERTOOLS_METRICS_NAMESPACE: 'ImageIntelTest',
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const { handler } = require('../../lambdas/ingest/functions/processor/handler') as { handler: Handler };
  return async (event) => {
    const response = await handler(event, CONTEXT, { signal: new AbortController().signal });
    if (!response) throw new Error('the handler answered nothing');
    return response;
  };
}
