import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { SearchIndex } from '../../../search/index-table';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { createPeopleDeps, personIdParam } from '../people-api';
import { PeopleIndexEnvSchema } from '../people-contract';
import { removePersonFaces } from './remove-person-faces';
import { PersonImagePathSchema, RemoveFacesQuerySchema } from './route';

const { config, tools, serve } = apiFunction('remove-person-faces', PeopleIndexEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);
const dynamo = createDocumentClient(tools.tracer);
const images = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: images });

/** DELETE /people/{id}/images/{imageId}?face= → 200 the faces taken out and the person now. */
export const handler = serve(async (event, caller) => {
  const personId = personIdParam(event);
  const { imageId } = parseRequest(PersonImagePathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ personId, imageId });
  const { face } = parseRequest(RemoveFacesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const answer = await removePersonFaces(personId, imageId, face, caller, { ...deps, images, index });
  tools.metrics.addMetric('PersonFacesRemoved', MetricUnit.Count, answer.faces.length);
  return { statusCode: 200, body: answer };
});
