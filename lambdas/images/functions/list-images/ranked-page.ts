import { createHash } from 'node:crypto';
import type { SearchFilters } from '../../../search/filters';
import type { ISearchIndex, SearchQuery } from '../../../search/index-port';
import { fuse } from '../../../search/meaning/fusion';
import type { Meaning } from '../../../search/meaning/open';
import { MAX_TOP_K, type VectorHit } from '../../../search/meaning/vector-index';
import { isShown } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import { type SearchResult, SearchResultSchema } from '../../../store/image-view';
import { decodeCursor, encodeCursor } from '../../../store/page-cursor';

/*
 * A `q=` search when the deployment searches by meaning too: the newest images its words find and those nearest its
 * meaning, fused by reciprocal rank (search/meaning/fusion.ts), best first. Both lists are read once, at most
 * MAX_TOP_K (100) each, so the answer is the best 100 at most, paged by position: a query that needs more is
 * refined, not paged further (docs/search.md).
 */

export interface RankedDeps {
  search: ISearchIndex['search'];
  meaning: Pick<Meaning, 'nearest' | 'maxDistance'>;
  /** Summaries of images found by meaning alone (their records, projected). */
  store: Pick<ImageStore, 'summaries'>;
  sign(keys: Record<string, string>): Promise<Record<string, string>>;
  /** Told why the meaning could not be read (the model or the index failed): the answer is then the words' alone. */
  failed(error: unknown): void;
}

/** Whether a search goes by meaning too: it has words, and nothing the vectors cannot filter on. */
export function searchesByMeaning(filters: SearchFilters): boolean {
  // `text=` is of the postings' OCR words, which vectors do not carry; a vector is of a PROCESSED image.
  return filters.q.length > 0 && filters.text.length === 0 && (filters.status ?? 'PROCESSED') === 'PROCESSED';
}

export async function rankedPage(
  query: Omit<SearchQuery, 'limit' | 'cursor'> & {
    /** With `person`: the ids the vectors' filter takes, every id merged into it (default `personIds`). */
    vectorPersonIds?: readonly string[];
  },
  page: { limit: number; cursor?: string },
  deps: RankedDeps,
): Promise<{ items: SearchResult[]; cursor?: string }> {
  const binding = { ranked: fingerprintOf(query.owner, query.filters) };
  const offset = page.cursor === undefined ? 0 : Number(decodeCursor(page.cursor, binding, isOffset));
  const vectorIds = query.vectorPersonIds ?? query.personIds;
  const [words, near] = await Promise.all([
    deps.search({ ...withoutVectorIds(query), limit: MAX_TOP_K }),
    deps.meaning
      .nearest({
        owner: query.owner,
        text: query.filters.q.join(' '),
        filters: query.filters,
        ...(vectorIds && { personIds: vectorIds }),
      })
      .catch((error: unknown): VectorHit[][] => {
        deps.failed(error);
        return [];
      }),
  ]);
  const fused = fuse(
    words.items.map((hit) => hit.imageId),
    near,
    { maxDistance: deps.meaning.maxDistance, limit: MAX_TOP_K },
  );
  const shown = fused.slice(offset, offset + page.limit);
  const byWords = new Map(words.items.map((hit) => [hit.imageId, hit.summary]));
  const why = new Map(words.items.map((hit) => [hit.imageId, hit.matchedBy]));
  const unread = shown.filter((hit) => !byWords.get(hit.imageId)).map((hit) => hit.imageId);
  const records = unread.length > 0 ? await deps.store.summaries(unread) : new Map();
  const items = await Promise.all(
    shown.flatMap((hit) => {
      const record = records.get(hit.imageId);
      // The vector's owner filter keeps owners apart; the record is checked too, and one that is gone is left out.
      if (!byWords.get(hit.imageId) && record?.owner !== query.owner) return [];
      // A trashed or locked image keeps its vector for a restore or an unlock, and is in no search meanwhile (isShown,
      // of the record read for its summary, `locked` in its projection: no read of its own; a posting's summary, whose
      // image the lock took out of the postings, is asked too).
      if (!isShown(byWords.get(hit.imageId) ?? record ?? {})) return [];
      const { thumbnails, owner: _owner, ...summary } = byWords.get(hit.imageId) ?? record;
      const result = SearchResultSchema.parse({
        ...summary,
        imageId: hit.imageId,
        matched: hit.matched,
        matchedBy: why.get(hit.imageId),
      });
      return [thumbnails ? deps.sign(thumbnails).then((signed) => ({ ...result, thumbnails: signed })) : result];
    }),
  );
  const next = offset + page.limit;
  return next < fused.length ? { items, cursor: encodeCursor(binding, String(next)) } : { items };
}

/** The query the postings are searched with: the vectors' person ids are not theirs. */
function withoutVectorIds<Q extends { vectorPersonIds?: readonly string[] }>(query: Q): Omit<Q, 'vectorPersonIds'> {
  const { vectorPersonIds: _vectors, ...words } = query;
  return words;
}

function isOffset(last: string): boolean {
  return /^[0-9]{1,3}$/.test(last) && Number(last) < MAX_TOP_K;
}

function fingerprintOf(owner: string, filters: SearchFilters): string {
  return createHash('sha256').update(JSON.stringify({ owner, filters })).digest('base64url').slice(0, 16);
}
