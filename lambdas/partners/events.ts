import { z } from 'zod';
import { declareEvents } from '../events/declare';
import { EVENT_VERSION, EventIdSchema } from '../events/event-details';
import { OwnerSchema } from '../store/owner';

/*
 * An owner granted or revoked a partner's read access to their library (docs/api.md#partners). Each is published
 * twice, once for each owner (`owner`), so that the webhooks, which deliver an event to its `owner`'s endpoints, tell
 * both. The registry gathers them with every room's (lambdas/manifest/events.ts).
 */

export const PartnerDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  /** Whom this copy is for: the grantor or the partner (the webhooks deliver it to this owner's endpoints). */
  owner: OwnerSchema,
  /** Who shares their library. */
  grantor: OwnerSchema,
  /** Who may read it. */
  partner: OwnerSchema,
  /** Granted: only these albums of the grantor's; absent: the whole library (or from `from` on). */
  albums: z.array(z.string()).optional(),
  /** Granted: only photos taken from this moment on. */
  from: z.string().optional(),
  occurredAt: z.iso.datetime(),
  eventId: EventIdSchema,
});
export type PartnerDetail = z.infer<typeof PartnerDetailSchema>;

export const PARTNERS_EVENTS = declareEvents('partners', {
  partnerGranted: {
    detailType: 'Partner Granted',
    order: 13,
    hint: 'an owner shares their library with a partner, or changes what they share',
    when: '`POST /partners` ([api.md](api.md#partners)), once for the grantor and once for the partner',
    adds: 'not an image event: its detail is `{version, owner, grantor, partner, albums?, from?, occurredAt, eventId}`; `owner` is whom the copy is for (the grantor or the partner)',
    detail: PartnerDetailSchema,
  },
  partnerRevoked: {
    detailType: 'Partner Revoked',
    order: 14,
    hint: 'an owner stops sharing their library with a partner',
    when: '`DELETE /partners/{partner}`, once for each owner, when there was a grant',
    adds: 'the same detail as `Partner Granted`, without `albums` and `from`',
    detail: PartnerDetailSchema,
  },
});
