import { apiFunction, imageIdParam } from '../../../api/http';
import { CROP, cropImage } from '../crop-api';
import { reanalysisDeps, reanalysisResponse } from '../reanalysis';
import { UncropImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('uncrop-image', UncropImageEnvSchema);
const deps = reanalysisDeps(CROP, config, tools);

/** DELETE /images/{id}/crop → 202 `{imageId, crop: {0, 0, 1, 1}, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  return reanalysisResponse(await cropImage(imageId, undefined, caller, deps));
});
