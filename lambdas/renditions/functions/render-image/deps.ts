import type { Readable } from 'node:stream';
import type { Watermark } from '../../../core/render/rendition';
import type { RenditionLimits } from '../../../core/render/rendition-spec';
import type { RenditionPresets } from '../../../settings/renditions';
import type { ShareStore } from '../../../shares/share-store';
import type { ImageStore } from '../../../store/image-store';
import type { SigningKeySet } from '../../signing-keys';

/** A rendition's bytes: a stored object streamed as it is read, or one just made. */
export interface RenditionBody {
  body: Readable | Buffer;
  contentType: string;
  contentLength?: number;
}

/** The bucket, as far as renditions need it. */
export interface RenditionObjects {
  /**
   * The whole object, or undefined when there is none; in `bucket` (a backfilled original's own) when given. An
   * aborted `signal` stops the read (it rejects then).
   */
  read(key: string, options?: { bucket?: string; signal?: AbortSignal }): Promise<Buffer | undefined>;
  /** The object as a stream (a stored rendition, which may be larger than a response can buffer), or undefined. */
  open(key: string): Promise<RenditionBody | undefined>;
  write(key: string, data: Buffer, contentType: string): Promise<void>;
}

export interface RenderDeps {
  store: Pick<ImageStore, 'get'>;
  objects: RenditionObjects;
  /** The signing key set, cached (the secret is read at most every few minutes). */
  keys(): Promise<SigningKeySet>;
  /** A configured watermark by name, resolved to what the renderer draws. */
  watermark(name: string): Promise<Watermark>;
  now(): Date;
  /**
   * The share links, read on every request for a URL one handed out (share-scope.ts), and where a link's download
   * goes. Without them (a test of other URLs), a link's URL is refused (403).
   */
  shares?: SharedRenditionDeps;
}

/** What serving a share link's URLs needs besides what every rendition does. */
export interface SharedRenditionDeps {
  links: Pick<ShareStore, 'get'>;
  /**
   * A GET of an original (in `bucket`, a backfilled original's own, when given) as a download named `filename`,
   * presigned for `seconds`: a link's, redirected to once the link is checked.
   */
  presignDownload(key: string, options: { bucket?: string; seconds: number; filename: string }): Promise<string>;
}

export interface RenderConfig {
  limits: RenditionLimits;
  presets: RenditionPresets;
  /** Sources with more pixels are refused from their header (the `maxPixels` setting). */
  maxPixels: number;
  /**
   * The longest a URL this deployment issues lives (`renditionUrlTtlSeconds` + the expiry window): a URL expiring
   * later was not issued by the API, which bounds what a leaked retired key could sign.
   */
  maxLifetimeSeconds: number;
  /** `renditionsKeepGps`: a rendition carries its image record's `position` as EXIF GPS, and is keyed by it. */
  keepGps: boolean;
  /**
   * `renditionsKeepDigitalSourceType`: a rendition declares its image record's IPTC digital source type
   * (`provenance.digitalSourceType`) in XMP, and is keyed by it.
   */
  keepDigitalSourceType: boolean;
}
