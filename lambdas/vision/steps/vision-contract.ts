import { z } from 'zod';
import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import type { DeploymentSettings } from '../../settings';
import { DeploymentSettingsSchema, InferenceModeSchema } from '../../settings';

export const VisionEnvShape = {
  INFERENCE: InferenceModeSchema,
  /** The offline vision function, required when INFERENCE=offline. */
  VISION_FUNCTION_NAME: z.string().min(1).optional(),
  /**
   * Absent: each provider's default (see the `moderationThreshold` setting); also the default policy's threshold
   * (lambdas/policy/defaults.ts), for an owner without a policy of their own.
   */
  MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
  /**
   * The face collection, with face grouping and Rekognition: IndexFaces into it replaces DetectFaces. Set by the
   * people step's contract, which owns the collection (lambdas/people/steps/people-contract.ts).
   */
  FACE_COLLECTION_ID: z.string().min(1).optional(),
};

/** What the vision step is wired with: the offline vision function's name, with `inference=offline`. */
interface VisionWiring extends StepWiring {
  readonly visionFunctionName?: string;
  readonly settings: StepWiring['settings'] & Pick<DeploymentSettings, 'moderationThreshold'>;
}

/** `vision`: Rekognition, or the offline models' function it invokes, or none. */
const VISION_CONTRACT = {
  env: VisionEnvShape,
  check(env, context) {
    if (env.INFERENCE === 'offline' && !env.VISION_FUNCTION_NAME) {
      context.addIssue({
        code: 'custom',
        message: 'VISION_FUNCTION_NAME is required when INFERENCE=offline',
        path: ['VISION_FUNCTION_NAME'],
      });
    }
  },
  environment({ settings, visionFunctionName }: VisionWiring) {
    if (settings.inference === 'offline' && !visionFunctionName) {
      throw new Error('inference=offline needs the vision function to invoke');
    }
    return {
      INFERENCE: settings.inference,
      ...(settings.inference === 'offline' && { VISION_FUNCTION_NAME: visionFunctionName as string }),
      ...(settings.moderationThreshold !== undefined && { MODERATION_THRESHOLD: String(settings.moderationThreshold) }),
    };
  },
  uses: [uses.vision()],
} satisfies StepContract<typeof VisionEnvShape>;

export const VISION_STEP = {
  name: 'vision',
  phase: 'analyse',
  contract: VISION_CONTRACT,
} as const satisfies StepDeclaration;
