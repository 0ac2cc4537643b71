import { type Caller, mayAccess } from '../../shared/caller';
import { NotFoundError } from '../../shared/errors';
import { type IDownloadPresigner, presignEach } from '../../shared/image-objects';
import type { ImageStore } from '../../shared/image-store';
import { type PublicImage, toPublicImage } from '../../shared/image-view';

export interface ImageUrls {
  /** The uploaded object; absent while the image is PENDING (nothing may have arrived yet). */
  original?: string;
  /** Thumbnail size (longest side, px) to URL; empty until the processor has written some. */
  thumbnails: Record<string, string>;
}

export type ImageDetail = PublicImage & { urls: ImageUrls };

export interface GetImageDeps {
  store: Pick<ImageStore, 'get'>;
  presigner: IDownloadPresigner;
  urlTtlSeconds: number;
}

/**
 * One image with short-lived download links:
 * 1. read the item (404 when there is none, or it is another owner's: the same answer, so ids reveal nothing);
 * 2. presign a GET for the original unless the image is still PENDING, and one per recorded thumbnail;
 * 3. answer the public view with `urls`.
 * Presigning is local signing, no S3 call, so the links are made whether or not the objects exist.
 */
export async function getImage(imageId: string, caller: Caller, deps: GetImageDeps): Promise<ImageDetail> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  const sign = (key: string) => deps.presigner.presignDownload(item.bucket, key, deps.urlTtlSeconds);
  const thumbnails = await presignEach(deps.presigner, item.bucket, item.thumbnails ?? {}, deps.urlTtlSeconds);
  const urls: ImageUrls = { thumbnails };
  if (item.status !== 'PENDING') urls.original = await sign(item.key);
  return { ...toPublicImage(item), urls };
}
