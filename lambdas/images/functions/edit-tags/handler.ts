import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { createEditDeps } from '../edit-api';
import { editTags } from './edit-tags';
import { EditTagsEnvSchema, TagChangeSchema } from './route';

const { config, tools, serve } = apiFunction('edit-tags', EditTagsEnvSchema);
const deps = createEditDeps(config, tools.tracer);

/** PATCH /images/{id}/tags `{add?, remove?}` → 200 `{imageId, tags}`; `Image Updated` is published. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(TagChangeSchema, jsonBody(event), 'body');
  const answer = await editTags(imageId, change, caller, deps);
  tools.metrics.addMetric('TagsEdited', MetricUnit.Count, change.add.length + change.remove.length);
  return { statusCode: 200, body: answer };
});
