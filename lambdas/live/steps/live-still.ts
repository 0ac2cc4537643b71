import type { EnrichmentStep } from '../../kit/processor-step';
import { errorDetails } from '../../kit/step-helpers';
import { stillArrives } from '../live-photos';
import { type LiveStepDeps, liveVideoStep } from './live-video';

/**
 * The `live-still` step, once the still's event is out: a HEIC or JPEG still is paired with its MOV if that came
 * first (live-photos.ts stillArrives). A failure is noted, not thrown, as the stack step's: the still is stored and
 * announced, and the MOV, kept, pairs with it when the still is processed again (or a later MOV of its name arrives).
 */
export const liveStillStep: EnrichmentStep<LiveStepDeps> = {
  name: 'live-still',
  when: 'accepted',
  open: liveVideoStep.open,
  async run({ deps }, { stored }) {
    const { live } = deps;
    if (!live || !stored || stored.item.status !== 'PROCESSED') return {};
    try {
      if ((await stillArrives(stored.item, { live, now: deps.now })) === 'paired')
        deps.onCount?.('LivePhotosPaired', 1);
    } catch (error) {
      deps.onNote?.('the still could not be paired with its Live Photo video', errorDetails(error));
    }
    return {};
  },
};
