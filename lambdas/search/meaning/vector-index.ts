import {
  DeleteVectorsCommand,
  PutVectorsCommand,
  QueryVectorsCommand,
  type S3VectorsClient,
} from '@aws-sdk/client-s3vectors';
import type { ImageItem } from '../../store/image-item';
import type { SearchFilters } from '../filters';
import { postingOf } from '../postings';
import { requiredClauses } from '../query-clauses';
import type { EmbeddingSpace } from './embedding-port';

/*
 * Vectors of images in an Amazon S3 Vectors index, one per image keyed by its id, with filterable metadata that lets
 * a query apply the search's filters inside QueryVectors. Owners share the index and are kept apart by a pinned
 * owner filter on every query (an index per owner would stop at 10,000 owners a bucket; one index holds 2 billion
 * vectors). Filterable metadata is at most 2 KB a vector: it keeps the image's filter terms but its OCR words, the
 * names its credentials give, its caption's words and search-box prefixes (a `text=` filter and the words of `q=`
 * are the postings index's), cut to FILTER_TERMS_BYTES.
 */

/** The filterable metadata's budget for the image's terms, under S3 Vectors' 2 KB with room for the rest. */
export const FILTER_TERMS_BYTES = 1536;

/** What one vector's filterable metadata says of its image. */
export interface VectorMetadata {
  owner: string;
  /** The image's filter terms (`label=cat`, `color=red`...): `$eq` matches any element of a list. */
  terms: string[];
  faces: number;
  /** The EXIF date as seconds since 1970 (the camera's local time read as UTC), for range filters. */
  taken?: number;
  /** The space the vector is in: a query of another space is never compared with it. */
  model: string;
  dimension: number;
}

/** One image a query found, nearest first: its cosine distance (0 the same direction, 2 the opposite). */
export interface VectorHit {
  imageId: string;
  distance: number;
}

const seconds = (takenAt: string) => Math.floor(Date.parse(`${takenAt}Z`) / 1000);

/** The metadata of an image's vector, from its record as indexed (its facets, as postings carry them). */
export function metadataOf(item: ImageItem & { owner: string }, space: EmbeddingSpace): VectorMetadata {
  const posting = postingOf(item);
  const terms: string[] = [];
  let bytes = 0;
  // A credential's names (`credit=`) and a caption's words (`caption=`) are words of `q=`, not a filter: the postings
  // index's, as the OCR words are. The photo's own keywords go last: a photo may carry 40, and the budget cut should
  // fall on them, never on the filters before them (`tag=` reads them beside the owner's tags, which stay).
  const filterable = posting.facets.filter(
    (one) => !one.startsWith('word=') && !one.startsWith('credit=') && !one.startsWith('caption='),
  );
  const keywords = filterable.filter((one) => one.startsWith('keyword='));
  for (const term of [...filterable.filter((one) => !one.startsWith('keyword=')), ...keywords]) {
    bytes += Buffer.byteLength(term) + 4;
    if (bytes > FILTER_TERMS_BYTES) break;
    terms.push(term);
  }
  return {
    owner: item.owner,
    terms,
    faces: posting.faces ?? 0,
    ...(posting.takenAt && { taken: seconds(posting.takenAt) }),
    model: space.model,
    dimension: space.dimension,
  };
}

/**
 * The QueryVectors filter of a search: the owner, pinned; the space; each clause of the filters as one term or a
 * choice of terms; faces and dates as ranges. `text=` and `q=` are not in it: the words are the postings index's.
 */
export function filterOf(
  owner: string,
  space: EmbeddingSpace,
  filters: SearchFilters,
  personIds?: readonly string[],
): Record<string, unknown> {
  // The words are the postings index's; the dates are ranges below, not the years' terms.
  const { text: _text, q: _q, takenAfter: _after, takenBefore: _before, ...rest } = filters;
  const clauses = requiredClauses({ ...rest, text: [], q: [] }, personIds)
    .filter((clause) => !(clause.length === 1 && clause[0] === 'all'))
    .map((clause) =>
      clause.length === 1 ? { terms: { $eq: clause[0] } } : { $or: clause.map((term) => ({ terms: { $eq: term } })) },
    );
  // The face buckets' term stands for at least its bucket; the exact count is a range of its own.
  const faces = filters.minFaces ? [{ faces: { $gte: filters.minFaces } }] : [];
  const taken = [
    ...(filters.takenAfter ? [{ taken: { $gte: seconds(filters.takenAfter) } }] : []),
    ...(filters.takenBefore ? [{ taken: { $lte: seconds(filters.takenBefore) } }] : []),
  ];
  return {
    $and: [
      { owner: { $eq: owner } },
      { model: { $eq: space.model } },
      { dimension: { $eq: space.dimension } },
      ...clauses,
      ...faces,
      ...taken,
    ],
  };
}

/** The most vectors one QueryVectors answers (S3 Vectors' top-K limit). */
export const MAX_TOP_K = 100;

export class S3VectorIndex {
  constructor(
    private readonly client: S3VectorsClient,
    private readonly vectorBucketName: string,
    private readonly indexName: string,
  ) {}

  /** Put (or replace) an image's vector: a retried message writes the same vector again. */
  async put(item: ImageItem & { owner: string }, vector: readonly number[], space: EmbeddingSpace): Promise<void> {
    await this.client.send(
      new PutVectorsCommand({
        vectorBucketName: this.vectorBucketName,
        indexName: this.indexName,
        vectors: [
          {
            key: item.imageId,
            data: { float32: [...vector] },
            metadata: metadataOf(item, space) as unknown as Record<string, never>,
          },
        ],
      }),
    );
  }

  /** Delete an image's vector; one that is not there is fine. */
  async remove(imageId: string): Promise<void> {
    await this.client.send(
      new DeleteVectorsCommand({ vectorBucketName: this.vectorBucketName, indexName: this.indexName, keys: [imageId] }),
    );
  }

  /** The owner's images nearest the vector that pass the filters, nearest first, at most `topK` (1-100). */
  async query(
    owner: string,
    vector: readonly number[],
    space: EmbeddingSpace,
    filters: SearchFilters,
    options: { topK: number; personIds?: readonly string[] },
  ): Promise<VectorHit[]> {
    const { vectors = [] } = await this.client.send(
      new QueryVectorsCommand({
        vectorBucketName: this.vectorBucketName,
        indexName: this.indexName,
        queryVector: { float32: [...vector] },
        topK: Math.max(1, Math.min(MAX_TOP_K, options.topK)),
        filter: filterOf(owner, space, filters, options.personIds) as Record<string, never>,
        returnDistance: true,
      }),
    );
    return vectors.flatMap((hit) =>
      hit.key === undefined ? [] : [{ imageId: hit.key, distance: hit.distance ?? Number.POSITIVE_INFINITY }],
    );
  }
}
