import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { ImageIdPathSchema } from '../../../api/schemas';
import { SearchIndex } from '../../../search/index-table';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { targetOf } from '../face-contract';
import { createPeopleDeps } from '../people-api';
import { PeopleIndexEnvSchema } from '../people-contract';
import { drawImageFace } from './draw-face';
import { DrawFaceSchema } from './route';

const { config, tools, serve } = apiFunction('draw-face', PeopleIndexEnvSchema);
const deps = createPeopleDeps(config, tools.tracer);
const dynamo = createDocumentClient(tools.tracer);
const images = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: images });

/** POST /images/{id}/faces `{"box", "personId" | "name"}` → 201 the drawn face and its person. Names are never logged. */
export const handler = serve(async (event, caller) => {
  const { id: imageId } = parseRequest(ImageIdPathSchema, event.pathParameters ?? {}, 'path');
  tools.logger.appendKeys({ imageId });
  const body = parseRequest(DrawFaceSchema, jsonBody(event), 'body');
  const answer = await drawImageFace(imageId, body.box, targetOf(body), caller, { ...deps, images, index });
  tools.metrics.addMetric('FacesDrawn', MetricUnit.Count, 1);
  return { statusCode: 201, body: answer };
});
