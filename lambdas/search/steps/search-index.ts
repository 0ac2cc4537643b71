import type { RecordStep } from '../../kit/processor-step';
import { createDocumentClient } from '../../shared/aws-clients';
import { ImageStore } from '../../store/image-store';
import type { ISearchIndex } from '../index-port';
import { SearchIndex } from '../index-table';

/** What the index step writes to: the search index, which checks each write against the image's record. */
export interface SearchIndexDeps {
  index: Pick<ISearchIndex, 'upsert' | 'remove'>;
}

/**
 * The image's search postings (`index`) under the terms the record was stored with (as written: its version is what
 * the index verifies against), and those of the record it replaced that it no longer has removed. A record the
 * processor writes outside a run (a failure, a republished event) is posted too; an image that leaves its owner (a
 * re-own) takes its postings with it, before its record is written under the new one.
 */
export const searchIndexStep: RecordStep<SearchIndexDeps> = {
  name: 'index',
  open: (config: { TABLE_NAME: string; SEARCH_TABLE_NAME: string }, { tracer }) => {
    const dynamo = createDocumentClient(tracer);
    return {
      index: new SearchIndex(dynamo, config.SEARCH_TABLE_NAME, { records: new ImageStore(dynamo, config.TABLE_NAME) }),
    };
  },
  async run({ deps }, { item, stored }) {
    await deps.index.upsert(stored?.item ?? item, stored?.replaced);
    return {};
  },
  recorded: (item, deps) => deps.index.upsert(item),
  leave: (existing, deps) => deps.index.remove(existing),
};
