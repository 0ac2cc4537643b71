import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, parseRequest } from '../../api/http';
import { createPeopleDeps } from '../../api/people';
import { parseEnv } from '../../settings/env';
import { createPowertools, instrument } from '../../shared/powertools';
import { EnvSchema } from './contract';
import { ListPeopleQuerySchema, listPeople, peopleQueryOf } from './list-people';

const config = parseEnv(EnvSchema, process.env, 'list-people');
const tools = createPowertools(config);
const deps = createPeopleDeps(config, tools.tracer);

/** GET /people?limit=&cursor= → 200 `{items, cursor?}`: the caller's people, most faces first. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const multi = event.multiValueQueryStringParameters ?? {};
  const query = parseRequest(ListPeopleQuerySchema, peopleQueryOf(multi), 'query');
  const page = await listPeople(query, caller, deps);
  tools.metrics.addMetric('PeopleListed', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
