import { followMerges } from '../people';
import type { RecordStep } from '../step';

/**
 * The image's search postings (`index`) under the terms the record was stored with, and its old ones removed; then
 * the images of people grouping merged into its people re-pointed (people.ts `followMerges`).
 */
export const searchIndexStep: RecordStep = {
  name: 'index',
  async run({ deps }, { item }) {
    await deps.index.upsert(item);
    await followMerges(item, deps);
    return {};
  },
};
