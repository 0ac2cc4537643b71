import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, parseRequest } from '../../api/http';
import { StepFunctionsBackfills } from '../../backfill/executions';
import { readRunCounts } from '../../backfill/run-status';
import { parseEnv } from '../../settings/env';
import { createDocumentClient, createStepFunctionsClient } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { GetBackfillEnvSchema } from './contract';
import { getBackfill } from './get-backfill';
import { BackfillIdPathSchema } from './route';

const config = parseEnv(GetBackfillEnvSchema, process.env, 'get-backfill');
const tools = createPowertools(config);
const executions = new StepFunctionsBackfills(
  createStepFunctionsClient(tools.tracer),
  config.BACKFILL_STATE_MACHINE_ARN,
);
const dynamo = createDocumentClient(tools.tracer);
const counts = (id: string) => readRunCounts(dynamo, config.TABLE_NAME, id);

/** GET /backfills/{id} → 200 the run with its counts; 404 when there is none. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const { id } = parseRequest(BackfillIdPathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ run: id });
  return { statusCode: 200, body: await getBackfill(id, caller, { executions, counts }) };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
