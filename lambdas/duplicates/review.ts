import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import { eventOf, type IEventPublisher } from '../events/events';
import { BadRequestError, NotFoundError } from '../shared/errors';
import type { Caller } from '../store/owner';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import { type CarryOverAnswer, type CarryOverDeps, carryOverAndTrash } from './carry-over';
import type { Cluster, DuplicateStore } from './duplicate-store';
import { DUPLICATES_EVENTS } from './events';
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

/** `POST /duplicates/{id}/dismiss`: "not duplicates", remembered: its photos are never clustered together again. */
export async function dismissDuplicates(
  clusterId: string,
  caller: Caller,
  deps: ReviewDeps,
): Promise<{ clusterId: string; dismissed: string[] }> {
  const cluster = await deps.store.getCluster(clusterId);
  if (!cluster || cluster.owner !== caller.owner || cluster.state !== 'open') {
    throw new NotFoundError(`duplicates ${clusterId} not found (or already resolved or dismissed)`);
  }
  await deps.store.close(cluster, 'dismissed', deps.now());
  return { clusterId, dismissed: cluster.members };
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

/** What resolving a cluster works with besides the table: the carry-over and trash (carry-over.ts), the sinks. */
export interface ResolveDeps extends ReviewDeps {
  carryOver: CarryOverDeps;
  events: IEventPublisher;
}

/**
 * `POST /duplicates/{id}/resolve`: keep `keep` (the first gets what the copies carry), move `trash` to the trash,
 * then close the cluster and publish `Duplicates Resolved`. Every photo named must be of the cluster (400); the
 * carry-over refuses before any write what it cannot do (carry-over.ts). The copies' trashing takes them out of the
 * cluster (the cleanup), which may dissolve it before it is closed as resolved.
 */
export async function resolveDuplicates(
  clusterId: string,
  body: { keep: string[]; trash: string[] },
  caller: Caller,
  deps: ResolveDeps,
): Promise<CarryOverAnswer & { clusterId: string }> {
  const cluster = await deps.store.getCluster(clusterId);
  if (!cluster || cluster.owner !== caller.owner || cluster.state !== 'open') {
    throw new NotFoundError(`duplicates ${clusterId} not found (or already resolved or dismissed)`);
  }
  const strangers = [...body.keep, ...body.trash].filter((id) => !cluster.members.includes(id));
  if (strangers.length > 0) {
    throw new BadRequestError(`not photos of duplicates ${clusterId}: ${strangers.join(', ')}`);
  }
  const answer = await carryOverAndTrash(body, caller, deps.carryOver);
  const at = deps.now();
  await deps.store.close(cluster, 'resolved', at);
  const declaration = DUPLICATES_EVENTS.duplicatesResolved;
  await deps.events.publish(
    eventOf(declaration, {
      version: EVENT_VERSION,
      owner: cluster.owner,
      clusterId,
      kept: [...body.keep],
      trashed: [...body.trash],
      occurredAt: at,
      eventId: eventIdOf(declaration.detailType, clusterId, at),
    }),
  );
  return { clusterId, ...answer };
}
