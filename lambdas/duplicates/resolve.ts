import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import { eventOf, type IEventPublisher } from '../events/events';
import { BadRequestError } from '../shared/errors';
import type { Caller } from '../store/owner';
import { type Carried, type CarryOverAnswer, type CarryOverDeps, carryOverAndTrash } from './carry-over';
import type { Cluster, DuplicateStore, Resolution } from './duplicate-store';
import { DUPLICATES_EVENTS } from './events';
import { closedError, ownCluster, type ReviewDeps } from './review';

/*
 * Resolving a cluster (`POST /duplicates/{id}/resolve`), apart from its listing and dismissal (review.ts): only the
 * resolve function bundles the carry-over, and with it the places data a carried place is named from.
 */

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
