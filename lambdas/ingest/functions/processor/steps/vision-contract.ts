import { z } from 'zod';
import { uses } from '../../../../manifest/uses';
import { DeploymentSettingsSchema, InferenceModeSchema } from '../../../../settings';
import type { StepContract } from '../step-contract';

const VisionEnvShape = {
  INFERENCE: InferenceModeSchema,
  /** The offline vision function, required when INFERENCE=offline. */
  VISION_FUNCTION_NAME: z.string().min(1).optional(),
  /**
   * Absent: each provider's default (see the `moderationThreshold` setting); also the default policy's threshold
   * (lambdas/policy/defaults.ts), for an owner without a policy of their own.
   */
  MODERATION_THRESHOLD: DeploymentSettingsSchema.shape.moderationThreshold,
};

/** `vision`: Rekognition, or the offline models' function it invokes, or none. */
export const VISION_STEP = {
  steps: ['vision'],
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
  environment({ settings, visionFunctionName }) {
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
