import { monotonicFactory } from 'ulid';
import type { WindowHashes } from '../core/analysis/windows';
import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import type { IEventPublisher } from '../events/events';
import { eventOf } from '../events/events';
import type { Cluster, DuplicatePhoto, DuplicateStore } from './duplicate-store';
import { DUPLICATES_EVENTS } from './events';
import {
  distanceBetween,
  EMBEDDING_NEAR_DISTANCE,
  LOOSE_NEAR_DISTANCE,
  NEAR_DISTANCE,
  nearest,
  probedBands,
} from './near';
import { MAX_CLUSTER_MEMBERS } from './table-design';

/** Candidates weighed at most per arriving photo, nearest first: a flood of copies joins through the nearest. */
export const MAX_CANDIDATES = 20;
/** Rounds of reading again when another arrival clustered a candidate meanwhile. */
const ATTEMPTS = 3;

export interface ClusterDeps {
  store: Pick<
    DuplicateStore,
    'putPhoto' | 'post' | 'unpost' | 'probe' | 'getPhotos' | 'getPhoto' | 'createCluster' | 'joinCluster' | 'getCluster'
  >;
  events: IEventPublisher;
  now: () => string;
  newId?: () => string;
}

/** What clustering an arriving photo did. */
export interface Clustered {
  /** The cluster it is in, if any. */
  clusterId?: string;
  /** `created`: a new cluster; `joined`: an open one grew; `already`: it was in one (a replayed run). */
  change?: 'created' | 'joined' | 'already';
  /** The nearest photo and how near (bits), when one was near. */
  nearest?: { imageId: string; distance: number };
  /** Photos found near by the second signal only (the embedding, within the looser hash bound). */
  byEmbedding?: number;
  /** Band values that were full (MAX_BAND_ENTRIES), where the photo is not posted. */
  fullBands: number;
  /** Near, but in full clusters only, or clustered by every retry's rival: left out, with this said. */
  leftOut?: string;
}

const nextClusterId = monotonicFactory();

/**
 * A photo of `owner`'s arrives (or comes back from the trash): its hashes posted, then the photos near it found by
 * their band values, and it is clustered with them:
 * - it joins the open cluster of the nearest one in a cluster that has room;
 * - else it makes a cluster with every near one in none;
 * both conditional on no one else clustering them meanwhile (then it reads again, up to ATTEMPTS times).
 * Posting before probing means two copies arriving together are never both blind to each other: the later prober
 * finds the earlier's postings. What the owner dismissed (`notWith`) is never clustered again.
 */
export async function clusterPhoto(
  arriving: Pick<DuplicatePhoto, 'imageId' | 'owner' | 'hashes' | 'facts'> & {
    /**
     * With search by meaning on, the owner's photos nearest this one's vector (one QueryVectors). Asked after the
     * photo is kept, as the band values are read after posting: of two lookalikes arriving together, the later to
     * ask finds the other's vector (put before this step) and its hashes.
     */
    lookalikes?: () => Promise<readonly Lookalike[]>;
  },
  deps: ClusterDeps,
): Promise<Clustered> {
  const { lookalikes, ...photo } = arriving;
  const { imageId, owner, hashes } = photo;
  const previous = await deps.store.putPhoto(photo);
  if (previous && !sameHashes(previous, hashes)) await deps.store.unpost(owner, imageId, previous);
  const fullBands = await deps.store.post(owner, imageId, hashes);

  const near = await nearPhotos(owner, imageId, hashes, deps, lookalikes);
  if (near.length === 0) return { fullBands };
  const closest = near[0] as { imageId: string; distance: number };
  const byEmbedding = near.filter((one) => one.by === 'embedding').length;
  const found = {
    fullBands,
    nearest: { imageId: closest.imageId, distance: closest.distance },
    ...(byEmbedding > 0 && { byEmbedding }),
  };

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [self, ...others] = await photosInOrder([imageId, ...near.map((n) => n.imageId)], deps);
    if (!self || self.away) return found;
    if (self.clusterId) return { ...found, clusterId: self.clusterId, change: 'already' };
    const dismissed = new Set(self.notWith ?? []);
    const candidates = others.filter(
      (other): other is DuplicatePhoto =>
        other !== undefined && !other.away && !dismissed.has(other.imageId) && !other.notWith?.includes(imageId),
    );
    if (candidates.length === 0) return found;

    const at = deps.now();
    const clustered = candidates.filter((candidate) => candidate.clusterId);
    for (const candidate of clustered) {
      const clusterId = candidate.clusterId as string;
      const cluster = await deps.store.getCluster(clusterId);
      if (cluster?.state !== 'open' || cluster.members.length >= MAX_CLUSTER_MEMBERS) continue;
      if (cluster.members.some((member) => dismissed.has(member))) continue;
      if (await deps.store.joinCluster(clusterId, imageId, at)) {
        await publishFound(deps, { ...cluster, members: [...cluster.members, imageId].sort() }, [imageId], at);
        return { ...found, clusterId, change: 'joined' };
      }
    }
    const free = candidates.filter((candidate) => !candidate.clusterId);
    if (free.length === 0) {
      if (clustered.length > 0 && attempt === ATTEMPTS - 1) {
        return { ...found, leftOut: 'every near photo is in a full or closed cluster' };
      }
      if (clustered.length > 0) continue;
      return found;
    }
    // Nearest first, leaving out any the owner said is not a duplicate of one already chosen (`notWith` is kept on
    // both photos of a dismissed pair).
    const chosen: DuplicatePhoto[] = [];
    for (const candidate of free) {
      if (chosen.length >= MAX_CLUSTER_MEMBERS - 1) break;
      if (!chosen.some((member) => candidate.notWith?.includes(member.imageId))) chosen.push(candidate);
    }
    const cluster: Cluster = {
      clusterId: (deps.newId ?? nextClusterId)(),
      owner,
      members: [imageId, ...chosen.map((candidate) => candidate.imageId)].sort(),
      state: 'open',
      createdAt: at,
      updatedAt: at,
    };
    if (await deps.store.createCluster(cluster)) {
      await publishFound(deps, cluster, cluster.members, at);
      return { ...found, clusterId: cluster.clusterId, change: 'created' };
    }
  }
  return { ...found, leftOut: `other arrivals clustered its near photos ${ATTEMPTS} times over` };
}

/** A photo of the owner's the vector index found near this one's vector: its cosine distance (0 the same direction). */
export interface Lookalike {
  imageId: string;
  distance: number;
}

/** A photo near this one: how near its hashes are (bits), and which signal found it. */
export interface NearPhoto {
  imageId: string;
  distance: number;
  by: 'hashes' | 'embedding';
}

/**
 * The owner's photos near this one (not itself), nearest first, at most MAX_CANDIDATES: those the band values find
 * within NEAR_DISTANCE, then, with search by meaning on, the lookalikes within EMBEDDING_NEAR_DISTANCE whose stored
 * hashes are within LOOSE_NEAR_DISTANCE (near.ts says why both).
 */
export async function nearPhotos(
  owner: string,
  imageId: string,
  hashes: WindowHashes,
  deps: Pick<ClusterDeps, 'store'>,
  lookalikes?: () => Promise<readonly Lookalike[]>,
): Promise<NearPhoto[]> {
  const [posted, alike] = await Promise.all([deps.store.probe(owner, probedBands(hashes)), lookalikes?.() ?? []]);
  const byImage = new Map<string, { window: (typeof posted)[number]['window']; hash: string }[]>();
  for (const entry of posted) {
    if (entry.imageId === imageId) continue;
    byImage.set(entry.imageId, [...(byImage.get(entry.imageId) ?? []), entry]);
  }
  const near: NearPhoto[] = [];
  for (const [other, theirs] of byImage) {
    const found = nearest(hashes, theirs);
    if (found && found.distance <= NEAR_DISTANCE) near.push({ imageId: other, distance: found.distance, by: 'hashes' });
  }
  const byHashes = new Set(near.map((one) => one.imageId));
  const asked = alike.filter(
    (one) => one.imageId !== imageId && one.distance <= EMBEDDING_NEAR_DISTANCE && !byHashes.has(one.imageId),
  );
  if (asked.length > 0) {
    for (const other of await deps.store.getPhotos(asked.map((one) => one.imageId))) {
      // A photo with no window hashes stored (flat, or not through this step yet) is not near by this signal.
      if (other.owner !== owner || !other.hashes) continue;
      const distance = distanceBetween(hashes, other.hashes);
      if (distance <= LOOSE_NEAR_DISTANCE) near.push({ imageId: other.imageId, distance, by: 'embedding' });
    }
  }
  near.sort((a, b) => a.distance - b.distance || (a.imageId < b.imageId ? -1 : 1));
  return near.slice(0, MAX_CANDIDATES);
}

async function photosInOrder(
  imageIds: readonly string[],
  deps: Pick<ClusterDeps, 'store'>,
): Promise<(DuplicatePhoto | undefined)[]> {
  const found = new Map((await deps.store.getPhotos(imageIds)).map((photo) => [photo.imageId, photo]));
  return imageIds.map((id) => found.get(id));
}

function sameHashes(a: WindowHashes, b: WindowHashes): boolean {
  return Object.keys(b).every((window) => a[window as keyof WindowHashes] === b[window as keyof WindowHashes]);
}

async function publishFound(
  deps: Pick<ClusterDeps, 'events'>,
  cluster: Pick<Cluster, 'clusterId' | 'owner' | 'members'>,
  added: readonly string[],
  occurredAt: string,
): Promise<void> {
  const declaration = DUPLICATES_EVENTS.duplicatesFound;
  await deps.events.publish(
    eventOf(declaration, {
      version: EVENT_VERSION,
      owner: cluster.owner,
      clusterId: cluster.clusterId,
      imageIds: [...cluster.members],
      added: [...added],
      occurredAt,
      eventId: eventIdOf(declaration.detailType, `${cluster.clusterId}\n${added.join(',')}`, occurredAt),
    }),
  );
}
