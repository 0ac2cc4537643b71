import type { ImageStatus } from './image-item';
import { IMAGE_ENTITY, LIST_SHARDS } from './table-design';

/** The list index keys an item carries, derived from its id, status and owner (see table-design.ts). */
export interface ShardAttributes {
  /** `IMAGE#<n>`: the image's key in `byCreatedSharded`; absent while it is archived. */
  listShard?: string;
  /** `<STATUS>#<n>`: its key in `byStatusSharded`; rewritten with every status change. */
  statusShard: string;
  /**
   * `<owner>#<n>`: its key in `byOwnerSharded` and the timeline (`byOwnerTakenSharded`), when it has an owner;
   * `<owner>#ARCHIVED#<n>` while it is archived, so the archive is the same indexes under other key values.
   */
  ownerShard?: string;
  /** `<owner>#<STATUS>#<n>`: its key in `byOwnerStatusSharded`, when it has an owner; follows the status. */
  ownerStatusShard?: string;
}

/** Which images a list reads: one owner's (their archive, with `archived`), or (for admins) everyone's. */
export type ListScope = { owner: string; archived?: boolean } | { owner?: undefined; archived?: undefined };

/** The part of an owner's key values that files an image in their archive (an owner id has no `#`). */
export const ARCHIVED = 'ARCHIVED';

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
  const kind = scope.archived ? ARCHIVED : status;
  const prefix = [scope.owner, kind ?? (scope.owner === undefined ? IMAGE_ENTITY : undefined)]
    .filter((part) => part !== undefined)
    .join('#');
  return Array.from({ length: LIST_SHARDS }, (_, shard) => `${prefix}#${shard}`);
}

/**
 * The list keys of an image in this state. An archived one (which always has an owner: images/archive) is out of
 * everyone's list and files its owner's list and timeline keys under `ARCHIVED`: it leaves the default lists and the
 * timeline by moving partition, not by a filter, and keeps its status keys (the status lists, the trash's purge).
 */
export function shardAttributes(
  imageId: string,
  status: ImageStatus,
  owner?: string,
  archived = false,
): ShardAttributes {
  const shard = shardOf(imageId);
  const statusShard = `${status}#${shard}`;
  if (owner === undefined) return { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard };
  const ownerStatusShard = `${owner}#${status}#${shard}`;
  if (archived) return { statusShard, ownerShard: `${owner}#${ARCHIVED}#${shard}`, ownerStatusShard };
  return { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard, ownerShard: `${owner}#${shard}`, ownerStatusShard };
}

/** `<owner>#<sha256>`: the key in `byOwnerSha256` under which an owner's images with the same bytes meet. */
export function ownerSha256(owner: string, sha256: string): string {
  return `${owner}#${sha256}`;
}
