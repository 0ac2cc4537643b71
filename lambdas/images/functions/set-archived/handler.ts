import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { openCleanups } from '../../../manifest/cleanups';
import { createDocumentClient } from '../../../shared/aws-clients';
import { createEditDeps } from '../edit-api';
import { ArchivedChangeSchema, SetArchivedEnvSchema } from './route';
import { setArchived } from './set-archived';

const { config, tools, serve } = apiFunction('set-archived', SetArchivedEnvSchema);
const edit = createEditDeps(config, tools.tracer);
// The rooms told of an archive (lambdas/manifest/cleanups.ts, occasion `archive`): the stacks room.
const dynamo = createDocumentClient(tools.tracer);
const cleanups = openCleanups('set-archived', process.env, { dynamo, records: edit.store }, 'archive');
const deps = { ...edit, cleanups };

/** PUT /images/{id}/archived `{archived}` → 200 `{imageId, archived}`; `Image Updated` when it changed. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(ArchivedChangeSchema, jsonBody(event), 'body');
  const answer = await setArchived(imageId, change, caller, deps);
  tools.metrics.addMetric('ArchivesSet', MetricUnit.Count, 1);
  return { statusCode: 200, body: answer };
});
