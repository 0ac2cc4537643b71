import { hammingDistance } from '../core/analysis/phash';
import { probes } from '../core/analysis/phash-bands';
import { WINDOW_NAMES, type WindowHashes, type WindowName } from '../core/analysis/windows';

/**
 * When two photos are near-duplicates, from their window hashes (lambdas/core/analysis/window-hashes.ts): the whole
 * of one within `NEAR_DISTANCE` bits of the other's whole or of one of its windows (bench/duplicates: 95 % of the
 * copies made there found, 2 of 43,056 pairs of different pictures paired, one of them an edit).
 */
export const NEAR_DISTANCE = 8;

/**
 * With search by meaning on, the second signal (clusters.ts `nearPhotos`): a photo the vector index finds within
 * EMBEDDING_NEAR_DISTANCE of this one is near when the rule also puts its hashes within LOOSE_NEAR_DISTANCE. The
 * embedding alone would join different photos of one scene (a burst, a re-take, a step to the side), which must not
 * cluster; the hashes alone miss the copies cropped off a corner. bench/duplicates: of the copies the hashes miss at
 * NEAR_DISTANCE, those within 12 are the recall the embedding can add at most, the different pictures within 12 the
 * pairs it risks if the model calls them near.
 */
export const LOOSE_NEAR_DISTANCE = 12;

/**
 * The cosine distance (0 the same direction, 2 the opposite) under which the embedding calls two photos near. Not
 * measured here (no image-text model ships on the machine that made the bench): 0.1 is a cosine similarity of 0.9,
 * where CLIP-like models put an image and its re-encoded, resized or cropped copies, but also, often, two frames of
 * a burst, which the hash bound is for. A deployer checks it on their own model (docs/api.md#duplicates).
 */
export const EMBEDDING_NEAR_DISTANCE = 0.1;

/** The vector index's nearest photos asked per arriving photo (one QueryVectors), beside itself. */
export const EMBEDDING_TOP_K = 5;

/** One hash a photo posts: under each of its 4 band values, so a probe of those values finds it. */
export interface PostedHash {
  readonly imageId: string;
  readonly window: WindowName;
  readonly hash: string;
}

/** The band values (`<band>=<4 hex>`) a photo posts its hashes under: 4 for each window, 28 in all, fewer if some agree. */
export function postedBands(hashes: WindowHashes): Map<string, PostedHash['window'][]> {
  const bands = new Map<string, WindowName[]>();
  for (const window of WINDOW_NAMES) {
    const hash = hashes[window];
    for (let b = 0; b < 4; b++) {
      const key = `${b}=${hash.slice(b * 4, b * 4 + 4)}`;
      bands.set(key, [...(bands.get(key) ?? []), window]);
    }
  }
  return bands;
}

/**
 * How far this photo's windows are probed (its whole is probed to NEAR_DISTANCE): a stored whole within 6 of one of
 * them. bench/duplicates: the same clusters, precision and recall as probing them to 8 (6 of 11,912 near pairs
 * lost), with 429 band values read a photo instead of 981.
 */
export const WINDOW_PROBE_DISTANCE = 6;

/**
 * Every band value to read to find each stored photo near this one: its whole probed to within NEAR_DISTANCE (it
 * meets any stored hash), its windows to within WINDOW_PROBE_DISTANCE (they meet the stored wholes; `nearest` keeps
 * only the pairs the rule counts).
 */
export function probedBands(
  hashes: WindowHashes,
  wholeDistance = NEAR_DISTANCE,
  windowDistance = WINDOW_PROBE_DISTANCE,
): string[] {
  const keys = new Set<string>();
  for (const window of WINDOW_NAMES) {
    const distance = window === 'whole' ? wholeDistance : windowDistance;
    for (const [b, value] of probes(hashes[window], distance)) keys.add(`${b}=${value}`);
  }
  return [...keys];
}

/** How near a stored photo is, from the hashes it posted that a probe found: the pairs the rule counts, nearest. */
export interface Nearness {
  readonly distance: number;
  /** Which of this photo's windows met which of the other's (`whole`/`whole` for a copy; a window for a crop). */
  readonly mine: WindowName;
  readonly theirs: WindowName;
}

/**
 * The rule: whole to whole, this photo's whole to each of the other's windows, and each of this photo's windows to
 * the other's whole. Window to window is not counted: two different photos share a middle more easily than a whole.
 */
export function nearest(
  hashes: WindowHashes,
  theirs: readonly Pick<PostedHash, 'window' | 'hash'>[],
): Nearness | undefined {
  let best: Nearness | undefined;
  const consider = (distance: number, mine: WindowName, other: WindowName) => {
    if (!best || distance < best.distance) best = { distance, mine, theirs: other };
  };
  for (const posted of theirs) {
    if (posted.window === 'whole') {
      for (const window of WINDOW_NAMES) consider(hammingDistance(hashes[window], posted.hash), window, 'whole');
    } else {
      consider(hammingDistance(hashes.whole, posted.hash), 'whole', posted.window);
    }
  }
  return best;
}

/** Whether two photos, both with every window hashed, are near-duplicates under the rule (a bench, a test). */
export function distanceBetween(a: WindowHashes, b: WindowHashes): number {
  const theirs = WINDOW_NAMES.map((window) => ({ window, hash: b[window] }));
  return (nearest(a, theirs) as Nearness).distance;
}
