import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { RenditionSpec } from '../../../core/render/rendition';
import type { RenditionLimits } from '../../../core/render/rendition-spec';
import { parseRenditionSpec } from '../../../renditions/spec';
import { type RenditionSigner, renderableImage, signRenditionUrl } from '../../../renditions/urls';
import { AppError, NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../../../shared/errors';
import { type ImageItem, originalOf } from '../../../store/image-item';
import type { IDownloadPresigner } from '../../../store/image-objects';
import { isShareToken, tokenHash, verifyPassword } from '../../shares/secrets';
import { type ShareItem, stateOf } from '../../shares/share';
import type { ShareStore } from '../../shares/share-store';
import type { SharedSchema } from '../share-schemas';

/** A link that was revoked or has expired: it is known, and will not open again. */
export class ShareGoneError extends AppError {
  override readonly name = 'ShareGoneError';
  override readonly statusCode = 410;
}

/** Wrong passwords one link takes in a window before it answers 429 until the window ends. */
export const MAX_WRONG_PASSWORDS = 10;
export const PASSWORD_WINDOW_MS = 15 * 60_000;

/** The sizes a viewer gets: a grid's thumbnail and a full view, both inside a square, never enlarged. */
const THUMBNAIL = { w: 400, h: 400, fit: 'inside' } as const;
const VIEW = { w: 1600, h: 1600, fit: 'inside' } as const;

export interface SharedImage {
  imageId: string;
  width: number;
  height: number;
  thumbnailUrl: string;
  viewUrl: string;
  downloadUrl?: string;
}

export interface SharedAnswer {
  kind: 'album' | 'image';
  title: string;
  allowDownload: boolean;
  expiresAt?: string;
  items: SharedImage[];
  cursor?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<SharedAnswer, z.output<typeof SharedSchema>> = true;

/** A page of an album's images as its owner would see them (its visible members, in its order); undefined: no album. */
export type AlbumImages = (
  album: { albumId: string; owner: string },
  asked: { limit: number; cursor?: string },
) => Promise<{ name: string; imageIds: string[]; cursor?: string } | undefined>;

export interface GetSharedDeps {
  shares: Pick<ShareStore, 'get' | 'countView' | 'failures' | 'countFailure'>;
  images: { get(imageId: string): Promise<ImageItem | undefined> };
  /** An album's page (lambdas/albums); without it an album's link is a 404. */
  albumImages?: AlbumImages;
  renditions: { signer: RenditionSigner; limits: RenditionLimits };
  presigner: IDownloadPresigner;
  urlTtlSeconds: number;
  /** Told why a view was not counted: the answer goes out anyway. */
  viewNotCounted(error: unknown): void;
  now?: () => Date;
}

/**
 * A link opened by anyone, signed in or not (a public route: no caller is read):
 * 1. a token that is no token, or that no link has, is a 404; a revoked or expired link a 410;
 * 2. a protected link: no password is a 401; past MAX_WRONG_PASSWORDS wrong ones in the window a 429 (Retry-After:
 *    the window's end); a wrong one is counted, then a 401;
 * 3. its images: the one image, or a page of the album's (its owner's view of it); each must still be the link
 *    owner's and PROCESSED (one in the trash or deleted is left out, as an album is gone: 404);
 * 4. each as two signed renditions (no metadata: no EXIF, no GPS) and, only if the owner allowed it, a presigned
 *    GET of the original; nothing else of the record (no labels, place, dates, owner);
 * 5. the first page counts a view, best effort: a failed count does not fail the view.
 */
export async function getShared(
  token: string,
  asked: { password?: string; limit: number; cursor?: string },
  deps: GetSharedDeps,
): Promise<SharedAnswer> {
  if (!isShareToken(token)) throw new NotFoundError('share link not found');
  const hash = tokenHash(token);
  const share = await deps.shares.get(hash);
  if (!share) throw new NotFoundError('share link not found');
  const now = deps.now?.() ?? new Date();
  const state = stateOf(share, now);
  if (state !== 'active')
    throw new ShareGoneError(`this share link ${state === 'revoked' ? 'was revoked' : 'expired'}`);
  if (share.passwordHash !== undefined) await checkPassword(share, asked.password, now, deps);

  const page = await imagesOf(share, asked, deps);
  const items = (await Promise.all(page.images.map((image) => sharedImage(image, share, deps)))).flatMap((one) =>
    one ? [one] : [],
  );
  if (asked.cursor === undefined) {
    try {
      await deps.shares.countView(hash);
    } catch (error) {
      deps.viewNotCounted(error);
    }
  }
  return {
    kind: share.target.kind,
    title: page.title,
    allowDownload: share.allowDownload,
    ...(share.expiresAt !== undefined && { expiresAt: share.expiresAt }),
    items,
    ...(page.cursor !== undefined && { cursor: page.cursor }),
  };
}

async function checkPassword(
  share: ShareItem,
  password: string | undefined,
  now: Date,
  deps: GetSharedDeps,
): Promise<void> {
  if (password === undefined || password === '') {
    throw new UnauthenticatedError('this link is protected: send its password in X-Share-Password');
  }
  const start = Math.floor(now.getTime() / PASSWORD_WINDOW_MS) * PASSWORD_WINDOW_MS;
  const window = new Date(start).toISOString();
  const until = new Date(start + PASSWORD_WINDOW_MS);
  if ((await deps.shares.failures(share.hash, window)) >= MAX_WRONG_PASSWORDS) {
    const retryAfter = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    throw new TooManyRequestsError('too many wrong passwords for this link: try again later', retryAfter);
  }
  if (await verifyPassword(password, share.passwordHash as string)) return;
  await deps.shares.countFailure(share.hash, window, until);
  throw new UnauthenticatedError('wrong password for this link');
}

/** The records a page shows, still the link owner's and PROCESSED, and its title. */
async function imagesOf(
  share: ShareItem,
  asked: { limit: number; cursor?: string },
  deps: GetSharedDeps,
): Promise<{ title: string; images: ImageItem[]; cursor?: string }> {
  const { target } = share;
  const visible = (item: ImageItem | undefined): item is ImageItem =>
    item !== undefined && item.owner === share.owner && item.status === 'PROCESSED';
  if (target.kind === 'image') {
    // One image has one page: a cursor asks for nothing more.
    const item = asked.cursor === undefined ? await deps.images.get(target.imageId) : undefined;
    return { title: share.title, images: visible(item) ? [item] : [] };
  }
  const album = await deps.albumImages?.({ albumId: target.albumId, owner: share.owner }, asked);
  if (!album) throw new NotFoundError('share link not found');
  const items = await Promise.all(album.imageIds.map((imageId) => deps.images.get(imageId)));
  return {
    title: album.name,
    images: items.filter(visible),
    ...(album.cursor !== undefined && { cursor: album.cursor }),
  };
}

/** Two signed renditions and, if allowed, the original; undefined for a record with no renderable analysis. */
async function sharedImage(item: ImageItem, share: ShareItem, deps: GetSharedDeps): Promise<SharedImage | undefined> {
  const image = renderableImage(item);
  if (!image) return undefined;
  const { signer, limits } = deps.renditions;
  const sign = (spec: RenditionSpec) => signRenditionUrl(item.imageId, spec, signer);
  const [thumbnail, view] = await Promise.all([
    sign(parseRenditionSpec(THUMBNAIL, limits)),
    sign(parseRenditionSpec(VIEW, limits)),
  ]);
  const shared: SharedImage = {
    imageId: item.imageId,
    width: image.width,
    height: image.height,
    thumbnailUrl: thumbnail.url,
    viewUrl: view.url,
  };
  if (!share.allowDownload) return shared;
  const original = originalOf(item);
  // Named by the image id: the uploaded file's name may say more than its owner meant to share.
  const name = `${item.imageId}${/\.[A-Za-z0-9]{1,5}$/.exec(original.key)?.[0] ?? ''}`;
  const downloadUrl = await deps.presigner.presignDownload(original.bucket, original.key, deps.urlTtlSeconds, name);
  return { ...shared, downloadUrl };
}
