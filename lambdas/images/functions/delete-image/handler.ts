import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { peopleIf } from '../../../people/wiring';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { S3KeyLister } from '../../../store/object-pages';
import { deleteImage } from './delete-image';
import { DeleteImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('delete-image', DeleteImageEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const index = new SearchIndex(dynamo, config.SEARCH_TABLE_NAME);
const people = peopleIf(dynamo, config);
const vectors = meaningIf(config);
const s3 = createS3Client(config, tools.tracer);
const objects = new S3ImageObjects(s3);
const keys = new S3KeyLister(s3);
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/**
 * DELETE /images/{id} → 204; the original, thumbnails, renditions, faces (face grouping on) and record are gone and
 * `Image Deleted` is published.
 */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const deleted = await deleteImage(imageId, caller, { store, objects, keys, index, publisher, people, vectors });
  tools.logger.info('image deleted', { status: deleted.status });
  tools.metrics.addMetric('ImagesDeleted', MetricUnit.Count, 1);
  return { statusCode: 204 };
});
