import type { ImageItem } from '../store/image-item';
import type { SearchMatch, TileDetails } from '../store/image-view';
import type { SearchFilters } from './filters';

/*
 * The search index port: what the processor, label corrections, the delete route and the list route depend on. An
 * index is told about final images and answers a query with a page of image ids, newest first; how it keeps them is
 * its own (the DynamoDB postings of index-table.ts are the first; a vector index is the next).
 */

export interface SearchQuery {
  owner: string;
  filters: SearchFilters;
  /**
   * With a `person` filter: the person ids it stands for, the person's and those merged into it (the people
   * store's `termsOf`); default the id alone.
   */
  personIds?: readonly string[];
  /**
   * With a `q` filter and face grouping: for each of its words, the ids of the owner's people whose name has a word
   * it begins (and those merged into them); an image with one of them matches the word.
   */
  named?: Readonly<Record<string, readonly string[]>>;
  limit: number;
  /** A cursor this index answered for the same owner and filters; any other is an InvalidCursorError. */
  cursor?: string;
}

/** What a result page shows of an image, when the index keeps it: the list's summary and a gallery tile's details. */
export interface SearchHitSummary extends TileDetails {
  status: string;
  createdAt: string;
  updatedAt: string;
  filename?: string;
  contentType?: string;
  size?: number;
}

/** One image a query found; without a summary, the caller reads the record. */
export interface SearchHit {
  imageId: string;
  summary?: SearchHitSummary;
  /** With words or label/object values asked: for each, what of the image it matched (sure or likely). */
  matchedBy?: SearchMatch[];
}

export interface SearchPage {
  /** Sure matches newest first, then likely matches by confidence band, strongest first, each newest first. */
  items: SearchHit[];
  /** Present while more may follow: pass it back as the query's `cursor`. */
  cursor?: string;
}

/**
 * A search index. Writes are told the image's record as stored (after postings.ts `withTerms`), and repeating one
 * (a retried message) changes nothing; an image without an owner is in no one's search. Nothing it holds outlives
 * the record: a write checks what it wrote against the record as it is after (deleted, trashed, re-owned, or a later
 * version), and a removal is told the record as the remover's own write of it answered it (docs/search.md).
 */
export interface ISearchIndex {
  /**
   * Index a final image as its record says, replacing what the index held of an earlier version. `replaced`: the
   * record this write replaced, as the write answered it (a processing run, whose write is not conditional on the
   * version it read): what it was indexed under that the item is not goes too, all of it when the owner changed.
   */
  upsert(item: ImageItem, replaced?: ImageItem): Promise<void>;
  /**
   * Forget the image as its record says it was indexed. Final only from the record as the remover's own write of it
   * answered it (a record read before that write is a first pass: a writer's late postings may follow it).
   */
  remove(item: ImageItem): Promise<void>;
  /** One page of the owner's images matching every filter. */
  search(query: SearchQuery): Promise<SearchPage>;
}
