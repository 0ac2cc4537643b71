import { z } from 'zod';
import { OwnerSchema } from '../store/owner';

/** What a link shows: one album (its visible images, as they are when it is opened) or one image. */
export const ShareTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('album'), albumId: z.string() }),
  z.object({ kind: z.literal('image'), imageId: z.string() }),
]);
export type ShareTarget = z.output<typeof ShareTargetSchema>;

/** A share link as the store keeps it (table-design.ts), less its keys. */
export const ShareItemSchema = z.object({
  /** The token's SHA-256 (hex): the item's key. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Kept so its owner can copy the link again from `GET /shares`; the key is the hash, so a key alone opens nothing. */
  token: z.string(),
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

/** A link as its owner sees it (`Share` in the OpenAPI document): never its password's hash. */
export interface ShareView {
  token: string;
  url: string;
  kind: ShareTarget['kind'];
  albumId?: string;
  imageId?: string;
  title: string;
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

export function toShareView(share: CountedShare, urlOf: ShareUrlOf, now: Date): ShareView {
  const { target } = share;
  return {
    token: share.token,
    url: urlOf(share.token),
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
