import type { VectorHit } from './vector-index';

/*
 * A search box answer when the deployment searches by meaning too: the images its words find and those nearest its
 * meaning, fused by reciprocal rank (each list gives an image 1 / (RRF_K + rank), summed), so neither list's scores
 * need to be comparable with the other's. Vector hits farther than the relevance cut-off are dropped before the fusion:
 * a query that means nothing in the library finds nothing by meaning, rather than its least unrelated images.
 */

/** The constant of reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): ranks past it matter little. */
export const RRF_K = 60;

/** Why an image is in the answer. */
export type MatchReason = 'words' | 'meaning';

export interface FusedHit {
  imageId: string;
  score: number;
  /** The lists it came from, words first. */
  matched: MatchReason[];
  /** Its distance to the query's meaning, when the vector list had it. */
  distance?: number;
}

/**
 * Fuse the word hits (in their order: newest first) and the vector hits (nearest first) into one ranking, best
 * first, at most `limit`: vector hits past `maxDistance` are left out; ties go to the image the words found, then to
 * the nearer, then to the newer id. `vectorLists` is one list per embedding space (the current model's, then while a
 * library moves to it the previous model's): an image's meaning counts once, from the first list that has it.
 */
export function fuse(
  words: readonly string[],
  vectorLists: readonly (readonly VectorHit[])[],
  options: { maxDistance: number; limit: number },
): FusedHit[] {
  const hits = new Map<string, FusedHit>();
  const add = (imageId: string, rank: number, reason: MatchReason, distance?: number) => {
    const hit = hits.get(imageId) ?? { imageId, score: 0, matched: [] };
    if (hit.matched.includes(reason)) return;
    hit.score += 1 / (RRF_K + rank);
    hit.matched.push(reason);
    if (distance !== undefined) hit.distance = distance;
    hits.set(imageId, hit);
  };
  for (const [i, imageId] of words.entries()) add(imageId, i + 1, 'words');
  for (const vectors of vectorLists) {
    const near = vectors.filter((hit) => hit.distance <= options.maxDistance);
    for (const [i, hit] of near.entries()) add(hit.imageId, i + 1, 'meaning', hit.distance);
  }
  return [...hits.values()]
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.matched.includes('words')) - Number(a.matched.includes('words')) ||
        (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY) ||
        (a.imageId < b.imageId ? 1 : -1),
    )
    .slice(0, options.limit);
}
