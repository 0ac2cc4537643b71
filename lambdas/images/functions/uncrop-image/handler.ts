import { apiFunction, imageIdParam } from '../../../api/http';
import { cropDeps, cropImage } from '../crop-api';
import { UncropImageEnvSchema } from './route';

const { config, tools, serve } = apiFunction('uncrop-image', UncropImageEnvSchema);
const deps = cropDeps(config, tools);

/** DELETE /images/{id}/crop → 202 `{imageId, crop: {0, 0, 1, 1}, status: REANALYSING}`, or 200 UNCHANGED. */
export const handler = serve(async (event, caller) => {
  const imageId = imageIdParam(event);
  tools.logger.appendKeys({ imageId });
  const answer = await cropImage(imageId, undefined, caller, deps);
  return { statusCode: answer.status === 'REANALYSING' ? 202 : 200, body: answer };
});
