import { ulid } from 'ulid';
import { z } from 'zod';
import type { UploadContentType } from '../../../settings';
import { noControlCharacters, validUnicode } from '../../../store/client-text';
import type { IUploadPresigner, PresignedUpload } from '../../../store/image-objects';
import type { ImageStore } from '../../../store/image-store';
import { uploadKey } from '../../../store/keys';
import type { Caller } from '../../../store/owner';
import { MetadataRequestSchema, TagsRequestSchema } from '../../../store/upload-metadata';

/** A PENDING item outlives its upload URL by a day, so a late-arriving upload still finds its record. */
export const PENDING_GRACE_SECONDS = 24 * 3600;
const FILENAME_MAX = 255;

export interface UploadLimits {
  allowedTypes: readonly UploadContentType[];
  maxUploadBytes: number;
}

/** `POST /uploads` body. Content types are matched case-insensitively; parameters or wildcards are refused. */
export function uploadRequestSchema({ allowedTypes, maxUploadBytes }: UploadLimits) {
  const types = allowedTypes as [UploadContentType, ...UploadContentType[]];
  const required = (expected: string) => (issue: { input: unknown }) =>
    issue.input === undefined ? 'required' : `must be ${expected}`;
  return z.object(
    {
      contentType: z
        .string({ error: required('a string') })
        .transform((value) => value.trim().toLowerCase())
        .pipe(z.enum(types, { error: `must be one of ${types.join(', ')}` })),
      size: z
        .number({ error: required('a number of bytes') })
        .int('must be a whole number of bytes')
        .min(1, 'must be at least 1 byte')
        .max(maxUploadBytes, `must be at most ${maxUploadBytes} bytes`),
      filename: z
        .string({ error: 'must be a string' })
        .min(1, 'must not be empty')
        .max(FILENAME_MAX, `must be at most ${FILENAME_MAX} characters`)
        .check(noControlCharacters, validUnicode)
        .optional(),
      /** Trimmed, duplicates dropped; see upload-metadata.ts for the rules. */
      tags: TagsRequestSchema.optional(),
      metadata: MetadataRequestSchema.optional(),
      sha256: z
        .string({ error: 'must be a string' })
        .transform((value) => value.toLowerCase())
        .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the bytes, as 64 hex digits'))
        .optional(),
      duplicates: z.enum(['skip', 'keep'], { error: 'must be skip or keep' }).optional(),
    },
    { error: 'must be a JSON object' },
  );
}
export type UploadRequest = z.output<ReturnType<typeof uploadRequestSchema>>;

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
