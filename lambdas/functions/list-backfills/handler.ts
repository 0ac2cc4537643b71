import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, parseRequest } from '../../api/http';
import { StepFunctionsBackfills } from '../../backfill/executions';
import { parseEnv } from '../../settings/env';
import { createStepFunctionsClient } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { ListBackfillsEnvSchema } from './contract';
import { ListBackfillsQuerySchema, listBackfills } from './list-backfills';

const config = parseEnv(ListBackfillsEnvSchema, process.env, 'list-backfills');
const tools = createPowertools(config);
const executions = new StepFunctionsBackfills(
  createStepFunctionsClient(tools.tracer),
  config.BACKFILL_STATE_MACHINE_ARN,
);

/** GET /backfills?limit=&next= → 200 `{items, next?}`, newest first. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const query = parseRequest(ListBackfillsQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listBackfills(query, caller, { executions }) };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
