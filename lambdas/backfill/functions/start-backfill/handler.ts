import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { createDocumentClient, createStepFunctionsClient } from '../../../shared/aws-clients';
import { StepFunctionsBackfills } from '../../executions';
import { readRunCounts } from '../../run-status';
import { DynamoStartLeases } from '../../start-lease';
import { BackfillRequestSchema, StartBackfillEnvSchema } from './route';
import { startBackfill } from './start-backfill';

const { config, tools, serve } = apiFunction('start-backfill', StartBackfillEnvSchema);
const executions = new StepFunctionsBackfills(
  createStepFunctionsClient(tools.tracer),
  config.BACKFILL_STATE_MACHINE_ARN,
);
const scope = { pipelineBucket: config.BUCKET_NAME, sources: config.SOURCE_BUCKETS };
const dynamo = createDocumentClient(tools.tracer);
const counts = (id: string) => readRunCounts(dynamo, config.TABLE_NAME, id);
const leases = new DynamoStartLeases(dynamo, config.TABLE_NAME);

/**
 * POST /backfills `{bucket, prefix?, owner?, reprocess?, regroupFaces?, reown?, force?}` → 202 the run, `Location` its
 * `GET /backfills/{id}`; 409 when a run over the same keys is not done.
 */
export const handler = serve(async (event, caller) => {
  const request = parseRequest(BackfillRequestSchema, jsonBody(event), 'body');
  const started = await startBackfill(request, caller, { executions, counts, leases, scope });
  tools.logger.info('backfill started', { run: started.id, bucket: started.bucket, prefix: started.prefix });
  tools.metrics.addMetric('BackfillsStarted', MetricUnit.Count, 1);
  return { statusCode: 202, body: started, headers: { Location: started.location } };
});
