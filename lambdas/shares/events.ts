import { z } from 'zod';
import { declareEvents } from '../events/declare';
import { EVENT_VERSION, EventIdSchema } from '../events/event-details';
import { OwnerSchema } from '../store/owner';

/*
 * A share link was made or revoked by its owner (docs/api.md#share-links): create-share.ts and the albums'
 * revoke-share build them with `shareEvent`. The registry gathers them with every room's (lambdas/manifest/events.ts).
 */

/**
 * A share link's event's detail. Never the token, which is the link: `shareId` is the first 16 hex digits of its
 * SHA-256, which open nothing.
 */
export const ShareDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  shareId: z.string().regex(/^[0-9a-f]{16}$/),
  owner: OwnerSchema,
  kind: z.enum(['album', 'image']),
  /** The album shared (`kind: album`). */
  albumId: z.string().optional(),
  /** The image shared (`kind: image`). */
  imageId: z.string().optional(),
  /** When the link stops opening; absent: never (until revoked). */
  expiresAt: z.iso.datetime().optional(),
  /** It opens only with its password. */
  protected: z.boolean(),
  /** Its viewers may download the originals. */
  allowDownload: z.boolean(),
  occurredAt: z.iso.datetime(),
  /** The event's id (`eventIdOf`), as every event's. */
  eventId: EventIdSchema,
});
export type ShareDetail = z.infer<typeof ShareDetailSchema>;

export const SHARES_EVENTS = declareEvents('shares', {
  shareCreated: {
    detailType: 'Share Created',
    order: 11,
    hint: 'its owner makes a share link to an album or a photo',
    when: '`POST /albums/{id}/shares` or `POST /images/{id}/shares` ([api.md](api.md#share-links))',
    adds: "not an image event: its detail is `{version, shareId, owner, kind, albumId?, imageId?, expiresAt?, protected, allowDownload, occurredAt, eventId}`; `shareId` is the first 16 hex digits of the token's SHA-256, never the token (which opens the link); `kind` `album` or `image`, with its id",
    detail: ShareDetailSchema,
  },
  shareRevoked: {
    detailType: 'Share Revoked',
    order: 12,
    hint: 'its owner revokes a share link',
    when: '`DELETE /shares/{id}`, the first time',
    adds: 'the same detail as `Share Created`, `occurredAt` when it was revoked',
    detail: ShareDetailSchema,
  },
});
