import { ulid } from 'ulid';
import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { IUploadPresigner, PresignedUpload } from '../../../store/image-objects';
import type { ImageStore } from '../../../store/image-store';
import { uploadKey } from '../../../store/keys';
import type { Caller } from '../../../store/owner';
import type { DuplicateAnswerSchema, UploadRequest, UploadResponseSchema } from './route';

/** A PENDING item outlives its upload URL by a day, so a late-arriving upload still finds its record. */
export const PENDING_GRACE_SECONDS = 24 * 3600;

export interface UploadResponse {
  imageId: string;
  upload: PresignedUpload;
  /** When the upload URL stops working (ISO 8601). */
  expiresAt: string;
}

/** The caller already has these bytes: nothing was stored, and no form is given. */
export interface DuplicateAnswer {
  duplicateOf: string;
  message: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<UploadResponse, z.output<typeof UploadResponseSchema>> = true;
const _duplicateChecked: SameType<DuplicateAnswer, z.output<typeof DuplicateAnswerSchema>> = true;

export interface CreateUploadDeps {
  store: Pick<ImageStore, 'createPending' | 'findDuplicate'>;
  presigner: IUploadPresigner;
  bucket: string;
  urlTtlSeconds: number;
  now?: () => Date;
  newId?: () => string;
}

/**
 * Hand out one upload:
 * 0. with a declared `sha256` and not `duplicates: "keep"`: when the caller already has an image with those bytes
 *    (not in the trash: `byOwnerSha256`, keys only, one query), answer its id and store nothing;
 * 1. mint a ULID and derive the key from it and the content type alone (the client's filename never enters it);
 * 2. presign a POST that S3 only accepts for that key, that Content-Type and exactly the declared size (and, with
 *    `sha256`, only bytes of that checksum);
 * 3. record the PENDING item, owned by the caller (filename, tags and metadata kept as the client's data), expiring
 *    a day after the URL;
 * 4. answer the id, the form and when it expires.
 */
export async function createUpload(
  request: UploadRequest,
  caller: Caller,
  deps: CreateUploadDeps,
): Promise<UploadResponse | DuplicateAnswer> {
  const now = deps.now?.() ?? new Date();
  const imageId = deps.newId?.() ?? ulid(now.getTime());
  if (request.sha256 !== undefined && request.duplicates !== 'keep') {
    // Every id is below one minted now, so "earlier than imageId" is every image the owner has.
    const duplicateOf = await deps.store.findDuplicate(caller.owner, request.sha256, imageId);
    if (duplicateOf !== undefined) {
      return { duplicateOf, message: `the caller already has these bytes as image ${duplicateOf}: nothing stored` };
    }
  }
  const key = uploadKey(imageId, request.contentType);
  const expires = new Date(now.getTime() + deps.urlTtlSeconds * 1000);

  const upload = await deps.presigner.presignUpload({
    bucket: deps.bucket,
    key,
    contentType: request.contentType,
    size: request.size,
    sha256: request.sha256,
    expiresInSeconds: deps.urlTtlSeconds,
  });
  await deps.store.createPending({
    imageId,
    entity: 'IMAGE',
    status: 'PENDING',
    owner: caller.owner,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    bucket: deps.bucket,
    key,
    contentType: request.contentType,
    filename: request.filename,
    tags: request.tags,
    metadata: request.metadata,
    expiresAt: Math.floor(expires.getTime() / 1000) + PENDING_GRACE_SECONDS,
  });
  return { imageId, upload, expiresAt: expires.toISOString() };
}
