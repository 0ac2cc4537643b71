import { type RoomManifest, stepElsewhere } from '../kit/room';
import { LIVE_CLEANUP } from './cleanup-contract';
import { LIVE_STILL_STEP, LIVE_VIDEO_STEP } from './steps/live-contract';
import { LIVE_TABLE } from './table-design';

/**
 * Live Photos (docs/formats.md#motion-photos-and-live-photos): an iPhone's still and its MOV, uploaded as two files,
 * made one item: the still's record names the MOV (`analysis.metadata.motion`), the MOV has no record of its own.
 */
export const LIVE_ROOM = {
  tables: [LIVE_TABLE],
  steps: [
    {
      declaration: LIVE_VIDEO_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/live-video') as typeof import('./steps/live-video')).liveVideoStep,
    },
    {
      declaration: LIVE_STILL_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/live-still') as typeof import('./steps/live-still')).liveStillStep,
    },
  ],
  cleanups: [
    { contract: LIVE_CLEANUP, runtime: () => (require('./cleanup') as typeof import('./cleanup')).LIVE_CLEANUP_MODULE },
  ],
} satisfies RoomManifest;
