/*
 * Clusters formed as photos arrive, as the duplicates room forms them: each arriving photo reads the band values its
 * hashes probe (lambdas/duplicates/near.ts `probedBands`), keeps the photos whose posted hashes are within
 * NEAR_DISTANCE by the rule (`nearest`), joins a cluster or makes one, and posts its own hashes (`postedBands`).
 */
import type { WindowHashes } from '../../lambdas/core/analysis/windows';
import {
  distanceBetween,
  EMBEDDING_TOP_K,
  NEAR_DISTANCE,
  nearest,
  type PostedHash,
  postedBands,
  probedBands,
} from '../../lambdas/duplicates/near';

export interface Arrival {
  /** Ordered as the photos arrive (as a ULID is). */
  id: string;
  hashes: WindowHashes;
}

/**
 * How a cluster forms. `join`: an arriving photo joins the cluster of the nearest clustered photo within the
 * distance, or, with none, makes a new cluster with the unclustered photos within it. `merge`: the same, but a photo
 * near two clusters merges them into the older, and takes the unclustered photos near it along.
 */
export type Forming = 'join' | 'merge';

/** Which band values an arriving photo reads: every hash to NEAR_DISTANCE, or its windows to a smaller distance. */
export type Probing = { wholeTo: number; windowsTo: number };
export const FULL_PROBE: Probing = { wholeTo: NEAR_DISTANCE, windowsTo: NEAR_DISTANCE };

/**
 * The second signal as production adds it with search by meaning on (lambdas/duplicates/clusters.ts): an earlier
 * photo the embedding calls near (`says`, standing in for the vector index and its cosine threshold, which no model
 * here can measure), at most EMBEDDING_TOP_K of them, is near when its hashes are within `bound` by the rule.
 */
export interface SecondSignal {
  bound: number;
  says: (arriving: string, earlier: string) => boolean;
}

export interface ClusterRun {
  /** Each cluster's members (ids). */
  clusters: string[][];
  /** Per arriving photo: band values read, postings they held, photos found near (within the distance). */
  reads: { keys: number; occupied: number; postings: number; near: number }[];
  /** Arrivals that joined a cluster while photos near them were in another cluster or in none. */
  leftApart: { otherCluster: number; unclustered: number };
  /** Band values written per photo (28 less those two of its hashes share). */
  writes: number[];
  /** The most postings one band value held at the end. */
  largestBand: number;
}

function bandsRead(hashes: WindowHashes, probing: Probing): string[] {
  return probedBands(hashes, probing.wholeTo, probing.windowsTo);
}

export function formClusters(
  arrivals: readonly Arrival[],
  forming: Forming,
  probing = FULL_PROBE,
  second?: SecondSignal,
): ClusterRun {
  const earlier: Arrival[] = [];
  const index = new Map<string, PostedHash[]>();
  const clusterOf = new Map<string, number>();
  const clusters: string[][] = [];
  const reads: ClusterRun['reads'] = [];
  const writes: number[] = [];
  const leftApart = { otherCluster: 0, unclustered: 0 };

  for (const photo of arrivals) {
    const keys = bandsRead(photo.hashes, probing);
    const found = new Map<string, PostedHash[]>();
    let occupied = 0;
    let postings = 0;
    for (const key of keys) {
      const posted = index.get(key);
      if (!posted) continue;
      occupied++;
      postings += posted.length;
      for (const hash of posted) found.set(hash.imageId, [...(found.get(hash.imageId) ?? []), hash]);
    }
    const near = [...found]
      .map(([imageId, theirs]) => ({ imageId, distance: nearest(photo.hashes, theirs)?.distance ?? 64 }))
      .filter(({ distance }) => distance <= NEAR_DISTANCE);
    if (second) {
      const byHash = new Set(near.map(({ imageId }) => imageId));
      // The vector index's top K, nearest first: with no cosine here, nearest by the hashes (those near by them too).
      const said = earlier
        .filter((other) => second.says(photo.id, other.id))
        .map((other) => ({ imageId: other.id, distance: distanceBetween(photo.hashes, other.hashes) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, EMBEDDING_TOP_K);
      for (const hit of said) {
        if (!byHash.has(hit.imageId) && hit.distance <= second.bound) near.push(hit);
      }
    }
    near.sort((a, b) => a.distance - b.distance || (a.imageId < b.imageId ? -1 : 1));
    reads.push({ keys: keys.length, occupied, postings, near: near.length });

    const clustered = near.filter(({ imageId }) => clusterOf.has(imageId));
    const unclustered = near.filter(({ imageId }) => !clusterOf.has(imageId)).map(({ imageId }) => imageId);
    const into = (cluster: number, ids: string[]) => {
      for (const id of ids) clusterOf.set(id, cluster);
      clusters[cluster]?.push(...ids);
    };
    if (clustered.length > 0) {
      const joined = clusterOf.get((clustered[0] as { imageId: string }).imageId) as number;
      const others = [...new Set(clustered.map(({ imageId }) => clusterOf.get(imageId) as number))].filter(
        (cluster) => cluster !== joined,
      );
      if (forming === 'join') {
        into(joined, [photo.id]);
        leftApart.otherCluster += others.length > 0 ? 1 : 0;
        leftApart.unclustered += unclustered.length > 0 ? 1 : 0;
      } else {
        const oldest = Math.min(joined, ...others);
        into(oldest, [photo.id, ...unclustered]);
        for (const other of [joined, ...others].filter((cluster) => cluster !== oldest)) {
          into(oldest, clusters[other] ?? []);
          clusters[other] = [];
        }
      }
    } else if (unclustered.length > 0) {
      clusters.push([]);
      into(clusters.length - 1, [...unclustered, photo.id]);
    }

    earlier.push(photo);
    const posted = postedBands(photo.hashes);
    writes.push(posted.size);
    for (const [key, windows] of posted) {
      const list = index.get(key) ?? [];
      for (const window of windows) list.push({ imageId: photo.id, window, hash: photo.hashes[window] });
      index.set(key, list);
    }
  }
  const largestBand = Math.max(...[...index.values()].map((list) => new Set(list.map((p) => p.imageId)).size));
  return { clusters: clusters.filter((members) => members.length > 0), reads, leftApart, writes, largestBand };
}
