import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { openCleanups } from '../../../manifest/cleanups';
import { createDocumentClient } from '../../../shared/aws-clients';
import { ImageStore } from '../../../store/image-store';
import { LockedChangeSchema, SetLockedEnvSchema } from './route';
import { setLocked } from './set-locked';

const { config, tools, serve } = apiFunction('set-locked', SetLockedEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const store = new ImageStore(dynamo, config.TABLE_NAME);
// The rooms whose lists the image leaves and rejoins, as for the trash (lambdas/manifest/cleanups.ts, occasion `trash`).
const cleanups = openCleanups('set-locked', process.env, { dynamo, records: store }, 'trash');
const publisher = eventSinks({ env: config, tracer: tools.tracer });

/** PUT /images/{id}/locked `{locked}` → 200 `{imageId, locked}`; `Image Updated` when it changed. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(LockedChangeSchema, jsonBody(event), 'body');
  const answer = await setLocked(imageId, change, caller, { store, cleanups, publisher });
  tools.metrics.addMetric(change.locked ? 'ImagesLocked' : 'ImagesUnlocked', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
