import type { ImageStatus } from './image-item';
import { IMAGE_ENTITY, LIST_SHARDS } from './table-design';

/** The list index keys an item carries, derived from its id, status and owner (see table-design.ts). */
export interface ShardAttributes {
  /** `IMAGE#<n>`: the image's key in `byCreatedSharded`; never changes. */
  listShard: string;
  /** `<STATUS>#<n>`: its key in `byStatusSharded`; rewritten with every status change. */
  statusShard: string;
  /** `<owner>#<n>`: its key in `byOwnerSharded`, when it has an owner; never changes. */
  ownerShard?: string;
  /** `<owner>#<STATUS>#<n>`: its key in `byOwnerStatusSharded`, when it has an owner; follows the status. */
  ownerStatusShard?: string;
}

/** Which images a list reads: one owner's, or (for admins) everyone's. */
export type ListScope = { owner: string } | { owner?: undefined };

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
  const prefix = [scope.owner, status ?? (scope.owner === undefined ? IMAGE_ENTITY : undefined)]
    .filter((part) => part !== undefined)
    .join('#');
  return Array.from({ length: LIST_SHARDS }, (_, shard) => `${prefix}#${shard}`);
}

export function shardAttributes(imageId: string, status: ImageStatus, owner?: string): ShardAttributes {
  const shard = shardOf(imageId);
  const attributes: ShardAttributes = { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard: `${status}#${shard}` };
  if (owner === undefined) return attributes;
  return { ...attributes, ownerShard: `${owner}#${shard}`, ownerStatusShard: `${owner}#${status}#${shard}` };
}

/** `<owner>#<sha256>`: the key in `byOwnerSha256` under which an owner's images with the same bytes meet. */
export function ownerSha256(owner: string, sha256: string): string {
  return `${owner}#${sha256}`;
}
