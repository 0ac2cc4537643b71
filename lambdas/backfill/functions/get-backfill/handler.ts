import { apiFunction, parseRequest } from '../../../api/http';
import { createDocumentClient, createStepFunctionsClient } from '../../../shared/aws-clients';
import { StepFunctionsBackfills } from '../../executions';
import { readRunCounts } from '../../run-status';
import { getBackfill } from './get-backfill';
import { BackfillIdPathSchema, GetBackfillEnvSchema } from './route';

const { config, tools, serve } = apiFunction('get-backfill', GetBackfillEnvSchema);
const executions = new StepFunctionsBackfills(
  createStepFunctionsClient(tools.tracer),
  config.BACKFILL_STATE_MACHINE_ARN,
);
const dynamo = createDocumentClient(tools.tracer);
const counts = (id: string) => readRunCounts(dynamo, config.TABLE_NAME, id);

/** GET /backfills/{id} → 200 the run with its counts; 404 when there is none. */
export const handler = serve(async (event, caller) => {
  const { id } = parseRequest(BackfillIdPathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ run: id });
  return { statusCode: 200, body: await getBackfill(id, caller, { executions, counts }) };
});
