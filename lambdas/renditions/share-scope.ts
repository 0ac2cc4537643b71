import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { isImageId } from '../store/keys';

/*
 * What a rendition URL handed out by a share link carries besides the spec: the link it was issued for (`share=<the
 * token's hash>`, signed with the rest, so the render function can tell, on every request that reaches it, that the
 * link is still open) and, in place of the image id, an id of the photo that means something only within that link.
 *
 * Image ids are ULIDs: their first 10 characters are the upload time to the millisecond. A shared page promises no
 * dates, so the photo is named by its id's 16 bytes enciphered with AES-256 under a key of the link (derived from the
 * signing key and the link's hash): one block, so one photo has one id in a link (its URLs repeat, and CloudFront
 * caches them as one), another id in another link, and without the signing key no id can be turned back into a time.
 * Only the render function, which holds the key, reads it.
 */

/** A photo's id within a link: 16 bytes, base64url, 22 characters (never an image id's 26). */
export const SHARED_PHOTO_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The link's key for its photos' ids and cursors: HMAC-SHA256 of the link's hash under the signing key. */
function linkKey(secret: string, shareHash: string, purpose: 'photo' | 'cursor'): Buffer {
  return createHmac('sha256', secret).update(`image-intel shared ${purpose} v1\n${shareHash}`).digest();
}

/** An image id's 128 bits (26 Crockford base32 digits, the first worth at most 7). */
function imageIdBytes(imageId: string): Buffer {
  let value = 0n;
  for (const digit of imageId) value = (value << 5n) | BigInt(CROCKFORD.indexOf(digit));
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

function imageIdOf(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex')}`);
  let id = '';
  for (let i = 0; i < 26; i++) {
    id = CROCKFORD[Number(value & 31n)] + id;
    value >>= 5n;
  }
  return id;
}

/** The id a link shows a photo by. */
export function sharedPhotoId(imageId: string, shareHash: string, secret: string): string {
  if (!isImageId(imageId)) throw new Error(`imageId: not an image id: ${imageId}`);
  // One block of a unique value: ECB is a plain permutation of it here, not a mode that leaks patterns.
  const cipher = createCipheriv('aes-256-ecb', linkKey(secret, shareHash, 'photo'), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(imageIdBytes(imageId)), cipher.final()]).toString('base64url');
}

/** The image a link's photo id names, or undefined for an id no link of this hash and key made. */
export function imageIdOfSharedPhoto(photoId: string, shareHash: string, secret: string): string | undefined {
  if (!SHARED_PHOTO_ID_PATTERN.test(photoId)) return undefined;
  const bytes = Buffer.from(photoId, 'base64url');
  if (bytes.length !== 16) return undefined;
  const decipher = createDecipheriv('aes-256-ecb', linkKey(secret, shareHash, 'photo'), null).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  // The top two bits of a ULID's 130 are zero: an id made under another key decodes to one that is not, 3 times in 4.
  if ((plain[0] as number) > 0x7f) return undefined;
  const imageId = imageIdOf(plain);
  return isImageId(imageId) ? imageId : undefined;
}

/**
 * A page cursor as a link hands it out: sealed (AES-256-GCM under the link's key, named by the signing key's id), so
 * the image id or date it resumes from reads as nothing, and a cursor altered or from another link is refused.
 */
export function sealCursor(cursor: string, shareHash: string, key: { id: string; secret: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', linkKey(key.secret, shareHash, 'cursor'), iv);
  const sealed = Buffer.concat([iv, cipher.update(cursor, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${key.id}.${sealed.toString('base64url')}`;
}

/** The cursor a sealed one holds, or undefined (altered, another link's, or sealed with a key retired since). */
export function openCursor(
  sealed: string,
  shareHash: string,
  keys: readonly { id: string; secret: string }[],
): string | undefined {
  const at = sealed.indexOf('.');
  const key = keys.find((candidate) => candidate.id === sealed.slice(0, at));
  const bytes = Buffer.from(sealed.slice(at + 1), 'base64url');
  if (at < 1 || !key || bytes.length < 12 + 16 + 1) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', linkKey(key.secret, shareHash, 'cursor'), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
