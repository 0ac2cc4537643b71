/**
 * The similar-image side of the bench: `GET /images/{id}/similar` through its use case for images with and without
 * near-duplicates at several distances, checked against a brute-force comparison with every hash of the owner, and
 * beside it the Scan a table without the band index would need. Then the offline band arithmetic
 * (bands.ts) on the same hashes: how crowded the band values are, and what other layouts would read.
 */

import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { bandRadii, PHASH_BANDS } from '../../lambdas/core/analysis/phash-bands';
import { DEFAULT_LIMIT } from '../../lambdas/search/functions/similar-images/route';
import { MAX_PER_BUCKET, similarImages } from '../../lambdas/search/functions/similar-images/similar-images';
import type { SearchIndex } from '../../lambdas/search/index-table';
import type { ImageStore } from '../../lambdas/store/image-store';
import type { Caller } from '../../lambdas/store/owner';
import { rngFor } from '../../test/fuzz/prng';
import {
  type BandShare,
  bandShares,
  contiguous,
  distance,
  exactFor,
  type HashSet,
  hashSet,
  interleaved,
  type Layout,
  type ProbeCost,
  probeCost,
  radiiFor,
  recall,
} from './bands';
import type { Library } from './corpus';
import type { Catalogue } from './load';
import type { ReadCount } from './moto';
import type { Measure } from './queries';

export const DISTANCES = [3, 6, 10] as const;

export interface SimilarRow {
  image: string;
  kind: string;
  maxDistance: number;
  returned: number;
  /** Images of the owner within the distance (brute force over every hash). */
  within: number;
  /** Returned over min(within, limit). */
  recall: number;
  ours: Measure;
}

/** The owner's PROCESSED images, with their hashes as a set the band arithmetic runs on. */
export interface OwnerHashes {
  indices: number[];
  set: HashSet;
  /** Position in `indices` of each library index. */
  position: Map<number, number>;
}

export function ownerHashes(library: Library, catalogue: Catalogue, owner: string): OwnerHashes {
  const indices = catalogue.ids
    .map((_, index) => index)
    .filter((index) => library.ownerOf(index) === owner && catalogue.phash[index]);
  return {
    indices,
    set: hashSet(indices.map((index) => catalogue.phash[index] as string)),
    position: new Map(indices.map((index, position) => [index, position])),
  };
}

/** Query images: originals with the most near-duplicates and some others, and originals nobody copied. */
export function chooseSimilar(library: Library, hashes: OwnerHashes): Array<{ index: number; kind: string }> {
  const copies = new Map<number, number>();
  for (const index of hashes.indices) {
    const of = library.plan.of[index] as number;
    if (library.kindOf(index) === 'near') copies.set(of, (copies.get(of) ?? 0) + 1);
  }
  const originals = hashes.indices.filter((index) => library.kindOf(index) === 'original');
  const copied = originals
    .filter((index) => copies.has(index))
    .sort((a, b) => (copies.get(b) ?? 0) - (copies.get(a) ?? 0) || a - b);
  const alone = originals.filter((index) => !copies.has(index));
  const screen = alone.find((index) => library.plan.picture[index] === 1);
  const spread = (list: number[], count: number) =>
    Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]);
  const picked = [
    ...[copied[0], ...spread(copied.slice(1), 2)].map((index) => ({
      index,
      kind: `with ${copies.get(index as number)} near-duplicate(s)`,
    })),
    ...spread(alone, 2).map((index) => ({ index, kind: 'without' })),
    ...(screen === undefined ? [] : [{ index: screen, kind: 'without (a screenshot)' }]),
  ];
  return picked.filter((pick): pick is { index: number; kind: string } => pick.index !== undefined);
}

export interface SimilarContext {
  store: ImageStore;
  index: SearchIndex;
  caller: Caller;
  catalogue: Catalogue;
  count: () => ReadCount;
}

export async function measureSimilar(
  context: SimilarContext,
  hashes: OwnerHashes,
  index: number,
  kind: string,
): Promise<SimilarRow[]> {
  const rows: SimilarRow[] = [];
  const position = hashes.position.get(index) as number;
  for (const maxDistance of DISTANCES) {
    const count = context.count();
    const started = performance.now();
    const page = await similarImages(
      context.catalogue.ids[index] as string,
      { maxDistance, limit: DEFAULT_LIMIT },
      context.caller,
      {
        store: context.store,
        index: context.index,
      },
    );
    const ms = performance.now() - started;
    let within = 0;
    for (let other = 0; other < hashes.indices.length; other++) {
      if (other !== position && distance(hashes.set, position, other) <= maxDistance) within++;
    }
    rows.push({
      image: context.catalogue.ids[index] as string,
      kind,
      maxDistance,
      returned: page.items.length,
      within,
      recall: within === 0 ? 1 : page.items.length / Math.min(within, DEFAULT_LIMIT),
      ours: { requests: count.requests, items: count.items, ms },
    });
  }
  return rows;
}

/**
 * What the offline arithmetic says the measured image's band Queries read at each distance, with today's layout
 * (the measured items are these plus the image itself and its SHA-256 postings), keyed `imageId@d`.
 */
export function bandEstimates(hashes: OwnerHashes, ids: readonly string[], image: number, postingBytes: number) {
  const position = hashes.position.get(image) as number;
  return Object.fromEntries(
    DISTANCES.map((d) => {
      const radii = bandRadii(d);
      const cost = probeCost(hashes.set, contiguous(PHASH_BANDS), radii, [position], MAX_PER_BUCKET, postingBytes);
      return [`${ids[image]}@${d}`, cost.items.mean];
    }),
  );
}

/** Without the band index: every record of the owner read, the distance computed by the caller. */
export async function similarScan(
  document: DynamoDBDocumentClient,
  table: string,
  owner: string,
  count: () => ReadCount,
): Promise<Measure> {
  const tally = count();
  const started = performance.now();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await document.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#owner = :owner AND #status = :processed',
        ProjectionExpression: 'imageId, analysis.hashes.phash',
        ExpressionAttributeNames: { '#owner': 'owner', '#status': 'status' },
        ExpressionAttributeValues: { ':owner': owner, ':processed': 'PROCESSED' },
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return { requests: tally.requests, items: tally.items, ms: performance.now() - started };
}

/** Images hashed offline per layout (besides the measured ones): enough for a stable mean and p99. */
const BAND_SAMPLE = 1000;

/** A seeded sample of the owner's images for the offline band arithmetic. */
export function bandSample(hashes: OwnerHashes, seed: number): number[] {
  const rng = rngFor(seed, 7);
  return Array.from(
    { length: Math.min(BAND_SAMPLE, hashes.indices.length) },
    () => hashes.indices[rng.int(hashes.indices.length)] as number,
  );
}

export interface BandFigures {
  images: number;
  shares: Array<{ layout: string; bands: BandShare[] }>;
  /** Near-duplicate pairs (an image and the original it was made from) by distance. */
  nearDistances: Record<number, number>;
  layouts: Array<ProbeCost & { maxDistance: number; exact: boolean; recall: number }>;
}

/**
 * Layouts worth comparing at a distance: today's (similar-images.ts `bandRadii`), the same bands interleaved, and at
 * d=10 other numbers of bands with the smallest exact radii, and two that probe less than exactness needs.
 */
function candidates(maxDistance: number): Array<{ layout: Layout; radii: number[] }> {
  const exact = (layout: Layout) => ({ layout, radii: radiiFor(layout.bands.length, maxDistance) });
  const list = [{ layout: contiguous(PHASH_BANDS), radii: bandRadii(maxDistance) }, exact(interleaved(4))];
  if (maxDistance >= 10) {
    for (const m of [3, 5]) list.push(exact(contiguous(m)));
    for (const m of [3, 5, 6, 8, 11]) list.push(exact(interleaved(m)));
    // Not exact: fewer probes, some pairs within the distance missed (recall says how many).
    list.push({ layout: interleaved(4), radii: [1, 1, 1, 1] }, { layout: interleaved(6), radii: [0, 0, 0, 0, 0, 0] });
  }
  return list;
}

export function bandFigures(
  library: Library,
  hashes: OwnerHashes,
  queries: readonly number[],
  postingBytes: number,
): BandFigures {
  const pairs: Array<[number, number]> = [];
  const nearDistances: Record<number, number> = {};
  for (const index of hashes.indices) {
    if (library.kindOf(index) !== 'near') continue;
    const [a, b] = [hashes.position.get(index), hashes.position.get(library.plan.of[index] as number)];
    if (a === undefined || b === undefined) continue;
    const d = distance(hashes.set, a, b);
    nearDistances[d] = (nearDistances[d] ?? 0) + 1;
    pairs.push([a, b]);
  }
  const positions = queries.map((index) => hashes.position.get(index) as number);
  const layouts = DISTANCES.flatMap((maxDistance) =>
    candidates(maxDistance).map(({ layout, radii }) => ({
      ...probeCost(hashes.set, layout, radii, positions, MAX_PER_BUCKET, postingBytes),
      maxDistance,
      exact: exactFor(radii, maxDistance),
      recall: recall(
        hashes.set,
        layout,
        radii,
        pairs.filter(([a, b]) => distance(hashes.set, a, b) <= maxDistance),
      ),
    })),
  );
  return {
    images: hashes.indices.length,
    shares: [contiguous(4), interleaved(4)].map((layout) => ({
      layout: layout.name,
      bands: bandShares(hashes.set, layout),
    })),
    nearDistances,
    layouts,
  };
}
