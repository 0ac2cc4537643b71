import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { callerOf } from '../../api/caller';
import { callerSource } from '../../api/env';
import { type HttpRoute, httpHandler, imageIdParam, jsonBody, parseRequest } from '../../api/http';
import { eventSinks } from '../../events/sinks';
import { SearchIndex } from '../../search/index-table';
import { parseEnv } from '../../settings/env';
import { createDocumentClient } from '../../shared/aws-clients';
import { createPowertools, instrument } from '../../shared/powertools';
import { ImageStore } from '../../store/image-store';
import { CorrectLabelsEnvSchema } from './contract';
import { correctLabels, LabelChangeSchema } from './correct-labels';

const config = parseEnv(CorrectLabelsEnvSchema, process.env, 'correct-labels');
const tools = createPowertools(config);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME);
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/** PATCH /images/{id}/labels `{add?, remove?}` → 200 `{imageId, labels}`; `Image Labels Changed` is published. */
const route: HttpRoute = async (event) => {
  const caller = await callerOf(event, callerSource(config));
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(LabelChangeSchema, jsonBody(event), 'body');
  const answer = await correctLabels(imageId, change, caller, { store, index, publisher });
  tools.metrics.addMetric('LabelsCorrected', MetricUnit.Count, change.add.length + change.remove.length);
  return { statusCode: 200, body: answer };
};

export const handler = instrument(
  httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }),
  tools,
) satisfies APIGatewayProxyHandler;
