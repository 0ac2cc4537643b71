import { uses } from '../../../../manifest/uses';
import {
  RenderImageEnvSchema,
  renditionSettingsVariable,
} from '../../../../renditions/functions/render-image/contract';
import { RENDITION_PREFIX } from '../../../../store/keys';
import type { StepContract } from '../step-contract';

const RenditionsEnvShape = {
  /**
   * The render function's own variable, parsed by its schema: the presets marked `eager` are made at ingest with
   * the limits it renders with, and stored at the key it looks for.
   */
  RENDITION_SETTINGS: RenderImageEnvSchema.shape.RENDITION_SETTINGS,
};

/**
 * `renditions` and `eager-renditions`: the eager presets, rendered beside vision and stored where the render function
 * looks for them; the objects DeleteObjects takes back (for an image deleted mid-run) are authorized as s3:DeleteObject.
 */
export const RENDITIONS_STEP = {
  steps: ['renditions', 'eager-renditions'],
  env: RenditionsEnvShape,
  environment: ({ settings, watermarkFiles }) => ({
    RENDITION_SETTINGS: renditionSettingsVariable(settings, watermarkFiles ?? 'project'),
  }),
  uses: [uses.objects(RENDITION_PREFIX, 's3:PutObject', 's3:DeleteObject')],
} satisfies StepContract<typeof RenditionsEnvShape>;
