import type { RecordStep } from '../../kit/processor-step';
import type { ISearchIndex } from '../index-port';

/** What the index step writes to: the processor's own search index (it also removes and republishes postings). */
export interface SearchIndexDeps {
  index: Pick<ISearchIndex, 'upsert'>;
}

/**
 * The image's search postings (`index`) under the terms the record was stored with (as written: its version is what
 * the index verifies against), and those of the record it replaced that it no longer has removed.
 */
export const searchIndexStep: RecordStep<SearchIndexDeps> = {
  name: 'index',
  async run({ deps }, { item, stored }) {
    await deps.index.upsert(stored?.item ?? item, stored?.replaced);
    return {};
  },
};
