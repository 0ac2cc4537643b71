import type { ImageStatus } from './image-item';
import { IMAGE_ENTITY, LIST_SHARDS } from './table-design';

/** The list index keys an item carries, derived from its id, status and owner (see table-design.ts). */
export interface ShardAttributes {
  /** `IMAGE#<n>`: the image's key in `byCreatedSharded`; absent while it is archived or locked. */
  listShard?: string;
  /**
   * `<STATUS>#<n>`: its key in `byStatusSharded`; rewritten with every status change. `LOCKED#<STATUS>#<n>` while it
   * is locked, but for `TRASHED#<n>`, which the purge's daily sweep reads whatever the image is.
   */
  statusShard: string;
  /**
   * `<owner>#<n>`: its key in `byOwnerSharded` and the timeline (`byOwnerTakenSharded`), when it has an owner;
   * `<owner>#ARCHIVED#<n>` while it is archived and `<owner>#LOCKED#<n>` while it is locked, so the archive and the
   * locked folder are the same indexes under other key values; `<owner>#STACKED#<n>` while it is a stack's frame but
   * not its primary (lambdas/stacks), so the default list and timeline show a stack once.
   */
  ownerShard?: string;
  /**
   * `<owner>#<STATUS>#<n>`: its key in `byOwnerStatusSharded`, when it has an owner; follows the status.
   * `<owner>#LOCKED#<STATUS>#<n>` while it is locked, so no status list (the trash's neither) shows it.
   */
  ownerStatusShard?: string;
}

/**
 * Which images a list reads: one owner's (their archive, with `archived`; their locked folder, with `locked`), or
 * (for admins) everyone's.
 */
export type ListScope =
  | { owner: string; archived?: boolean; locked?: boolean; stacked?: 'expand' }
  | { owner?: undefined; archived?: undefined; locked?: undefined; stacked?: undefined };

/**
 * Where an image is filed besides its status: its owner's archive, their locked folder (which wins over it), or
 * behind its stack's primary (which both win over).
 */
export interface Filing {
  archived?: boolean;
  locked?: boolean;
  /** The stack it is a frame of, not the primary (lambdas/stacks). */
  stackedIn?: string;
}

/** The part of an owner's key values that files an image in their archive (an owner id has no `#`). */
export const ARCHIVED = 'ARCHIVED';

/** The part of the key values that files an image in its owner's locked folder. */
export const LOCKED = 'LOCKED';

/** The part of an owner's key values that files a stack's frame behind its primary (lambdas/stacks). */
export const STACKED = 'STACKED';

/**
 * The shard of an image, 0 to LIST_SHARDS - 1: FNV-1a (32 bit) of its id, modulo LIST_SHARDS. It must never change
 * for a stored image, so it depends on nothing but the id; the random half of a ULID makes it uniform.
 */
export function shardOf(imageId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < imageId.length; i++) {
    hash ^= imageId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % LIST_SHARDS;
}

/** The partition key values a list reads: every shard of one owner's or of all images, optionally of one status. */
export function listPartitions(scope: ListScope, status?: ImageStatus): string[] {
  if (scope.archived && status !== undefined) throw new Error('the archive is not listed by status');
  if (scope.archived && scope.locked) throw new Error('the archive and the locked folder are apart');
  if (scope.stacked && (scope.archived || scope.locked || status !== undefined)) {
    throw new Error("a stack's frames are expanded in the owner's default list and timeline only");
  }
  const kind = scope.archived ? ARCHIVED : scope.locked ? [LOCKED, status].filter(Boolean).join('#') : status;
  const prefix = [scope.owner, kind ?? (scope.owner === undefined ? IMAGE_ENTITY : undefined)]
    .filter((part) => part !== undefined)
    .join('#');
  const partitions = Array.from({ length: LIST_SHARDS }, (_, shard) => `${prefix}#${shard}`);
  // `stacked=expand`: the frames filed behind their primaries too, merged with the rest by the same sort key.
  if (scope.stacked !== 'expand') return partitions;
  return [...partitions, ...Array.from({ length: LIST_SHARDS }, (_, shard) => `${prefix}#${STACKED}#${shard}`)];
}

/**
 * The list keys of an image in this state. An archived one (which always has an owner: images/archive) is out of
 * everyone's list and files its owner's list and timeline keys under `ARCHIVED`: it leaves the default lists and the
 * timeline by moving partition, not by a filter, and keeps its status keys (the status lists, the trash's purge).
 * A locked one (always with an owner too) files every key under `LOCKED`, its status keys as well, so no list but
 * the locked folder's holds it; it keeps `archived`, so unlocking it puts it back in the archive. Its global trash
 * key stays `TRASHED#<n>`, so the purge's sweep deletes it when its time is up (an owner's "empty the trash", which
 * reads their trash's keys, leaves it to the sweep).
 */
export function shardAttributes(
  imageId: string,
  status: ImageStatus,
  owner?: string,
  filing: Filing = {},
): ShardAttributes {
  const shard = shardOf(imageId);
  const statusShard = `${status}#${shard}`;
  if (owner === undefined) return { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard };
  const ownerStatusShard = `${owner}#${status}#${shard}`;
  if (filing.locked) {
    return {
      statusShard: status === 'TRASHED' ? statusShard : `${LOCKED}#${statusShard}`,
      ownerShard: `${owner}#${LOCKED}#${shard}`,
      ownerStatusShard: `${owner}#${LOCKED}#${status}#${shard}`,
    };
  }
  if (filing.archived) return { statusShard, ownerShard: `${owner}#${ARCHIVED}#${shard}`, ownerStatusShard };
  // A stack's frame keeps everyone's list (an admin's) and the status lists: only its owner's list and timeline
  // show its stack once.
  if (filing.stackedIn !== undefined) {
    const listShard = `${IMAGE_ENTITY}#${shard}`;
    return { listShard, statusShard, ownerShard: `${owner}#${STACKED}#${shard}`, ownerStatusShard };
  }
  return { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard, ownerShard: `${owner}#${shard}`, ownerStatusShard };
}

/** `<owner>#<sha256>`: the key in `byOwnerSha256` under which an owner's images with the same bytes meet. */
export function ownerSha256(owner: string, sha256: string): string {
  return `${owner}#${sha256}`;
}
