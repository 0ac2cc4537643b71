import { ConflictError, NotFoundError } from '../shared/errors';
import type { Caller } from '../store/owner';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { Cluster, DuplicateStore } from './duplicate-store';
import { type MemberFacts, suggestKeep } from './suggest';

export interface ReviewDeps {
  store: Pick<DuplicateStore, 'listOpen' | 'getClusters' | 'getCluster' | 'getPhotos' | 'close'>;
  now: () => string;
}

export interface DuplicateCluster {
  clusterId: string;
  createdAt: string;
  updatedAt: string;
  members: MemberFacts[];
  suggestion: { keep: string; reason: string };
}

/** `GET /duplicates`: the caller's open clusters, newest first, a page at a time. */
export async function listDuplicates(
  page: { limit: number; cursor?: string },
  caller: Caller,
  deps: ReviewDeps,
): Promise<{ items: DuplicateCluster[]; cursor?: string }> {
  const binding = { list: 'duplicates', owner: caller.owner };
  const before = page.cursor === undefined ? undefined : decodeCursor(page.cursor, binding);
  const { clusterIds, more } = await deps.store.listOpen(caller.owner, page.limit, before);
  const clusters = new Map((await deps.store.getClusters(clusterIds)).map((cluster) => [cluster.clusterId, cluster]));
  const ordered = clusterIds.flatMap((id) => {
    const cluster = clusters.get(id);
    return cluster?.state === 'open' && cluster.members.length > 1 ? [cluster] : [];
  });
  const items = await withMembers(ordered, deps);
  const last = clusterIds.at(-1);
  return { items, ...(more && last && { cursor: encodeCursor(binding, last) }) };
}

/** One open cluster of the caller's, with its members and suggestion: 404 when it is unknown, another's or closed. */
export async function openCluster(clusterId: string, caller: Caller, deps: ReviewDeps): Promise<DuplicateCluster> {
  const cluster = await deps.store.getCluster(clusterId);
  if (!cluster || cluster.owner !== caller.owner || cluster.state !== 'open') {
    throw new NotFoundError(`duplicates ${clusterId} not found (or already resolved or dismissed)`);
  }
  const [answer] = await withMembers([cluster], deps);
  if (!answer) throw new NotFoundError(`duplicates ${clusterId} not found`);
  return answer;
}

/**
 * `POST /duplicates/{id}/dismiss`: "not duplicates", remembered: its photos are never clustered together again.
 * Idempotent: a cluster dismissed already answers as its dismiss did (a retry after a lost answer); one resolved is a
 * 409 naming the photo kept.
 */
export async function dismissDuplicates(
  clusterId: string,
  caller: Caller,
  deps: ReviewDeps,
): Promise<{ clusterId: string; dismissed: string[] }> {
  const cluster = await ownCluster(clusterId, caller, deps);
  if (cluster.state === 'open') {
    const dismissed = cluster.members;
    if (await deps.store.close(cluster, 'dismissed', deps.now(), { dismissed })) return { clusterId, dismissed };
  }
  // Closed before, or by another request meanwhile: answer as it was closed.
  const closed = await ownCluster(clusterId, caller, deps);
  if (closed.state === 'dismissed') {
    const outcome = closed.outcome;
    return { clusterId, dismissed: outcome && 'dismissed' in outcome ? outcome.dismissed : closed.members };
  }
  throw closedError(closed);
}

/** The caller's cluster, in any state: 404 when it is unknown or another's. */
export async function ownCluster(clusterId: string, caller: Caller, deps: Pick<ReviewDeps, 'store'>): Promise<Cluster> {
  const cluster = await deps.store.getCluster(clusterId);
  if (!cluster || cluster.owner !== caller.owner) throw new NotFoundError(`duplicates ${clusterId} not found`);
  return cluster;
}

/** Why a closed cluster cannot be resolved or dismissed (now, or as asked): a 409 saying how it was closed, or 404. */
export function closedError(cluster: Cluster): Error {
  const { clusterId, outcome } = cluster;
  if (cluster.state === 'resolved') {
    const keeping = outcome && 'keep' in outcome ? `, keeping ${outcome.keep.join(', ')}` : '';
    return new ConflictError(`duplicates ${clusterId} was resolved already${keeping}`);
  }
  if (cluster.state === 'dismissed') {
    return new ConflictError(`duplicates ${clusterId} was dismissed already: its photos are not duplicates`);
  }
  // Dissolved: its photos left it (trashed, locked, deleted) before any review.
  return new NotFoundError(`duplicates ${clusterId} not found (its photos left it)`);
}

async function withMembers(clusters: readonly Cluster[], deps: ReviewDeps): Promise<DuplicateCluster[]> {
  const photos = new Map(
    (await deps.store.getPhotos([...new Set(clusters.flatMap((cluster) => cluster.members))])).map((photo) => [
      photo.imageId,
      photo,
    ]),
  );
  return clusters.flatMap((cluster) => {
    const members = cluster.members.flatMap((id) => {
      const photo = photos.get(id);
      return photo && !photo.away ? [{ ...photo.facts, imageId: id }] : [];
    });
    if (members.length < 2) return [];
    const suggestion = suggestKeep(members);
    members.sort((a, b) => (a.imageId === suggestion.keep ? -1 : b.imageId === suggestion.keep ? 1 : 0));
    return [
      { clusterId: cluster.clusterId, createdAt: cluster.createdAt, updatedAt: cluster.updatedAt, members, suggestion },
    ];
  });
}
