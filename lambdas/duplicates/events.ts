import { z } from 'zod';
import { declareEvents } from '../events/declare';
import { EVENT_VERSION, EventIdSchema } from '../events/event-details';
import { OwnerSchema } from '../store/owner';

/*
 * A near-duplicate cluster found (or grown) as a photo arrived, and one the owner resolved (docs/api.md#duplicates).
 * The registry gathers them with every room's (lambdas/manifest/events.ts).
 */

export const DuplicatesFoundDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  owner: OwnerSchema,
  clusterId: z.string(),
  /** Every photo of the cluster now, oldest id first. */
  imageIds: z.array(z.string()),
  /** The photos this change put in it: all of them for a new cluster, the one that arrived for a grown one. */
  added: z.array(z.string()),
  occurredAt: z.iso.datetime(),
  eventId: EventIdSchema,
});

export const DuplicatesResolvedDetailSchema = z.object({
  version: z.literal(EVENT_VERSION),
  owner: OwnerSchema,
  clusterId: z.string(),
  /** The photos kept: the first has what the owner gave the copies (tags, albums, favourite, place). */
  kept: z.array(z.string()),
  /** The copies moved to the trash (restorable as any trashed photo). */
  trashed: z.array(z.string()),
  occurredAt: z.iso.datetime(),
  eventId: EventIdSchema,
});

export const DUPLICATES_EVENTS = declareEvents('duplicates', {
  duplicatesFound: {
    detailType: 'Duplicates Found',
    order: 15,
    hint: 'photos of an owner found to be near-duplicates of each other',
    when: "a photo arrives near another of its owner's (re-encoded, resized, lightly cropped, watermarked): a cluster is made, or grows",
    adds: 'not an image event: its detail is `{version, owner, clusterId, imageIds, added, occurredAt, eventId}`',
    detail: DuplicatesFoundDetailSchema,
  },
  duplicatesResolved: {
    detailType: 'Duplicates Resolved',
    order: 16,
    hint: 'an owner kept the best of a cluster of near-duplicates and let the rest go',
    when: '`POST /duplicates/{id}/resolve` ([api.md](api.md#duplicates))',
    adds: 'not an image event: its detail is `{version, owner, clusterId, kept, trashed, occurredAt, eventId}`',
    detail: DuplicatesResolvedDetailSchema,
  },
});
