import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { RENDITION_PREFIX } from '../../store/keys';
import {
  RenderImageEnvSchema,
  type RenditionSettings,
  renditionSettingsVariable,
} from '../functions/render-image/contract';

export const RenditionsEnvShape = {
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
const RENDITIONS_CONTRACT = {
  env: RenditionsEnvShape,
  environment: ({ settings, watermarkFiles }: RenditionsWiring) => ({
    RENDITION_SETTINGS: renditionSettingsVariable(settings, watermarkFiles ?? 'project'),
  }),
  uses: [uses.objects(RENDITION_PREFIX, 's3:PutObject', 's3:DeleteObject')],
  // The image watermarks the eager presets draw.
  bundledData: ['eager-watermarks'],
} satisfies StepContract<typeof RenditionsEnvShape>;

interface RenditionsWiring extends StepWiring {
  readonly settings: StepWiring['settings'] & RenditionSettings;
}

export const RENDITIONS_STEP = {
  name: 'renditions',
  phase: 'analyse',
  contract: RENDITIONS_CONTRACT,
} as const satisfies StepDeclaration;

/** The eager renditions stored: the same contract as `renditions`, which renders them. */
export const EAGER_RENDITIONS_STEP = {
  name: 'eager-renditions',
  phase: 'derive',
  contract: RENDITIONS_CONTRACT,
} as const satisfies StepDeclaration;
