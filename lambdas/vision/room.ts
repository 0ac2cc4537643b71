import { type RoomManifest, stepElsewhere } from '../kit/room';
import { uses } from '../kit/uses';
import { THUMBNAIL_PREFIX } from '../store/keys';
import { VisionEnvSchema, environmentFor as visionEnvironment } from './functions/vision/contract';
import { VISION_STEP } from './steps/vision-contract';

/** The offline vision function the processor invokes (inference offline). */
export const VISION_ROOM = {
  functions: {
    vision: {
      room: 'vision',
      does: 'Offline vision: labels, objects, text, faces and moderation (ONNX Runtime and TF.js models)',
      trigger: 'invoked by the processor, with inference offline (a container image)',
      environmentFor: visionEnvironment,
      envSchema: VisionEnvSchema,
      // The processor sends the thumbnail inline. These are for a request that names a stored one, as processors
      // before the inline image sent: a deploy updates this function before the processor that invokes it.
      uses: [
        uses.objects(THUMBNAIL_PREFIX, 's3:GetObject'),
        // A thumbnail gone before it is read is a SourceImageMissing refusal, which S3 can tell only with listing.
        uses.list(THUMBNAIL_PREFIX),
      ],
    },
  },
  // The labels, text, objects, faces and moderation of each upload, from the deployment's provider.
  steps: [
    {
      declaration: VISION_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/vision') as typeof import('./steps/vision')).visionStep,
    },
  ],
} satisfies RoomManifest;
