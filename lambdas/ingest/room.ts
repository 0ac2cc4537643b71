import { type RoomManifest, stepElsewhere } from '../kit/room';
import { INGEST_QUEUE } from './functions/processor/contract';
import {
  DECODE_STEP,
  PUBLISH_STEP,
  STORE_STEP,
  THUMBNAILS_STEP,
} from './functions/processor/steps/thumbnails-contract';

/**
 * The ingest queue: S3's and the backfills' notices of new images. Its consumer, the processor, is the registry's
 * (lambdas/manifest/steps.ts): its environment and uses are the sum of every room's processor steps, which only the
 * list of rooms knows.
 */
export const INGEST_ROOM = {
  queues: [INGEST_QUEUE],
  // The record's own steps: the decode and its thumbnails, the record, its event.
  steps: [
    {
      declaration: DECODE_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () =>
            (require('./functions/processor/steps/decode') as typeof import('./functions/processor/steps/decode'))
              .decodeStep,
    },
    {
      declaration: THUMBNAILS_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () =>
            (
              require('./functions/processor/steps/thumbnails') as typeof import('./functions/processor/steps/thumbnails')
            ).thumbnailsStep,
    },
    {
      declaration: STORE_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () =>
            (require('./functions/processor/steps/store') as typeof import('./functions/processor/steps/store'))
              .storeStep,
    },
    {
      declaration: PUBLISH_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () =>
            (require('./functions/processor/steps/publish') as typeof import('./functions/processor/steps/publish'))
              .publishStep,
    },
  ],
} satisfies RoomManifest;
