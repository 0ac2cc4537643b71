import type { ImageItem } from '../../../store/image-item';
import type { ProcessorDeps } from './ports';
import type { UploadNotice } from './s3-event';

/*
 * Whose an image is across processing runs. Its first write gives a record its owner (the upload's; for an object a
 * backfill or a watched bucket brought in, ownerOf's), and every later run keeps it (fromUpload here, and the store's
 * write names it), so the order in which paths see an object cannot move it. Only a backfill's `reown` does.
 */

/**
 * What the upload recorded and every processing run carries over, never rewrites: whose the image is, the file's
 * name and type, when it was asked for, the client's tags (as its owner edited them) and metadata, people's label
 * corrections, and its owner's date taken, favourite, archive (so the timeline and the terms follow them), rotation and crop
 * (which the decode step turns and cuts the pixels by). Nothing
 * without a record (an object put in the bucket without an upload URL has no owner).
 */
export function fromUpload(record: ImageItem | undefined): Partial<ImageItem> {
  if (!record) return {};
  const { owner, createdAt, filename, contentType, tags, metadata, labelCorrections, takenCorrection, favourite } =
    record;
  const kept = {
    rotation: record.rotation,
    crop: record.crop,
    owner,
    createdAt,
    filename,
    contentType,
    tags,
    metadata,
    labelCorrections,
    takenCorrection,
    favourite,
    // Its list keys follow it (store/list-shards.ts), so every run files the image as archived or not, as it was read.
    archived: record.archived,
    // Likewise locked or not (and a locked image's run puts no postings: search/index-table.ts asks isShown).
    locked: record.locked,
    // Likewise filed behind its stack's primary or not (lambdas/stacks); the stack itself only that room writes.
    stackedIn: record.stackedIn,
    stack: record.stack,
    stackPrimary: record.stackPrimary,
    // A copy saved from a share link stays one.
    savedFrom: record.savedFrom,
  };
  // Only what the record has: an owner a backfill gave an object with no record yet stays.
  return Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined));
}

/** Whether this run re-owns the record: a backfill asked to (`reown`), and the notice's owner is not the record's. */
export function isReown(existing: ImageItem | undefined, notice: Pick<UploadNotice, 'owner' | 'reown'>): boolean {
  return (
    notice.reown === true && notice.owner !== undefined && existing !== undefined && existing.owner !== notice.owner
  );
}

/**
 * Before a re-owned record is written under its new owner, its old owner's search postings go, and each step takes
 * what it keeps of the image under the old owner away (its `leave`: the faces leave the old owner's people), so the image is in no search or people but the new owner's once
 * the record names them; the processing then groups its faces into the new owner's people. Both are idempotent: a
 * retry, finding the old owner still on the record, does them again. Answers the new owner.
 * This removal is of the record as read: postings an old owner's writer (a label correction) puts between it and the
 * re-owning write are removed after that write, from the record it answers it replaced (lambdas/search/steps/search-index.ts), or
 * by the writer itself, whose check then finds the new owner (index-table.ts).
 */
export async function leaveOwner(
  existing: ImageItem | undefined,
  notice: Pick<UploadNotice, 'owner'>,
  deps: ProcessorDeps,
): Promise<string | undefined> {
  if (existing?.owner !== undefined) {
    const leaving = { ...existing, owner: existing.owner };
    // Each step drops what it keeps of the image under the old owner (its postings, its faces).
    for (const step of deps.steps.flat()) await step.leave?.(leaving, deps);
  }
  return notice.owner;
}
