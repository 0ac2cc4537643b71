import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler } from '../../api/http';
import { createPeopleDeps, personIdParam } from '../../api/people';
import { parseEnv } from '../../settings/env';
import { createPowertools, instrument } from '../../shared/powertools';
import { EnvSchema } from './contract';
import { getPerson } from './get-person';

const config = parseEnv(EnvSchema, process.env, 'get-person');
const tools = createPowertools(config);
const deps = createPeopleDeps(config, tools.tracer);

/** GET /people/{id} → 200 the person (a merged id: its target); 400 malformed id, 404 unknown. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  return { statusCode: 200, body: await getPerson(personId, caller, deps) };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
