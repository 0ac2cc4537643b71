import type { ImageItem } from './image-item';

/** `YYYY-MM-DDTHH:MM:SS#<imageId>`: a `takenKey` as the store writes it (a cursor's `last` must be one). */
const TAKEN_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}#[0-9A-HJKMNP-TV-Z]{26}$/;

/** The attributes of an image's place in its owner's timeline (`byOwnerTakenSharded`, table-design.ts). */
export interface TimelineAttributes {
  /** `<when>#<imageId>`: when the photo was taken, else when it was uploaded, to the second; then its id. */
  takenKey: string;
  /**
   * The date taken (`YYYY-MM-DDTHH:MM:SS`, local time where it was taken): its owner's, else the EXIF date (the
   * camera's clock) when the analysis found one.
   */
  takenAt?: string;
}

/**
 * Where an image sorts in its owner's timeline. Both dates are cut to `YYYY-MM-DDTHH:MM:SS` (EXIF dates are kept
 * so, without a zone; `createdAt` is UTC ISO with milliseconds) so that they compare as strings; the id after them
 * breaks ties (a burst of photos in one second, a backfill of images without dates), so every key is unique and a
 * cursor resumes exactly after the last one returned. An upload's PENDING record has only its `createdAt`; the
 * processor rewrites the key once the analysis read a date taken, and an owner's date taken (`takenCorrection`) sorts
 * before the EXIF one.
 */
export function timelineAttributes(
  item: Pick<ImageItem, 'imageId' | 'createdAt' | 'analysis' | 'takenCorrection'>,
): TimelineAttributes {
  const takenAt = takenAtOf(item);
  const when = takenAt ?? item.createdAt.slice(0, 19);
  return takenAt === undefined
    ? { takenKey: `${when}#${item.imageId}` }
    : { takenKey: `${when}#${item.imageId}`, takenAt };
}

/**
 * When the photo was taken, as the timeline, the date filters and the `taken=` year read it: its owner's correction
 * (`takenCorrection`, local time) else its EXIF date; undefined when neither says (a rejection's analysis has no
 * metadata).
 */
export function takenAtOf(item: Pick<ImageItem, 'analysis' | 'takenCorrection'>): string | undefined {
  if (item.takenCorrection) return validTakenAt(item.takenCorrection.takenAt);
  const metadata = item.analysis && 'metadata' in item.analysis ? item.analysis.metadata : undefined;
  return validTakenAt(metadata?.exif?.takenAt);
}

/** A date taken the key can sort by: exactly `YYYY-MM-DDTHH:MM:SS` (anything else sorts by the upload's time). */
function validTakenAt(takenAt: string | undefined): string | undefined {
  return takenAt !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(takenAt) ? takenAt : undefined;
}

export function isTakenKey(value: string): boolean {
  return TAKEN_KEY.test(value);
}
