import type { StepDeclaration } from '../../kit/processor-step-contract';
import { uses } from '../../kit/uses';
import { RENDITION_PREFIX } from '../../store/keys';

/** `stale-renditions`: the renditions of the version a re-analysis replaced, listed under renditions/ and deleted. */
export const STALE_RENDITIONS_STEP = {
  name: 'stale-renditions',
  phase: 'published',
  contract: { uses: [uses.list(RENDITION_PREFIX), uses.objects(RENDITION_PREFIX, 's3:DeleteObject')] },
} as const satisfies StepDeclaration;
