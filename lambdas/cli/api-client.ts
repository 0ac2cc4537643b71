import { createHash } from 'node:crypto';
import { sniffFormat } from '../core/analysis/sniff';
import { FORMAT_MEDIA_TYPES } from '../core/vocabulary';
import type { UploadContentType } from '../settings';

/** What POST /uploads answers. */
export interface UploadTicket {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
  expiresAt: string;
}

/** An image as GET /images/{id} answers it (the fields a client usually reads; the rest passes through). */
export interface ImageView {
  imageId: string;
  status: 'PENDING' | 'PROCESSED' | 'REJECTED' | 'FAILED';
  /** The uploaded file's name, when the upload gave one. */
  filename?: string;
  urls?: { original?: string; thumbnails?: Record<string, string> };
  /** A PROCESSED image's signed rendition URL per preset. */
  renditions?: Record<string, SignedRenditionUrl & { publicUrl?: string }>;
  [field: string]: unknown;
}

/** A rendition URL as the API signs it: the URL and when it stops working (ISO 8601). */
export interface SignedRenditionUrl {
  url: string;
  expiresAt: string;
}

/** What `GET /images/{id}/similar` answers: the owner's images within `maxDistance`, nearest first. */
export interface SimilarPage {
  imageId: string;
  maxDistance: number;
  items: Array<{ imageId: string; distance: number; duplicate: boolean }>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `GET /images`' query: the list's `status`, `limit`, `cursor`, `owner` and any search filter (docs/api.md); an
 * array sends the parameter once per value (`{ label: ['cat', 'dog'] }` is `label=cat&label=dog`).
 */
export type ListQuery = Record<string, string | number | readonly (string | number)[] | undefined>;

/** What the list answers for each image: a summary (with filters, also dimensions, colour, top labels). */
export interface ImageSummary {
  imageId: string;
  status: ImageView['status'];
  [field: string]: unknown;
}

// A Live Photo's MOV is no image format, but it is uploaded beside its still (lambdas/live).
const FORMAT_TYPES: Record<string, UploadContentType> = { ...FORMAT_MEDIA_TYPES, mov: 'video/quicktime' };

const EXTENSION_FORMATS: Record<string, string> = { jpg: 'jpeg', jpeg: 'jpeg', tif: 'tiff', heif: 'heic' };

/**
 * The content type to declare: from the bytes' magic numbers, else from the file name's extension (so that a
 * file which is not what its name says still reaches the pipeline and gets a REJECTED record saying so).
 */
export function contentTypeOf(bytes: Buffer, filename?: string): UploadContentType | undefined {
  const extension = filename?.split('.').pop()?.toLowerCase() ?? '';
  const format = sniffFormat(bytes) ?? EXTENSION_FORMATS[extension] ?? extension;
  return FORMAT_TYPES[format];
}

/**
 * A client of the image API: the two-step upload (ask for a presigned POST, then POST the bytes straight to S3)
 * and the query routes. Used by `image-intel upload`, the end-to-end suite and the load test.
 */
/** What the client says about an upload; the API checks tags and metadata (docs/api.md). */
export interface UploadOptions {
  contentType?: string;
  filename?: string;
  tags?: string[];
  metadata?: Record<string, string>;
}

/** Answers of a GET worth asking again: throttled, or a function that timed out or was not ready. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const GET_ATTEMPTS = 3;
const RETRY_BASE_MS = 500;

export class ImageApiClient {
  constructor(
    private readonly baseUrl: string,
    /** `bearerToken`: a JWT (a Cognito ID token, a local runner's), sent as `Authorization: Bearer <token>`. */
    /** `unlockToken`: sent as `X-Unlock-Token` (the locked folder: `POST /locked/unlock` answers one). */
    private readonly options: { apiKey?: string; bearerToken?: string; unlockToken?: string } = {},
  ) {}

  /** Ask for an upload URL for `bytes`, send them to S3, and return the new image id. */
  async upload(bytes: Buffer, options: UploadOptions = {}): Promise<string> {
    const contentType = options.contentType ?? contentTypeOf(bytes, options.filename) ?? 'application/octet-stream';
    const ticket = (await this.call('POST', '/uploads', {
      contentType,
      size: bytes.length,
      filename: options.filename,
      tags: options.tags,
      metadata: options.metadata,
    })) as UploadTicket;
    await postToS3(ticket, bytes);
    return ticket.imageId;
  }

  /**
   * The same, declaring the bytes' SHA-256: with `duplicates` `skip` (the default), bytes the caller already has are
   * not sent (the API answers which image has them, and stores nothing); with `keep`, they are uploaded anyway. S3
   * refuses bytes whose checksum is not the declared one.
   */
  async uploadUnlessDuplicate(
    bytes: Buffer,
    options: UploadOptions & { duplicates?: 'skip' | 'keep' } = {},
  ): Promise<{ imageId: string } | { duplicateOf: string }> {
    const contentType = options.contentType ?? contentTypeOf(bytes, options.filename) ?? 'application/octet-stream';
    const answer = (await this.call('POST', '/uploads', {
      contentType,
      size: bytes.length,
      filename: options.filename,
      tags: options.tags,
      metadata: options.metadata,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      duplicates: options.duplicates ?? 'skip',
    })) as UploadTicket | { duplicateOf: string };
    if ('duplicateOf' in answer) return { duplicateOf: answer.duplicateOf };
    await postToS3(answer, bytes);
    return { imageId: answer.imageId };
  }

  async get(imageId: string): Promise<ImageView | undefined> {
    try {
      return (await this.call('GET', `/images/${encodeURIComponent(imageId)}`)) as ImageView;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** One page of `GET /images`: the plain list, or a search when `query` holds filters. */
  async list(query: ListQuery = {}): Promise<{ items: ImageSummary[]; cursor?: string }> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      for (const one of [value ?? []].flat()) params.append(name, String(one));
    }
    const suffix = params.size > 0 ? `?${params}` : '';
    return (await this.call('GET', `/images${suffix}`)) as { items: ImageSummary[]; cursor?: string };
  }

  /** The owner's images that look like this one (`GET /images/{id}/similar`), nearest first. */
  async similar(imageId: string, query: { maxDistance?: number; limit?: number } = {}): Promise<SimilarPage> {
    const params = new URLSearchParams();
    if (query.maxDistance !== undefined) params.set('maxDistance', String(query.maxDistance));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const suffix = params.size > 0 ? `?${params}` : '';
    return (await this.call('GET', `/images/${encodeURIComponent(imageId)}/similar${suffix}`)) as SimilarPage;
  }

  /** A signed URL for a rendition of the image (`POST /images/{id}/renditions`, the spec as JSON). */
  async rendition(imageId: string, spec: Record<string, unknown>): Promise<SignedRenditionUrl> {
    return (await this.call('POST', `/images/${encodeURIComponent(imageId)}/renditions`, spec)) as SignedRenditionUrl;
  }

  /**
   * With the trash on, moves the image there (restorable until its purge date); `permanently`: deletes it now, as
   * a deployment without the trash does.
   */
  async delete(imageId: string, options: { permanently?: boolean } = {}): Promise<void> {
    const query = options.permanently ? '?permanently=true' : '';
    await this.call('DELETE', `/images/${encodeURIComponent(imageId)}${query}`);
  }

  /** Take an image out of the trash. */
  async restore(imageId: string): Promise<{ imageId: string; status: string }> {
    return (await this.call('POST', `/images/${encodeURIComponent(imageId)}/restore`)) as {
      imageId: string;
      status: string;
    };
  }

  /** Hand the caller's whole trash to the purge. */
  async emptyTrash(): Promise<{ emptying: true; before: string }> {
    return (await this.call('POST', '/trash/empty')) as { emptying: true; before: string };
  }

  /** Poll until the image is PROCESSED, REJECTED or FAILED, or the deadline passes. */
  async waitForFinal(imageId: string, timeoutMs = 60_000, intervalMs = 250): Promise<ImageView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const image = await this.get(imageId);
      if (image && image.status !== 'PENDING') return image;
      if (Date.now() > deadline) {
        throw new Error(`image ${imageId} still ${image?.status ?? 'unknown'} after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /**
   * One API call; any non-2xx answer becomes an ApiError carrying the API's message. A GET answered 429, 502, 503 or
   * 504 (throttled, or a function that timed out or was not ready) is sent again after a short backoff, twice at
   * most, as the AWS SDKs retry: it reads, so asking again changes nothing.
   */
  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(method, path, body, extra);
      } catch (error) {
        const retryable = error instanceof ApiError && RETRYABLE_STATUSES.has(error.status);
        if (method !== 'GET' || !retryable || attempt >= GET_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_BASE_MS * 2 ** (attempt - 1) * (1 + Math.random())));
      }
    }
  }

  private async callOnce(method: string, path: string, body: unknown, extra: Record<string, string>): Promise<unknown> {
    const headers: Record<string, string> = { ...extra, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.apiKey) headers['x-api-key'] = this.options.apiKey;
    if (this.options.bearerToken) headers.authorization = bearer(this.options.bearerToken);
    if (this.options.unlockToken) headers['x-unlock-token'] = this.options.unlockToken;
    const response = await fetch(new URL(path.replace(/^\//, ''), withSlash(this.baseUrl)), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, `${method} ${path}: ${response.status} ${messageOf(text)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

/** What a refusal's body says: the API's `message`, or the body itself when it is no JSON or has none. */
export function messageOf(text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text; // not JSON: keep the text
  }
}

/** The browser-style multipart POST the presigned policy was made for: its fields, then the file last. */
export async function postToS3(ticket: UploadTicket, bytes: Buffer): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.upload.fields)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(bytes)]));
  const response = await fetch(ticket.upload.url, { method: 'POST', body: form });
  if (!response.ok) {
    throw new ApiError(
      response.status,
      `S3 refused the upload: ${response.status} ${(await response.text()).slice(0, 300)}`,
    );
  }
}

/** `Bearer <token>`; a value that already says `Bearer` is kept as it is. */
/** `Bearer <token>`, whether or not the token came with it. */
export function bearer(token: string): string {
  return /^Bearer /i.test(token) ? token : `Bearer ${token}`;
}

/** fetch says `fetch failed`; the cause says why (`connect ECONNREFUSED 127.0.0.1:3000`, or only a code). */
export function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message || ((cause as NodeJS.ErrnoException).code ?? cause.name);
  return error instanceof Error ? error.message : String(error);
}

/**
 * An API call's failure in one line: the API's own words for what it answered (`GET /images: 400 color: must be one
 * of ...`, without the query string, which is the user's own or a cursor), else why it could not be reached.
 */
export function failureOf(error: unknown, api: string): string {
  // An encoded query has no space, so the path ends at the first `: `.
  if (error instanceof ApiError) return error.message.replace(/^(\S+ [^\s?]*)\?\S*?(?=: )/, '$1');
  // By name: fetch's TypeError may come from another realm (a test runner's).
  if ((error as Error)?.name === 'TypeError' && (error as Error).message === 'fetch failed') {
    return `cannot reach ${api}: ${reasonOf(error)}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
