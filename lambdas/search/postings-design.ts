import type { TableDeclaration } from '../settings/resources';
import { shardOf } from '../store/list-shards';
import type { SearchHitSummary } from './index-port';

/*
 * The postings index's table design (the first implementation of the search index port, index-port.ts), shared by
 * the CDK construct, the index and the local runner so the three cannot drift.
 */

/**
 * How many partition key values each search term's postings spread over, per owner (`<owner>#<term>#<n>`). A
 * common term (`all`, `status=PROCESSED`, `format=jpeg`) of one owner uploading at the whole design rate takes
 * 1,000 posting writes a second, of 1 write unit each for most postings (2 for the largest, a page of text): 4
 * values keep each at 250-500 WCU/s against a partition's 1,000. Fewer values also mean a search merges fewer
 * lists, so it reads fewer postings beyond the page it returns. Must divide LIST_SHARDS (see `searchShardOf`).
 */
export const SEARCH_SHARDS = 4;

/**
 * The search index: a table of its own, one posting per term of each final image (see terms.ts). Postings of one
 * owner's term sit under one partition key value, sorted newest first by image id, so a term's images are a Query,
 * never a Scan:
 *
 * | pattern                                        | how                                                        |
 * | ---------------------------------------------- | ---------------------------------------------------------- |
 * | an owner's images with a term, newest first    | Query `<owner>#<term>#<n>` for every shard n, merge        |
 * | an owner's images with these bytes             | Query `<owner>#sha256=<hex>`                               |
 * | an owner's images sharing a perceptual-hash band | Query `<owner>#phash<b>=<hex>` for each probed band value |
 * | an owner's likely matches of a term, by band    | Query `<owner>#likely<b>:<term>`, band 9 down              |
 *
 * A likely match (a vision candidate between its class's retrieval and shown thresholds, terms.ts) is posted under
 * its class's term and its words' prefixes, each prefixed by its score's tenth (`likely5:object=cat`): a search reads
 * the sure postings first, then each band's, strongest first, each newest first (image-search.ts).
 *
 * Term postings are write-sharded like the list indexes (a term such as `format=jpeg` is on most of an owner's
 * images); hash postings are not, since a hash band value is shared only by near-identical images, nor likely ones
 * (`unsharded`).
 */
export const SEARCH_TABLE_DESIGN = { partitionKey: 'term', sortKey: 'imageId' } as const;

/** What each posting carries besides its key, so a query can check an image without reading its record. */
export interface PostingAttributes {
  phash?: string;
  sha256?: string;
  /** The image's terms but its hash bands and bytes, for checking the other filters of a query. */
  facets: string[];
  faces?: number;
  takenAt?: string;
  /** What a result page shows of the image, so a search answers without reading the records. */
  summary?: SearchHitSummary;
  /** The score of each likely match among the facets, by its plain term (`object=cat`: 0.56): why a search found it. */
  scores?: Record<string, number>;
}

export type Posting = PostingAttributes & { term: string; imageId: string };

/**
 * Terms whose postings are not sharded: a hash band or the bytes are shared only by near-identical images; a likely
 * match's band of one class or prefix is a thin slice of an owner's images (one class, one tenth of scores, under
 * its shown threshold), and a search reads every band of every word it asks, so one list a band keeps a page's walk
 * to one Query per word and band (image-search.ts).
 */
export function unsharded(term: string): boolean {
  return term.startsWith('phash') || term.startsWith('sha256=') || term.startsWith('likely');
}

/** Which of its term's SEARCH_SHARDS lists an image's posting is in: its list shard, folded (16 is a multiple of 4). */
export function searchShardOf(imageId: string): number {
  return shardOf(imageId) % SEARCH_SHARDS;
}

/** The partition key value of an owner's posting of `term` for `imageId`. */
export function postingKey(owner: string, term: string, imageId: string): string {
  return unsharded(term) ? `${owner}#${term}` : `${owner}#${term}#${searchShardOf(imageId)}`;
}

/** Places a page holds at most (and each shard's read asks for): an owner with more pages through them. */
export const MAX_PLACES_PAGE = 1000;

/** The search index: one posting per term of each image, and the place counters. */
export const SEARCH_TABLE: TableDeclaration = {
  name: 'search',
  design: SEARCH_TABLE_DESIGN,
  wiring: (searchTableName) => ({ searchTableName }),
  output: { name: 'SearchTableName', description: 'Search index: one posting per term of each image' },
};
