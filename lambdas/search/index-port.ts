import type { ImageItem } from '../store/image-item';
import type { TileDetails } from '../store/image-view';
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
}

export interface SearchPage {
  /** Newest first. */
  items: SearchHit[];
  /** Present while more may follow: pass it back as the query's `cursor`. */
  cursor?: string;
}

/**
 * A search index. Writes are told the image's record as stored (after postings.ts `withTerms`), and repeating one
 * (a retried message) changes nothing; an image without an owner is in no one's search.
 */
export interface ISearchIndex {
  /** Index a final image as its record says, replacing what the index held of an earlier version. */
  upsert(item: ImageItem): Promise<void>;
  /**
   * Forget the image as its record says it was indexed. `removed`: an earlier version of the record already
   * forgotten (a delete that finds the image was indexed again meanwhile), so only what came after it need go.
   */
  remove(item: ImageItem, removed?: ImageItem): Promise<void>;
  /** One page of the owner's images matching every filter. */
  search(query: SearchQuery): Promise<SearchPage>;
}
