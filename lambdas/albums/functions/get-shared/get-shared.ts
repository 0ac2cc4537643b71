import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { RenditionSpec } from '../../../core/render/rendition';
import type { RenditionLimits } from '../../../core/render/rendition-spec';
import { openCursor, sealCursor } from '../../../renditions/share-scope';
import { signingKey } from '../../../renditions/signing-keys';
import { parseRenditionSpec } from '../../../renditions/spec';
import { type RenditionSigner, renderableImage, signRenditionUrl } from '../../../renditions/urls';
import { BadRequestError, NotFoundError } from '../../../shared/errors';
import { ShareGoneError, type ShareItem } from '../../../shares/share';
import { openShare } from '../../../shares/share-password';

export { ShareGoneError } from '../../../shares/share';

import type { ShareStore } from '../../../shares/share-store';
import { type ImageItem, isShown } from '../../../store/image-item';
import type { SharedSchema } from '../share-schemas';

/** The sizes a viewer gets: a grid's thumbnail and a full view, both inside a square, never enlarged. */
const THUMBNAIL = { w: 400, h: 400, fit: 'inside' } as const;
const VIEW = { w: 1600, h: 1600, fit: 'inside' } as const;

export interface SharedImage {
  /** The photo's id within the link (share-scope.ts): never the image id, which holds its upload time. */
  id: string;
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

/** An image of an album's page, as the page has it: its status and oriented size. */
export interface AlbumImage {
  imageId: string;
  status: string;
  width?: number;
  height?: number;
}

/**
 * A page of an album's images as its owner would see them (its visible members, in its order, each the owner's);
 * undefined: no album.
 */
export type AlbumImages = (
  album: { albumId: string; owner: string },
  asked: { limit: number; cursor?: string },
) => Promise<{ name: string; images: AlbumImage[]; cursor?: string } | undefined>;

/** What a shared image is made from: its oriented size. */
interface Source {
  imageId: string;
  width: number;
  height: number;
}

export interface GetSharedDeps {
  shares: Pick<ShareStore, 'get' | 'countView' | 'claimAttempt' | 'releaseAttempt'>;
  images: { get(imageId: string): Promise<ImageItem | undefined> };
  /** An album's page (lambdas/albums); without it an album's link is a 404. */
  albumImages?: AlbumImages;
  renditions: { signer: RenditionSigner; limits: RenditionLimits };
  /** Told why a view was not counted: the answer goes out anyway. */
  viewNotCounted(error: unknown): void;
  now?: () => Date;
}

/**
 * A link opened by anyone, signed in or not (a public route: no caller is read):
 * 1. a token that is no token, or that no link has, is a 404; a revoked or expired link a 410;
 * 2. a protected link: no password is a 401; an attempt is claimed, atomically, for the client (MAX_WRONG_PASSWORDS
 *    in a window) and for the link (MAX_LINK_ATTEMPTS), before scrypt runs: none left is a 429 (Retry-After: the
 *    window's end), the password unchecked; a right one gives its claims back, a wrong one keeps them (a 401);
 * 3. its images: the one image (its record), or a page of the album's (its owner's view of it, which has what a
 *    link shows); each must still be the link owner's and PROCESSED (one in the trash or the locked folder, or
 *    deleted, is left out; an album gone is a 404); a one-image link whose photo is in the trash or the locked folder
 *    is a 410, the same for both, so a viewer cannot tell which;
 * 4. each as two renditions and, only if the owner allowed it, its original, all three signed for this link: named by
 *    the link's id for the photo (never the image id, a time), expiring with the link, and checked against it by the
 *    render function on every request (revoked: 410), which serves them without metadata (no EXIF, no GPS) whatever
 *    the deployment's settings; nothing else of the record (no labels, place, dates, owner); the album's cursor
 *    sealed, as it names an image or a date;
 * 5. the first page counts a view, best effort, from the moment the link opens (beside 3 and 4, so a view waits for
 *    no count of its own): a failed count does not fail the view.
 */
export async function getShared(
  token: string,
  asked: { password?: string; client?: string; limit: number; cursor?: string },
  deps: GetSharedDeps,
): Promise<SharedAnswer> {
  const now = deps.now?.() ?? new Date();
  const share = await openShare(token, asked, now, deps);

  // Started now, beside the page's reads and signing rather than after them; awaited before answering (a function
  // frozen with a request in flight may lose it), its failure only told.
  const counted =
    asked.cursor === undefined ? deps.shares.countView(share).catch((error) => deps.viewNotCounted(error)) : undefined;
  const keys = await deps.renditions.signer.keys();
  const cursor = asked.cursor === undefined ? undefined : openCursor(asked.cursor, share.hash, keys.keys);
  if (asked.cursor !== undefined && cursor === undefined) throw new BadRequestError('cursor: not one this link gave');
  const page = await imagesOf(share, { ...asked, cursor }, deps);
  const items = await Promise.all(page.images.map((image) => sharedImage(image, share, deps)));
  await counted;
  return {
    kind: share.target.kind,
    title: page.title,
    allowDownload: share.allowDownload,
    ...(share.expiresAt !== undefined && { expiresAt: share.expiresAt }),
    items,
    ...(page.cursor !== undefined && { cursor: sealCursor(page.cursor, share.hash, signingKey(keys, now)) }),
  };
}

/**
 * The images a page shows, and its title: each still the link owner's and PROCESSED. An album's page says so of its
 * images; only to link their originals are their records read (by key).
 */
async function imagesOf(
  share: ShareItem,
  asked: { limit: number; cursor?: string },
  deps: GetSharedDeps,
): Promise<{ title: string; images: Source[]; cursor?: string }> {
  const { target } = share;
  const recorded = async (imageId: string): Promise<Source[]> => {
    const item = await deps.images.get(imageId);
    if (item && item.owner === share.owner && !isShown(item)) {
      throw new ShareGoneError("this link's photo is no longer shared");
    }
    if (!item || item.owner !== share.owner || item.status !== 'PROCESSED') return [];
    const image = renderableImage(item);
    return image ? [{ imageId, width: image.width, height: image.height }] : [];
  };
  if (target.kind === 'image') {
    // One image has one page: a cursor asks for nothing more.
    return { title: share.title, images: asked.cursor === undefined ? await recorded(target.imageId) : [] };
  }
  const album = await deps.albumImages?.({ albumId: target.albumId, owner: share.owner }, asked);
  if (!album) throw new NotFoundError('share link not found');
  const images = album.images.flatMap(({ imageId, status, width, height }) =>
    status === 'PROCESSED' && width && height ? [{ imageId, width, height }] : [],
  );
  return { title: album.name, images, ...(album.cursor !== undefined && { cursor: album.cursor }) };
}

/** Two renditions and, if allowed, the original, each signed for this link. */
async function sharedImage(source: Source, share: ShareItem, deps: GetSharedDeps): Promise<SharedImage> {
  const { signer, limits } = deps.renditions;
  const scope = { hash: share.hash, ...(share.expiresAt !== undefined && { until: share.expiresAt }) };
  const sign = (spec: RenditionSpec, download = false) =>
    signRenditionUrl(source.imageId, spec, signer, { ...scope, ...(download && { download }) });
  const [thumbnail, view, original] = await Promise.all([
    sign(parseRenditionSpec(THUMBNAIL, limits)),
    sign(parseRenditionSpec(VIEW, limits)),
    share.allowDownload ? sign(parseRenditionSpec({}, limits), true) : undefined,
  ]);
  return {
    // The path of any of its URLs: the link's id for the photo.
    id: new URL(thumbnail.url).pathname.split('/').pop() as string,
    width: source.width,
    height: source.height,
    thumbnailUrl: thumbnail.url,
    viewUrl: view.url,
    ...(original && { downloadUrl: original.url }),
  };
}
