import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { openCleanups } from '../../../manifest/cleanups';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { S3ImageObjects } from '../../../store/image-objects';
import { ImageStore } from '../../../store/image-store';
import { ImageTrash } from '../../../store/image-trash';
import { trashOrDelete } from '../../trash-or-delete';
import { DeleteImageEnvSchema, DeleteQuerySchema } from './route';

const { config, tools, serve } = apiFunction('delete-image', DeleteImageEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
const trash = new ImageTrash(dynamo, config.TABLE_NAME);
const s3 = createS3Client(config, tools.tracer);
const objects = new S3ImageObjects(s3);
// Each room's part of a delete for good (its renditions, postings, vector, faces, albums...), and of a move to the
// trash (its postings), in the registry's order (lambdas/manifest/cleanups.ts).
const cleanups = openCleanups('delete-image', process.env, { dynamo, s3, records: store }, 'purge', 'trash');
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/**
 * DELETE /images/{id}[?permanently=true] → 200 `{imageId, status: TRASHED, trashedAt, purgeAt}` (moved to the
 * trash), or 204 when deleted for good (no trash, a PENDING upload, or `permanently`).
 */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  const { permanently } = parseRequest(DeleteQuerySchema, event.queryStringParameters ?? {}, 'query');
  tools.logger.appendKeys({ imageId });
  const outcome = await trashOrDelete(imageId, caller, {
    permanently: permanently === true,
    trashDays: config.TRASH_DAYS,
    deps: { store, trash, objects, cleanups, publisher },
  });
  if (outcome.deleted) {
    tools.logger.info('image deleted', { status: outcome.deleted.status });
    tools.metrics.addMetric('ImagesDeleted', MetricUnit.Count, 1);
    return { statusCode: 204 };
  }
  const { trashedAt, purgeAt } = outcome.trashed;
  tools.logger.info('image moved to the trash', { purgeAt });
  tools.metrics.addMetric('ImagesTrashed', MetricUnit.Count, 1);
  return { statusCode: 200, body: { imageId, status: 'TRASHED', trashedAt, purgeAt } };
});
