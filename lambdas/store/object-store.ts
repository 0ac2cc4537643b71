import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** An object's body as it arrives, for answering it without holding it all (a large rendition). */
export interface OpenedObject {
  body: Readable;
  contentType: string;
  contentLength?: number;
}

/** A stored object, or why it could not be read in full. */
export type ReadResult =
  | { kind: 'object'; bytes: Buffer; etag: string }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number; etag: string };

/** Where originals and thumbnails are read from and written to. */
export interface IObjectStore {
  /** Reads the object unless it is larger than `maxBytes` (then only its size and ETag are returned). */
  read(bucket: string, key: string, maxBytes: number): Promise<ReadResult>;
  write(bucket: string, key: string, bytes: Buffer, contentType: string): Promise<void>;
}

/** What S3 keeps of an object besides its bytes. */
export interface ObjectHead {
  /** Whole seconds: for a multipart upload, when the upload began, not when it completed. */
  lastModified: Date;
  etag: string;
  size: number;
}

/** Where an object's metadata is read without its body. */
export interface IObjectHeads {
  /** Undefined when there is no such object (with s3:ListBucket granted; without it S3 answers 403). */
  head(bucket: string, key: string): Promise<ObjectHead | undefined>;
}

/** Objects in S3, read with a byte limit (the body of a larger one is never buffered). */
export class S3ObjectStore implements IObjectStore, IObjectHeads {
  constructor(private readonly client: S3Client) {}

  async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    try {
      const object = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      if (!object.LastModified) throw new Error(`S3 gave no LastModified for ${bucket}/${key}`);
      return { lastModified: object.LastModified, etag: object.ETag ?? '', size: object.ContentLength ?? 0 };
    } catch (error) {
      // HeadObject has no body, so a missing key is a bare 404 ('NotFound'), not NoSuchKey.
      const name = (error as { name?: string }).name;
      if (name === 'NotFound' || name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /** `signal` stops the read, its body included, when what it reads is no longer wanted. */
  async read(bucket: string, key: string, maxBytes: number, signal?: AbortSignal): Promise<ReadResult> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      });
      const etag = object.ETag ?? '';
      const size = object.ContentLength ?? 0;
      if (size > maxBytes) {
        // Never buffer what the core would refuse anyway: let go of the body unread.
        (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { kind: 'too-large', size, etag };
      }
      const bytes = object.Body ? Buffer.from(await object.Body.transformToByteArray()) : Buffer.alloc(0);
      signal?.throwIfAborted();
      return { kind: 'object', bytes, etag };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return { kind: 'missing' };
      throw error;
    }
  }

  /** The object's body as a stream, or undefined when there is no such object. */
  async open(bucket: string, key: string): Promise<OpenedObject | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return {
        body: object.Body as Readable,
        contentType: object.ContentType ?? 'application/octet-stream',
        contentLength: object.ContentLength,
      };
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async write(bucket: string, key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: 'max-age=31536000, immutable',
      }),
    );
  }
}
