import type { RecordStep } from '../step';

/** The image's search postings (`index`) under the terms the record was stored with, and its old ones removed. */
export const searchIndexStep: RecordStep = {
  name: 'index',
  async run({ deps }, { item }) {
    await deps.index.upsert(item);
    return {};
  },
};
