import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { bandRadii, neighbours, phashBands } from '../../../core/analysis/phash-bands';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageStore } from '../../../store/image-store';
import { type Caller, mayAccess } from '../../../store/owner';
import type { SearchIndex } from '../../index-table';
import type { Posting } from '../../postings-design';
import { phashTerm } from '../../vocabulary';
import type { SimilarPageSchema, SimilarQuery } from './route';

/** Postings read per band value at most: a value shared by more images than this is a flood of near-copies. */
export const MAX_PER_BUCKET = 100;
/** Queries in flight at once (the SDK's default pool has 50 sockets). */
const CONCURRENCY = 32;

export interface SimilarImage {
  imageId: string;
  /** Bits in which the perceptual hashes differ (0-64). */
  distance: number;
  /** The very same bytes (SHA-256). */
  duplicate: boolean;
}

export interface SimilarPage {
  imageId: string;
  maxDistance: number;
  /** Nearest first (exact copies, then by distance, then newest). */
  items: SimilarImage[];
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<SimilarPage, z.output<typeof SimilarPageSchema>> = true;

export interface SimilarDeps {
  store: Pick<ImageStore, 'get'>;
  index: Pick<SearchIndex, 'postings'>;
}

/**
 * The owner's images that look like this one:
 * 1. read the image (404 as for GET when it is unknown or another owner's, and when it is in the locked folder, to
 *    everyone, an admin too: this route takes no unlock token; 409 until it is PROCESSED);
 * 2. exact copies: the postings under its SHA-256;
 * 3. near ones, by multi-index hashing: any hash within `maxDistance` of this one agrees with it, in at least one
 *    of its 4 bands of 16 bits, to within that band's radius (`bandRadii`), so the postings of every band value that
 *    close are the only candidates; their own hashes give the exact distance;
 * 4. keep those within `maxDistance`, nearest first, at most `limit`.
 * The reads depend on how many images share band values with this one, not on how many the owner has.
 * The results come from the postings, never from records: a locked photo is in none, as a trashed one is not (the
 * lock takes its postings away through the trash's cleanup hooks, and the index writes none for a locked record).
 * Checking each result's record (isShown) would cost one BatchGetItem of up to `limit` records a page, half a read
 * unit each, for what the index already leaves out.
 */
export async function similarImages(
  imageId: string,
  query: SimilarQuery,
  caller: Caller,
  deps: SimilarDeps,
): Promise<SimilarPage> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner) || item.locked === true) {
    throw new NotFoundError(`image ${imageId} not found`);
  }
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  if (item.status !== 'PROCESSED' || !analysis) {
    throw new ConflictError(`image ${imageId} is ${item.status}: only a PROCESSED image has a perceptual hash`);
  }
  const page: SimilarPage = { imageId, maxDistance: query.maxDistance, items: [] };
  if (item.owner === undefined) return page;
  const owner = item.owner;

  const { phash, sha256 } = analysis.hashes;
  const radii = bandRadii(query.maxDistance);
  const terms = [
    `sha256=${sha256}`,
    ...phashBands(phash).flatMap((band, b) => neighbours(band, radii[b] ?? 0).map((value) => phashTerm(b, value))),
  ];
  const postings = await inBatches(terms, CONCURRENCY, (term) => deps.index.postings(owner, term, MAX_PER_BUCKET));

  const found = new Map<string, SimilarImage>();
  for (const posting of postings.flat()) {
    if (posting.imageId === imageId || found.has(posting.imageId) || !posting.phash) continue;
    const distance = hamming(phash, posting.phash);
    if (distance <= query.maxDistance) {
      found.set(posting.imageId, { imageId: posting.imageId, distance, duplicate: posting.sha256 === sha256 });
    }
  }
  page.items = [...found.values()].sort(nearestFirst).slice(0, query.limit);
  return page;
}

function nearestFirst(a: SimilarImage, b: SimilarImage): number {
  if (a.duplicate !== b.duplicate) return a.duplicate ? -1 : 1;
  if (a.distance !== b.distance) return a.distance - b.distance;
  return a.imageId < b.imageId ? 1 : -1;
}

/** Bits that differ between two 64-bit hashes in hex. */
export function hamming(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x > 0n) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}

async function inBatches<T, R>(inputs: readonly T[], size: number, run: (input: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < inputs.length; i += size) {
    results.push(...(await Promise.all(inputs.slice(i, i + size).map(run))));
  }
  return results;
}

export type { Posting };
