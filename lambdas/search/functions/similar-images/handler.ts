import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, parseRequest } from '../../../api/http';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { SearchIndex } from '../../index-table';
import { SimilarImagesEnvSchema, SimilarQuerySchema } from './route';
import { similarImages } from './similar-images';

const { config, tools, serve } = apiFunction('similar-images', SimilarImagesEnvSchema);
const client = createDocumentClient(tools.tracer);
const store = new ImageStore(client, config.TABLE_NAME);
const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);

/** GET /images/{id}/similar?maxDistance=&limit= → 200 `{imageId, maxDistance, items: [{imageId, distance, duplicate}]}`. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const query = parseRequest(SimilarQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await similarImages(imageId, query, caller, { store, index });
  tools.metrics.addMetric('SimilarImagesFound', MetricUnit.Count, page.items.length);
  return { statusCode: 200, body: page };
});
