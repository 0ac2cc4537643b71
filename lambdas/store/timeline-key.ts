import type { ImageItem } from './image-item';

/** `YYYY-MM-DDTHH:MM:SS#<imageId>`: a `takenKey` as the store writes it (a cursor's `last` must be one). */
const TAKEN_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}#[0-9A-HJKMNP-TV-Z]{26}$/;

/** The attributes of an image's place in its owner's timeline (`byOwnerTakenSharded`, table-design.ts). */
export interface TimelineAttributes {
  /** `<when>#<imageId>`: when the photo was taken, else when it was uploaded, to the second; then its id. */
  takenKey: string;
  /** The date taken (EXIF, the camera's clock, `YYYY-MM-DDTHH:MM:SS`), when the analysis found one. */
  takenAt?: string;
}

/**
 * Where an image sorts in its owner's timeline. Both dates are cut to `YYYY-MM-DDTHH:MM:SS` (EXIF dates are kept
 * so, without a zone; `createdAt` is UTC ISO with milliseconds) so that they compare as strings; the id after them
 * breaks ties (a burst of photos in one second, a backfill of images without dates), so every key is unique and a
 * cursor resumes exactly after the last one returned. An upload's PENDING record has only its `createdAt`; the
 * processor rewrites the key once the analysis read a date taken.
 */
export function timelineAttributes(item: Pick<ImageItem, 'imageId' | 'createdAt' | 'analysis'>): TimelineAttributes {
  // A rejection's analysis has no metadata: it sorts by its upload.
  const metadata = item.analysis && 'metadata' in item.analysis ? item.analysis.metadata : undefined;
  const takenAt = validTakenAt(metadata?.exif?.takenAt);
  const when = takenAt ?? item.createdAt.slice(0, 19);
  return takenAt === undefined
    ? { takenKey: `${when}#${item.imageId}` }
    : { takenKey: `${when}#${item.imageId}`, takenAt };
}

/** A date taken the key can sort by: exactly `YYYY-MM-DDTHH:MM:SS` (anything else sorts by the upload's time). */
function validTakenAt(takenAt: string | undefined): string | undefined {
  return takenAt !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(takenAt) ? takenAt : undefined;
}

export function isTakenKey(value: string): boolean {
  return TAKEN_KEY.test(value);
}
