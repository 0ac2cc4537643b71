import { apiFunction, parseRequest } from '../../../api/http';
import { createStepFunctionsClient } from '../../../shared/aws-clients';
import { StepFunctionsBackfills } from '../../executions';
import { listBackfills } from './list-backfills';
import { ListBackfillsEnvSchema, ListBackfillsQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-backfills', ListBackfillsEnvSchema);
const executions = new StepFunctionsBackfills(
  createStepFunctionsClient(tools.tracer),
  config.BACKFILL_STATE_MACHINE_ARN,
);

const scope = { pipelineBucket: config.BUCKET_NAME, sources: config.SOURCE_BUCKETS };

/** GET /backfills?limit=&next= → 200 `{items, next?, sources}`, newest first. */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(ListBackfillsQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listBackfills(query, caller, { executions, scope }) };
});
