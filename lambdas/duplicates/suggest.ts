import type { ProcessedRecord } from '../core/record';

/** What a cluster's suggestion weighs of each photo (kept in the duplicates table beside its hashes). */
export interface MemberFacts {
  imageId: string;
  /** A quality score, higher is better. */
  quality?: number;
  width: number;
  height: number;
  bytes: number;
  metadataCount: number;
  takenAt?: string;
}

/** Which photo of a cluster to keep, and why (placeholder until the bench's rule lands). */
export function suggestKeep(members: readonly MemberFacts[]): { keep: string; reason: string } {
  const [best] = [...members].sort(
    (a, b) =>
      b.width * b.height - a.width * a.height || b.metadataCount - a.metadataCount || (a.imageId < b.imageId ? -1 : 1),
  );
  if (!best) throw new Error('a cluster has members');
  return { keep: best.imageId, reason: `largest (${best.width}x${best.height})` };
}

/** How many metadata fields a record has. */
export function metadataCountOf(record: ProcessedRecord): number {
  return Object.keys(record.metadata.exif ?? {}).length;
}
