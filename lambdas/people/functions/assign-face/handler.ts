import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { SearchIndex } from '../../../search/index-table';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { targetOf } from '../face-contract';
import { createPeopleDeps } from '../people-api';
import { PeopleIndexEnvSchema } from '../people-contract';
import { assignImageFace } from './assign-face';
import { AssignFaceSchema, ImageFacePathSchema } from './route';

const { config, tools, serve } = apiFunction('assign-face', PeopleIndexEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);
const dynamo = createDocumentClient(tools.tracer);
const images = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: images });

/** PUT /images/{id}/faces/{face} `{"personId"} | {"name"}` → 200 the face and its person now. Names are never logged. */
export const handler = serve(async (event, caller) => {
  const { id: imageId, face } = parseRequest(ImageFacePathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ imageId, face });
  const body = parseRequest(AssignFaceSchema, jsonBody(event), 'body');
  const answer = await assignImageFace(imageId, face, targetOf(body), caller, { ...deps, images, index });
  tools.metrics.addMetric('FacesAssigned', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
