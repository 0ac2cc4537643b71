import { type RoomManifest, stepElsewhere } from '../kit/room';
import { PROVENANCE_STEP } from './steps/provenance-contract';

/**
 * Provenance (docs/provenance.md): the original's Content Credentials read as it is processed. No route of its own:
 * the record carries what it found.
 */
export const PROVENANCE_ROOM = {
  steps: [
    {
      declaration: PROVENANCE_STEP,
      runtime: process.env.IMAGE_INTEL_STEPS_ELSEWHERE
        ? stepElsewhere
        : () => (require('./steps/provenance') as typeof import('./steps/provenance')).provenanceStep,
    },
  ],
} satisfies RoomManifest;
