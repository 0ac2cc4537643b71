import { CONTENT_TYPE_EXTENSIONS, type UploadContentType } from '../settings';

/** Originals live under this prefix; the bucket notification filters on it. */
export const UPLOAD_PREFIX = 'uploads/';
export const THUMBNAIL_PREFIX = 'thumbnails/';

/** Crockford base32, 26 characters: what `ulid()` produces. */
export const IMAGE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isImageId(value: string): boolean {
  return IMAGE_ID_PATTERN.test(value);
}

/** `uploads/<imageId>.<ext>`: the client's filename never becomes part of a key. */
export function uploadKey(imageId: string, contentType: UploadContentType): string {
  return `${UPLOAD_PREFIX}${imageId}.${CONTENT_TYPE_EXTENSIONS[contentType]}`;
}

/** `thumbnails/<imageId>/<size>.webp`. */
export function thumbnailKey(imageId: string, size: number): string {
  return `${THUMBNAIL_PREFIX}${imageId}/${size}.webp`;
}

/** The image id in a key made by `uploadKey`, or undefined for any other key. */
export function imageIdFromUploadKey(key: string): string | undefined {
  const match = /^uploads\/([0-9A-HJKMNP-TV-Z]{26})(?:\.[a-z0-9]{1,5})?$/.exec(key);
  return match?.[1];
}

/**
 * S3 event notifications URL-encode keys with spaces as `+` (form encoding); `decodeURIComponent` alone
 * would leave the `+`. A key that is not valid percent-encoding is returned as it came.
 */
export function decodeEventKey(raw: string): string {
  const plus = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** Where every image's renditions are stored. */
export const RENDITION_PREFIX = 'renditions/';
