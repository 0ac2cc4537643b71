import type { RecordStep } from '../../kit/processor-step';
import { deleteStaleRenditions } from './delete-stale';
import type { RenditionsDeps } from './renditions';

/**
 * When the record replaced one made from other bytes or an older analysis, delete that one's renditions
 * (`stale-renditions`, see delete-stale.ts): last, as its event is out, and best effort.
 */
export const staleRenditionsStep: RecordStep<RenditionsDeps> = {
  name: 'stale-renditions',
  async run({ deps, existing }, { item, storedAt }) {
    // Only what the store step stored has replaced anything.
    if (storedAt !== undefined) await deleteStaleRenditions(existing, item, storedAt, deps);
    return {};
  },
};
