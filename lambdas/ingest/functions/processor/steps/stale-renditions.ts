import { deleteStaleRenditions } from '../stale-renditions';
import type { RecordStep } from '../step';

/**
 * When the record replaced one made from other bytes or an older analysis, delete that one's renditions
 * (`stale-renditions`, see stale-renditions.ts): last, as its event is out, and best effort.
 */
export const staleRenditionsStep: RecordStep = {
  name: 'stale-renditions',
  async run({ deps, existing }, { item, storedAt }) {
    // Only what the store step stored has replaced anything.
    if (storedAt !== undefined) await deleteStaleRenditions(existing, item, storedAt, deps);
    return {};
  },
};
