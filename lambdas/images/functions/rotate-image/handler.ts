import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { reanalysisDeps, reanalysisResponse } from '../reanalysis';
import { ROTATION, rotateImage } from './rotate-image';
import { RotateImageEnvSchema, RotationChangeSchema } from './route';

const { config, tools, serve } = apiFunction('rotate-image', RotateImageEnvSchema);
const deps = reanalysisDeps(ROTATION, config, tools);

/** PUT /images/{id}/rotation `{degrees}` → 202 `{imageId, rotation, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(RotationChangeSchema, jsonBody(event), 'body');
  return reanalysisResponse(await rotateImage(imageId, change, caller, deps));
});
