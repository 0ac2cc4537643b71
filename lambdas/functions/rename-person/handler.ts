import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, jsonBody, parseRequest } from '../../api/http';
import { createPeopleDeps, personIdParam } from '../../api/people';
import { parseEnv } from '../../settings/env';
import { createPowertools, instrument } from '../../shared/powertools';
import { EnvSchema } from './contract';
import { RenameSchema, renamePerson } from './rename-person';

const config = parseEnv(EnvSchema, process.env, 'rename-person');
const tools = createPowertools(config);
const deps = createPeopleDeps(config, tools.tracer);

/** PATCH /people/{id} `{"name": string | null}` → 200 the person. The name is never logged. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const rename = parseRequest(RenameSchema, jsonBody(event), 'body');
  const person = await renamePerson(personId, rename, caller, deps);
  tools.metrics.addMetric('PeopleRenamed', MetricUnit.Count, 1);
  return { statusCode: 200, body: person };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
