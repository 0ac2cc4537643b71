import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, jsonBody, parseRequest } from '../../api/http';
import { createPeopleDeps, personIdParam } from '../../api/people';
import { parseEnv } from '../../settings/env';
import { createPowertools, instrument } from '../../shared/powertools';
import { EnvSchema } from './contract';
import { MergeSchema, mergePeople } from './merge-people';

const config = parseEnv(EnvSchema, process.env, 'merge-people');
const tools = createPowertools(config);
const deps = createPeopleDeps(config, tools.tracer);

/** POST /people/{id}/merge `{"personIds": [...]}` → 200 the person merged into. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const merge = parseRequest(MergeSchema, jsonBody(event), 'body');
  const person = await mergePeople(personId, merge, caller, deps);
  tools.metrics.addMetric('PeopleMerged', MetricUnit.Count, merge.personIds.length);
  return { statusCode: 200, body: person };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
