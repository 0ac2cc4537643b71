import { DeleteObjectsCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ObjectDeleteError } from '../shared/errors';

export interface UploadTarget {
  bucket: string;
  key: string;
  contentType: string;
  /** Bytes the client declared; S3 refuses a body of any other size. */
  size: number;
  /** The SHA-256 the client declared (hex); S3 then refuses bytes of any other checksum. */
  sha256?: string;
  expiresInSeconds: number;
}

/** A browser-style form upload: POST `fields` then the file to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** Port: hands out a one-object upload that S3 itself holds to the declared key, type and size. */
export interface IUploadPresigner {
  presignUpload(target: UploadTarget): Promise<PresignedUpload>;
}

/** Port: short-lived read access to one object; with `attachment`, S3 answers it as a download of that name. */
export interface IDownloadPresigner {
  presignDownload(bucket: string, key: string, expiresInSeconds: number, attachment?: string): Promise<string>;
}

/**
 * `Content-Disposition` for a download named `filename` (RFC 6266): an ASCII fallback with anything unsafe made `_`,
 * and the exact name as UTF-8 (RFC 8187) for browsers, which prefer it.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_') || 'download';
  // RFC 8187's attr-char has none of ' ( ) *, which encodeURIComponent leaves as they are.
  const exact = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Short-lived GETs of several objects of one bucket, by name (a thumbnail's size to its key, to its URL). */
export async function presignEach(
  presigner: IDownloadPresigner,
  bucket: string,
  keys: Readonly<Record<string, string>>,
  expiresInSeconds: number,
): Promise<Record<string, string>> {
  const signed = await Promise.all(
    Object.entries(keys).map(
      async ([name, key]) => [name, await presigner.presignDownload(bucket, key, expiresInSeconds)] as const,
    ),
  );
  return Object.fromEntries(signed);
}

/** Port: removes objects; keys that are already gone are not an error. */
export interface IObjectRemover {
  deleteObjects(bucket: string, keys: readonly string[]): Promise<void>;
}

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/** The three ports on S3. */
export class S3ImageObjects implements IUploadPresigner, IDownloadPresigner, IObjectRemover {
  constructor(private readonly client: S3Client) {}

  async presignUpload({
    bucket,
    key,
    contentType,
    size,
    sha256,
    expiresInSeconds,
  }: UploadTarget): Promise<PresignedUpload> {
    // S3's additional checksums: with the algorithm and the value (base64) as signed fields, S3 computes the
    // checksum of what arrives and refuses the upload when it differs, so a declared sha256 cannot lie.
    const checksum: Record<string, string> =
      sha256 === undefined
        ? {}
        : {
            'x-amz-checksum-algorithm': 'SHA256',
            'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64'),
          };
    // createPresignedPost adds `{bucket}`, `{key}` and one eq condition per field to the policy itself.
    return createPresignedPost(this.client, {
      Bucket: bucket,
      Key: key,
      Fields: { 'Content-Type': contentType, ...checksum },
      Conditions: [['content-length-range', size, size]],
      Expires: expiresInSeconds,
    });
  }

  async presignDownload(bucket: string, key: string, expiresInSeconds: number, attachment?: string): Promise<string> {
    const disposition = attachment === undefined ? undefined : attachmentDisposition(attachment);
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: disposition }),
      { expiresIn: expiresInSeconds },
    );
  }

  async deleteObjects(bucket: string, keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      // S3 reports a missing key as deleted, so only real refusals (access, throttling) come back in Errors.
      const { Errors = [] } = await this.client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (Errors.length > 0) {
        const first = Errors[0];
        throw new ObjectDeleteError(
          `S3 refused to delete ${Errors.length} of ${batch.length} objects in ${bucket} (${first?.Key}: ${first?.Code})`,
        );
      }
    }
  }
}
