import { ulid } from 'ulid';
import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { withoutGps } from '../../../core/without-gps';
import { imageIdOfSharedPhoto } from '../../../renditions/share-scope';
import type { SigningKeySet } from '../../../renditions/signing-keys';
import { CONTENT_TYPE_EXTENSIONS, type UploadContentType } from '../../../settings/uploads';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import { shareIdOf } from '../../../shares/secrets';
import type { ShareItem } from '../../../shares/share';
import { openShare } from '../../../shares/share-password';
import type { ShareStore } from '../../../shares/share-store';
import { type ImageItem, isShown, originalOf } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import { uploadKey } from '../../../store/keys';
import type { ReadResult } from '../../../store/object-store';
import type { Caller } from '../../../store/owner';
import type { Album } from '../../schemas';
import type { SavedCopySchema, SaveSharedRequest } from '../share-schemas';

/** A PENDING copy's record outlives a save that failed before storing its bytes by a day (as an upload's). */
const PENDING_SECONDS = 24 * 3600;

/** `POST /shared/{token}/save` → 202 SAVING or 200 SAVED. */
export interface SavedCopy {
  imageId: string;
  status: 'SAVING' | 'SAVED';
  position: 'kept' | 'removed';
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<SavedCopy, z.output<typeof SavedCopySchema>> = true;

/** Where the copy's bytes go: copied within S3, or put once its position is taken out. */
export interface CopyObjects {
  read(bucket: string, key: string, maxBytes: number): Promise<ReadResult>;
  copy(from: { bucket: string; key: string }, to: { bucket: string; key: string }, contentType: string): Promise<void>;
  write(bucket: string, key: string, bytes: Buffer, contentType: string): Promise<void>;
}

export interface SaveSharedDeps {
  shares: Pick<ShareStore, 'get' | 'claimAttempt' | 'releaseAttempt' | 'claimSave'>;
  images: Pick<ImageStore, 'get' | 'createPending'>;
  albums: {
    get(albumId: string): Promise<Album | undefined>;
    membersAmong(albumId: string, ids: string[]): Promise<Set<string>>;
  };
  /** The rendition signing keys: a link's photo ids are enciphered under a key of the link derived from them. */
  keys(): Promise<SigningKeySet>;
  objects: CopyObjects;
  /** The pipeline's bucket: the copy is put under `uploads/`, where the processor picks it up. */
  bucket: string;
  /** The upload limit: the most of an original read to take its position out. */
  maxBytes: number;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Save a shared photo into the caller's library, as a copy the pipeline analyses as any upload:
 * 1. the link as `GET /shared/{token}` opens it: a token no link has is a 404, a revoked or expired link a 410, a
 *    protected one asks its password (401, 429 as the page does);
 * 2. the photo by the link's own id for it (the page's `items[].id`), which only that link's key turns back into an
 *    image id: none is a 404; an image link covers its one photo, an album link a photo its manual album holds now
 *    (a smart album's photos are those its search found, which only its page shows: a photo id of that link is
 *    taken as one it showed); the image must still be the link owner's, PROCESSED and shown (not in the trash or
 *    the locked folder), else a 404; the caller's own photo is a 409 (it is in their library);
 * 3. one copy per caller, link and photo: a save's item is claimed (conditional put) with a new id; a replay finds
 *    the claim and answers its copy (200 SAVED) once its bytes are stored, or completes it (a save that failed
 *    midway), so a retry never makes two;
 * 4. the copy's PENDING record, the caller's, saying where it was saved from (`savedFrom`: the link's shareId, never
 *    the other owner, the image id or its file name, which the link does not show either), then its bytes under
 *    `uploads/`: copied within S3 when the link hands out the original (allowDownload: its position is given
 *    anyway) or when the original holds no position; otherwise read and put with its GPS emptied in place
 *    (core/without-gps.ts, nothing re-encoded). The processor analyses it as an upload (labels, text, faces grouped
 *    into the caller's people, palette, hashes, thumbnails, renditions, its vector) and publishes `Image Processed`
 *    naming the caller. 202 SAVING.
 */
export async function saveShared(
  token: string,
  request: SaveSharedRequest & { password?: string; client?: string },
  caller: Caller,
  deps: SaveSharedDeps,
): Promise<SavedCopy> {
  const now = deps.now?.() ?? new Date();
  const share = await openShare(token, request, now, deps);

  const item = await sharedImage(share, request.photo, deps);
  if (item.owner === caller.owner) throw new ConflictError('this photo is yours: it is in your library already');
  const position = share.allowDownload ? 'kept' : 'removed';
  const claim = await deps.shares.claimSave(share, {
    imageId: item.imageId,
    caller: caller.owner,
    copyId: deps.newId?.() ?? ulid(now.getTime()),
    savedAt: now.toISOString(),
  });
  const copy = claim.claimed ? undefined : await deps.images.get(claim.copyId);
  if (copy !== undefined && copy.status !== 'PENDING') return { imageId: claim.copyId, status: 'SAVED', position };

  const contentType = contentTypeOf(item);
  const to = { bucket: deps.bucket, key: uploadKey(claim.copyId, contentType) };
  if (copy === undefined) {
    await deps.images
      .createPending({
        imageId: claim.copyId,
        entity: 'IMAGE',
        status: 'PENDING',
        owner: caller.owner,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        bucket: to.bucket,
        key: to.key,
        contentType,
        savedFrom: { shareId: shareIdOf(share.hash), savedAt: now.toISOString(), position },
        expiresAt: Math.floor(now.getTime() / 1000) + PENDING_SECONDS,
      })
      .catch((error: unknown) => {
        // Another save of the same claim wrote it a moment ago: its bytes are stored below all the same.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  await storeBytes(item, to, contentType, position, deps);
  return { imageId: claim.copyId, status: 'SAVING', position };
}

/** The image the link's photo id names, if the link shows it now (step 2). */
async function sharedImage(share: ShareItem, photo: string, deps: SaveSharedDeps): Promise<ImageItem> {
  const notShown = new NotFoundError('this link does not show that photo');
  const { keys } = await deps.keys();
  const imageId = keys.map((key) => imageIdOfSharedPhoto(photo, share.hash, key.secret)).find((id) => id !== undefined);
  if (imageId === undefined) throw notShown;
  const { target } = share;
  if (target.kind === 'image' && target.imageId !== imageId) throw notShown;
  if (target.kind === 'album') {
    const album = await deps.albums.get(target.albumId);
    if (!album || album.owner !== share.owner) throw new NotFoundError('share link not found');
    if (album.kind === 'manual' && !(await deps.albums.membersAmong(album.albumId, [imageId])).has(imageId)) {
      throw notShown;
    }
  }
  const item = await deps.images.get(imageId);
  if (!item || item.owner !== share.owner || item.status !== 'PROCESSED' || !isShown(item)) throw notShown;
  return item;
}

/** The copy's type, which names its key: the upload's, or what the analysis found the bytes to be. */
function contentTypeOf(item: ImageItem): UploadContentType {
  const declared = item.contentType;
  if (declared !== undefined && declared in CONTENT_TYPE_EXTENSIONS) return declared as UploadContentType;
  const analysis = item.analysis;
  const format = analysis !== undefined && 'metadata' in analysis ? analysis.metadata.format : 'jpeg';
  const found = `image/${format}`;
  return found in CONTENT_TYPE_EXTENSIONS ? (found as UploadContentType) : 'image/jpeg';
}

async function storeBytes(
  item: ImageItem,
  to: { bucket: string; key: string },
  contentType: string,
  position: 'kept' | 'removed',
  deps: SaveSharedDeps,
): Promise<void> {
  const from = originalOf(item);
  if (position === 'kept') return deps.objects.copy(from, to, contentType);
  const original = await deps.objects.read(from.bucket, from.key, deps.maxBytes);
  if (original.kind === 'missing') throw new NotFoundError('this photo has no stored original to copy');
  if (original.kind === 'too-large') {
    throw new ConflictError(`this photo is larger than this deployment's upload limit (${deps.maxBytes} bytes)`);
  }
  const { bytes, removed } = withoutGps(original.bytes);
  if (!removed) return deps.objects.copy(from, to, contentType);
  return deps.objects.write(to.bucket, to.key, bytes, contentType);
}
