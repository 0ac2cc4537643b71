import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { isShown } from '../store/image-item';
import { MEANING_CLEANUP, POSTINGS_CLEANUP } from './cleanup-contract';
import type { ISearchIndex } from './index-port';
import { SearchIndex } from './index-table';
import type { MeaningEnv } from './meaning/contract';
import { type Meaning, meaningIf } from './meaning/open';

/**
 * The image's postings: removed before its record goes, and again from the record as the delete answered it (a
 * writer's puts may have landed since, and its own check then found the record still there: index-table.ts). A move
 * to the trash or into the locked folder removes them and the record keeps its terms; a restore or an unlock puts
 * them back from the record.
 */
export function postingsCleanup(index: Pick<ISearchIndex, 'remove' | 'upsert'>): ImageCleanup {
  return {
    name: POSTINGS_CLEANUP.name,
    remove: (image) => index.remove(image),
    removeLate: (last) => index.remove(last),
    // A restore or an unlock that ran meanwhile (its record write and its postings both between this write and these
    // deletes) would otherwise be left out of search, so its postings are put back from the record as it is now
    // (the index checks them against it again).
    trashed: async (trashed, current) => {
      await index.remove(trashed);
      const now = await current();
      if (now !== undefined && isShown(now)) await index.upsert(now);
    },
    restored: (image) => index.upsert(image),
  };
}

/** The image's vector, whatever the record says (a processing run may be putting one as the purge reads). */
export function meaningCleanup(vectors: Pick<Meaning, 'remove'>): ImageCleanup {
  return {
    name: MEANING_CLEANUP.name,
    remove: (image) => vectors.remove(image.imageId),
    // A vector the record gained after the first read (its processing finished meanwhile).
    removeLate: async (last, first) => {
      if (last.embedding && !first.embedding) await vectors.remove(last.imageId);
    },
  };
}

export const POSTINGS_CLEANUP_MODULE: ImageCleanupModule = {
  name: POSTINGS_CLEANUP.name,
  open: (env: { SEARCH_TABLE_NAME: string }, { dynamo, records }) =>
    postingsCleanup(new SearchIndex(dynamo, env.SEARCH_TABLE_NAME, records ? { records } : {})),
};

export const MEANING_CLEANUP_MODULE: ImageCleanupModule = {
  name: MEANING_CLEANUP.name,
  open: (env: MeaningEnv) => {
    const vectors = meaningIf(env);
    return vectors && meaningCleanup(vectors);
  },
};
