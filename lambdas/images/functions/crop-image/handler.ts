import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { cropDeps, cropImage } from '../crop-api';
import { CropChangeSchema, CropImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('crop-image', CropImageEnvSchema);
const deps = cropDeps(config, tools);

/** PUT /images/{id}/crop `{left, top, width, height}` → 202 `{imageId, crop, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(CropChangeSchema, jsonBody(event), 'body');
  const answer = await cropImage(imageId, change, caller, deps);
  return { statusCode: answer.status === 'REANALYSING' ? 202 : 200, body: answer };
});
