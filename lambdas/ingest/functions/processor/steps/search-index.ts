import { followMerges } from '../people';
import type { RecordStep } from '../step';

/**
 * The image's search postings (`index`) under the terms the record was stored with (as written: its version is what
 * the index verifies against), and those of the record it replaced that it no longer has removed; then the images of
 * people grouping merged into its people re-pointed (people.ts `followMerges`).
 */
export const searchIndexStep: RecordStep = {
  name: 'index',
  async run({ deps }, { item, stored }) {
    await deps.index.upsert(stored?.item ?? item, stored?.replaced);
    await followMerges(item, deps);
    return {};
  },
};
