import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { SearchIndex } from '../../../search/index-table';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { correctLabels } from './correct-labels';
import { CorrectLabelsEnvSchema, LabelChangeSchema } from './route';

const { config, tools, serve } = apiFunction('correct-labels', CorrectLabelsEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: store });
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/** PATCH /images/{id}/labels `{add?, remove?}` → 200 `{imageId, labels}`; `Image Labels Changed` is published. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(LabelChangeSchema, jsonBody(event), 'body');
  const answer = await correctLabels(imageId, change, caller, { store, index, publisher });
  tools.metrics.addMetric('LabelsCorrected', MetricUnit.Count, change.add.length + change.remove.length);
  return { statusCode: 200, body: answer };
});
