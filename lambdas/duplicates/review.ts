import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import { eventOf, type IEventPublisher } from '../events/events';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import type { Caller } from '../store/owner';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import { type Carried, type CarryOverAnswer, type CarryOverDeps, carryOverAndTrash } from './carry-over';
import type { Cluster, DuplicateStore, Resolution } from './duplicate-store';
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
async function ownCluster(clusterId: string, caller: Caller, deps: Pick<ReviewDeps, 'store'>): Promise<Cluster> {
  const cluster = await deps.store.getCluster(clusterId);
  if (!cluster || cluster.owner !== caller.owner) throw new NotFoundError(`duplicates ${clusterId} not found`);
  return cluster;
}

/** Why a closed cluster cannot be resolved or dismissed (now, or as asked): a 409 saying how it was closed, or 404. */
function closedError(cluster: Cluster): Error {
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

/** What resolving a cluster works with besides the table: the carry-over and trash (carry-over.ts), the sinks. */
export interface ResolveDeps extends ReviewDeps {
  store: ReviewDeps['store'] & Pick<DuplicateStore, 'beginResolve'>;
  carryOver: CarryOverDeps;
  events: IEventPublisher;
}

/** The same request: the same photos kept, the first the same, and the same trashed, in any order. */
function sameRequest(a: Resolution, b: Resolution): boolean {
  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && [...x].sort().every((id, i) => id === [...y].sort()[i]);
  return a.keep[0] === b.keep[0] && same(a.keep, b.keep) && same(a.trash, b.trash);
}

/**
 * `POST /duplicates/{id}/resolve`: keep `keep` (the first gets what the copies carry), move `trash` to the trash,
 * then close the cluster and publish `Duplicates Resolved`. Every photo named must be of the cluster (400); the
 * carry-over refuses before any write what it cannot do (carry-over.ts). The request is recorded on the cluster
 * before any write (`resolving`): the copies' trashing takes them out of the cluster (the cleanup), which may dissolve
 * it before it is closed, and a retry of the same request then still finishes it.
 *
 * Idempotent on the same body: a cluster resolved by the same request answers 200 with what that request answered
 * (its `carried`: nothing is carried twice); resolved otherwise, or dismissed, is a 409 saying so (and which photo
 * was kept). A retry of a request that failed part-way carries and trashes what is left, and answers what it did.
 */
export async function resolveDuplicates(
  clusterId: string,
  body: { keep: string[]; trash: string[] },
  caller: Caller,
  deps: ResolveDeps,
): Promise<CarryOverAnswer & { clusterId: string }> {
  const cluster = await ownCluster(clusterId, caller, deps);
  const begun = cluster.resolving !== undefined && sameRequest(cluster.resolving, body);
  if (cluster.state !== 'open' && !(cluster.state === 'dissolved' && begun)) return replayed(cluster, body);
  const members = new Set([...cluster.members, ...(begun ? [...body.keep, ...body.trash] : [])]);
  const strangers = [...body.keep, ...body.trash].filter((id) => !members.has(id));
  if (strangers.length > 0) {
    throw new BadRequestError(`not photos of duplicates ${clusterId}: ${strangers.join(', ')}`);
  }
  if (cluster.state === 'open' && !begun && !(await deps.store.beginResolve(clusterId, body))) {
    return replayed(await ownCluster(clusterId, caller, deps), body);
  }
  const answer = await carryOverAndTrash(body, caller, deps.carryOver);
  const at = deps.now();
  const outcome = { keep: [...body.keep], trash: [...body.trash], carried: { ...answer.carried } };
  if (!(await deps.store.close(cluster, 'resolved', at, outcome))) {
    // Closed by another request meanwhile (the same one sent twice at once): answer as it was closed.
    return replayed(await ownCluster(clusterId, caller, deps), body);
  }
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

/** A closed cluster asked to be resolved: what its resolve answered when this is the same request, else why not. */
function replayed(cluster: Cluster, body: Resolution): CarryOverAnswer & { clusterId: string } {
  const { outcome } = cluster;
  if (cluster.state !== 'resolved' || !outcome || !('keep' in outcome) || !sameRequest(outcome, body)) {
    throw closedError(cluster);
  }
  return {
    clusterId: cluster.clusterId,
    kept: outcome.keep[0] as string,
    trashed: [...outcome.trash],
    carried: outcome.carried as unknown as Carried,
  };
}
