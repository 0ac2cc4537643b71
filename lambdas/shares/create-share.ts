import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import { eventOf, type IEventPublisher } from '../events/events';
import { BadRequestError, NotFoundError } from '../shared/errors';
import { type ImageItem, isShown } from '../store/image-item';
import type { Caller } from '../store/owner';
import { SHARES_EVENTS, type ShareDetail } from './events';
import { hashPassword, newShareToken, shareIdOf, tokenHash } from './secrets';
import {
  type ShareItem,
  type ShareRequest,
  type ShareTarget,
  type ShareUrlOf,
  type ShareView,
  toShareView,
} from './share';
import type { ShareStore } from './share-store';
import { MAX_SHARE_DAYS } from './table-design';

/** A link just made: its token and URL, answered this once, and the link as `GET /shares` lists it. */
export interface CreatedShare {
  token: string;
  url: string;
  share: ShareView;
}

export interface CreateShareDeps {
  shares: Pick<ShareStore, 'create'>;
  events: IEventPublisher;
  urlOf: ShareUrlOf;
  now?: () => Date;
}

/** An album, as far as sharing it needs: whose it is and its name. */
export interface ShareableAlbum {
  owner: string;
  name: string;
}

/**
 * A link to one of the caller's images: it must be theirs (another owner's, an admin's view of it included, is a
 * 404: a link shows its maker's images only), and not in the trash or the locked folder (isShown; a 404 too, as its
 * GET without an unlock token is, so the refusal tells no one without the PIN that it is locked).
 */
export async function shareImage(
  imageId: string,
  request: ShareRequest,
  caller: Caller,
  deps: CreateShareDeps & { images: { get(imageId: string): Promise<ImageItem | undefined> } },
): Promise<CreatedShare> {
  const image = await deps.images.get(imageId);
  if (!image || image.owner !== caller.owner || !isShown(image)) {
    throw new NotFoundError(`image ${imageId} not found`);
  }
  return createShare({ kind: 'image', imageId }, 'Photo', request, caller, deps);
}

/** A link to one of the caller's albums (another owner's is a 404, as for the image). */
export async function shareAlbum(
  albumId: string,
  request: ShareRequest,
  caller: Caller,
  deps: CreateShareDeps & { albums: { get(albumId: string): Promise<ShareableAlbum | undefined> } },
): Promise<CreatedShare> {
  const album = await deps.albums.get(albumId);
  if (!album || album.owner !== caller.owner) throw new NotFoundError(`album ${albumId} not found`);
  return createShare({ kind: 'album', albumId }, album.name, request, caller, deps);
}

/**
 * Make a link to a target the caller owns:
 * 1. check the expiry: in the future, at most MAX_SHARE_DAYS away (400 otherwise);
 * 2. a new token (256 random bits), the password's scrypt hash;
 * 3. put the link under the token's hash, without the token;
 * 4. publish `Share Created` (its `shareId`, never the token);
 * 5. answer the token, its URL and the link: the only time they are given (nothing kept could give them again).
 */
async function createShare(
  target: ShareTarget,
  title: string,
  request: ShareRequest,
  caller: Caller,
  deps: CreateShareDeps,
): Promise<CreatedShare> {
  const now = deps.now?.() ?? new Date();
  const expiresAt = request.expiresAt === undefined ? undefined : new Date(request.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new BadRequestError('expiresAt: must be in the future');
  if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_SHARE_DAYS * 86_400_000) {
    throw new BadRequestError(`expiresAt: must be at most ${MAX_SHARE_DAYS} days away`);
  }
  const token = newShareToken();
  const hash = tokenHash(token);
  const share: ShareItem = {
    hash,
    owner: caller.owner,
    target,
    title,
    createdAt: now.toISOString(),
    ...(expiresAt && { expiresAt: expiresAt.toISOString() }),
    ...(request.password !== undefined && { passwordHash: await hashPassword(request.password) }),
    allowDownload: request.allowDownload ?? false,
  };
  await deps.shares.create(share);
  await deps.events.publish(
    shareEvent(SHARES_EVENTS.shareCreated, {
      shareId: shareIdOf(hash),
      owner: share.owner,
      ...targetFields(target),
      ...(share.expiresAt !== undefined && { expiresAt: share.expiresAt }),
      protected: share.passwordHash !== undefined,
      allowDownload: share.allowDownload,
      occurredAt: share.createdAt,
    }),
  );
  return { token, url: deps.urlOf(token), share: toShareView({ ...share, views: 0 }, now) };
}

/** The event's `kind` and the id of what it shares. */
export function targetFields(target: ShareTarget) {
  return target.kind === 'album'
    ? { kind: 'album' as const, albumId: target.albumId }
    : { kind: 'image' as const, imageId: target.imageId };
}

/** A share link's event, validated, with its id (made from the link's `shareId` and when it happened). */
export function shareEvent(
  declaration: (typeof SHARES_EVENTS)['shareCreated' | 'shareRevoked'],
  fields: Omit<ShareDetail, 'version' | 'eventId'>,
) {
  const eventId = eventIdOf(declaration.detailType, fields.shareId, fields.occurredAt);
  return eventOf(declaration, { version: EVENT_VERSION, ...fields, eventId });
}
