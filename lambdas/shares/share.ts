import { z } from 'zod';
import { AppError } from '../shared/errors';
import { OwnerSchema } from '../store/owner';
import { shareIdOf } from './secrets';

/** What a link shows: one album (its visible images, as they are when it is opened) or one image. */
export const ShareTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('album'), albumId: z.string() }),
  z.object({ kind: z.literal('image'), imageId: z.string() }),
]);
export type ShareTarget = z.output<typeof ShareTargetSchema>;

/** A share link as the store keeps it (table-design.ts), less its keys. */
export const ShareItemSchema = z.object({
  /**
   * The token's SHA-256 (hex): the item's key. The token itself is never kept: it is answered once, when the link is
   * made, so a table read opens no link (an item an older version wrote with a `token` is read without it).
   */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  owner: OwnerSchema,
  target: ShareTargetSchema,
  /** The album's name when shared, or `Photo`. */
  title: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  passwordHash: z.string().optional(),
  allowDownload: z.boolean(),
  revokedAt: z.string().optional(),
});
export type ShareItem = z.output<typeof ShareItemSchema>;

/** A link with the times it was opened (its own item, table-design.ts: counted apart from the link). */
export type CountedShare = ShareItem & { views: number };

export type ShareState = 'active' | 'expired' | 'revoked';

/** Revoked first (its owner's act), then expired; otherwise it opens. */
export function stateOf(share: Pick<ShareItem, 'revokedAt' | 'expiresAt'>, now: Date): ShareState {
  if (share.revokedAt !== undefined) return 'revoked';
  if (share.expiresAt !== undefined && Date.parse(share.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

/**
 * A link as its owner sees it (`Share` in the OpenAPI document): never its token, its URL or its password's hash,
 * which no later read can give back; `shareId` names it (to revoke it, and in its events).
 */
export interface ShareView {
  shareId: string;
  kind: ShareTarget['kind'];
  albumId?: string;
  imageId?: string;
  title: string;
  /**
   * An image's link, in its owner's list: the photo's file name and smallest thumbnail as its record has them now.
   * Never on the link's own page, which says `Photo`: a file name may say more than its owner meant to share.
   */
  filename?: string;
  thumbnailUrl?: string;
  createdAt: string;
  expiresAt?: string;
  protected: boolean;
  allowDownload: boolean;
  views: number;
  revokedAt?: string;
  state: ShareState;
}

/** What making a link asks for (`ShareRequestSchema`, functions/share-schemas.ts, parses it). */
export interface ShareRequest {
  expiresAt?: string;
  password?: string;
  allowDownload?: boolean;
}

/** Where a link opens: the web app's shared page, or without a web app the API's `GET /shared/{token}`. */
export type ShareUrlOf = (token: string) => string;

export function toShareView(share: CountedShare, now: Date): ShareView {
  const { target } = share;
  return {
    shareId: shareIdOf(share.hash),
    kind: target.kind,
    ...(target.kind === 'album' ? { albumId: target.albumId } : { imageId: target.imageId }),
    title: share.title,
    createdAt: share.createdAt,
    ...(share.expiresAt !== undefined && { expiresAt: share.expiresAt }),
    protected: share.passwordHash !== undefined,
    allowDownload: share.allowDownload,
    views: share.views,
    ...(share.revokedAt !== undefined && { revokedAt: share.revokedAt }),
    state: stateOf(share, now),
  };
}

/** A link that was revoked or has expired: it is known, and will not open again (nor will any URL it handed out). */
export class ShareGoneError extends AppError {
  override readonly name = 'ShareGoneError';
  override readonly statusCode = 410;
}

/** Refused with a 410 unless the link is open now. */
export function assertOpen(share: Pick<ShareItem, 'revokedAt' | 'expiresAt'>, now: Date): void {
  const state = stateOf(share, now);
  if (state !== 'active')
    throw new ShareGoneError(`this share link ${state === 'revoked' ? 'was revoked' : 'expired'}`);
}
