import type { ImageStatus } from './image-item';
import { IMAGE_ENTITY, LIST_SHARDS } from './table-design';

/** The list index keys an item carries, derived from its id and status (see table-design.ts). */
export interface ShardAttributes {
  /** `IMAGE#<n>`: the image's key in `byCreatedSharded`; never changes. */
  listShard: string;
  /** `<STATUS>#<n>`: its key in `byStatusSharded`; rewritten with every status change. */
  statusShard: string;
}

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

/** The partition key values a list reads: every shard of all images, or of one status. */
export function listPartitions(status?: ImageStatus): string[] {
  const prefix = status ?? IMAGE_ENTITY;
  return Array.from({ length: LIST_SHARDS }, (_, shard) => `${prefix}#${shard}`);
}

export function shardAttributes(imageId: string, status: ImageStatus): ShardAttributes {
  const shard = shardOf(imageId);
  return { listShard: `${IMAGE_ENTITY}#${shard}`, statusShard: `${status}#${shard}` };
}
