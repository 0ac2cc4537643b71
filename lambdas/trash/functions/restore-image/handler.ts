import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { openCleanups } from '../../../manifest/cleanups';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { ImageTrash } from '../../../store/image-trash';
import { restoreImage } from '../../trash-image';
import { RestoreImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('restore-image', RestoreImageEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const trash = new ImageTrash(dynamo, config.TABLE_NAME);
// The rooms whose lists the image comes back to (its search postings: lambdas/manifest/cleanups.ts, occasion `trash`).
const cleanups = openCleanups('restore-image', process.env, { dynamo, records: store }, 'trash');
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/** POST /images/{id}/restore → 200 `{imageId, status}`: out of the trash, listed and searchable again. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const restored = await restoreImage(imageId, caller, { store, trash, cleanups, publisher });
  tools.logger.info('image restored', { status: restored.status });
  tools.metrics.addMetric('ImagesRestored', MetricUnit.Count, 1);
  return { statusCode: 200, body: { imageId, status: restored.status } };
});
