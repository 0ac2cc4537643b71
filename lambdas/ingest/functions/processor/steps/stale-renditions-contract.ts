import { uses } from '../../../../manifest/uses';
import { RENDITION_PREFIX } from '../../../../store/keys';
import type { StepContract } from '../step-contract';

/** `stale-renditions`: the renditions of the version a re-analysis replaced, listed under renditions/ and deleted. */
export const STALE_RENDITIONS_STEP = {
  steps: ['stale-renditions'],
  uses: [uses.list(RENDITION_PREFIX), uses.objects(RENDITION_PREFIX, 's3:DeleteObject')],
} satisfies StepContract;
