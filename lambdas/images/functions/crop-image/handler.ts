import { apiFunction, imageIdParam, jsonBody, parseRequest } from '../../../api/http';
import { CROP, cropImage } from '../crop-api';
import { reanalysisDeps, reanalysisResponse } from '../reanalysis';
import { CropChangeSchema, CropImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('crop-image', CropImageEnvSchema);
const deps = reanalysisDeps(CROP, config, tools);

/** PUT /images/{id}/crop `{left, top, width, height}` → 202 `{imageId, crop, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const change = parseRequest(CropChangeSchema, jsonBody(event), 'body');
  return reanalysisResponse(await cropImage(imageId, change, caller, deps));
});
