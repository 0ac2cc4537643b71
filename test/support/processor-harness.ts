import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { environmentFor } from '../../lambdas/ingest/functions/processor/contract';
import { parseDeploymentSettings } from '../../lambdas/settings';

type Handler = typeof import('../../lambdas/ingest/functions/processor/handler')['handler'];

const CONTEXT = { functionName: 'processor', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 60_000 } as Context;

/**
 * The deployed processor handler as its unit tests drive it: the environment the stack gives it (results table
 * `images-table`, search table `images-search`, bucket `images`, bus `image-events`, 5 receives) with these
 * settings, set before the handler is loaded (it parses its environment once, at load), and one call per SQS
 * event. The AWS clients it makes are the ones a test's `mockClient` replaced.
 */
export function loadProcessor(settings: Record<string, unknown>): (event: SQSEvent) => Promise<SQSBatchResponse> {
  Object.assign(
    process.env,
    environmentFor({
      tableName: 'images-table',
      searchTableName: 'images-search',
      policyTableName: 'images-policies',
      bucketName: 'images',
      eventBusName: 'image-events',
      maxReceiveCount: 5,
      settings: parseDeploymentSettings({ inference: 'none', ...settings }),
    }),
    { POWERTOOLS_METRICS_NAMESPACE: 'ImageIntelTest', POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
  );
  const { handler } = require('../../lambdas/ingest/functions/processor/handler') as { handler: Handler };
  return async (event) => {
    const response = await handler(event, CONTEXT, { signal: new AbortController().signal });
    if (!response) throw new Error('the handler answered nothing');
    return response;
  };
}
