import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { SearchIndex } from '../../../search/index-table';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { createPeopleDeps, personIdParam } from '../people-api';
import { PeopleIndexEnvSchema } from '../people-contract';
import { mergePeople } from './merge-people';
import { MergeSchema } from './route';

const { config, tools, serve } = apiFunction('merge-people', PeopleIndexEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const images = new ImageStore(dynamo, config.TABLE_NAME);
const deps = {
  ...createPeopleDeps(config, tools.tracer),
  images,
  index: new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: images }),
};

/** POST /people/{id}/merge `{"personIds": [...]}` → 200 the person merged into. */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  tools.logger.appendKeys({ personId });
  const merge = parseRequest(MergeSchema, jsonBody(event), 'body');
  const person = await mergePeople(personId, merge, caller, deps);
  tools.metrics.addMetric('PeopleMerged', MetricUnit.Count, merge.personIds.length);
  return { statusCode: 200, body: person };
});
