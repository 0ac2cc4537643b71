import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OwnerSchema } from '../store/owner';
import { MetadataSchema, TagsSchema } from '../store/upload-metadata';
import { EVENT_ID_PATTERN } from './vocabulary';

/*
 * What every event's detail has, and what every image event's has: the rooms' declarations (lambdas/<room>/events.ts)
 * make their details' schemas of it.
 */

/** Version of every event's detail; bumped (with new schema files) on any breaking change. */
export const EVENT_VERSION = 1;

/**
 * An event's id, made from what it says happened: its type, its subject (the image, or the endpoint) and when that
 * happened (the time the record reached the state it announces). So every publication of one event, a retry's too,
 * has the same id, and a new state (a reprocess, a second correction) a new one: a subscriber drops a duplicate on
 * it. It is also the webhooks' `webhook-id` (docs/webhooks.md), and begins with the time, so ids sort in time order:
 * `msg_20261126T071502123Z_` and 20 hex digits.
 */
export function eventIdOf(detailType: string, subject: string, occurredAt: string): string {
  const hash = createHash('sha256').update(`${detailType}\n${subject}\n${occurredAt}`).digest('hex');
  return `msg_${new Date(occurredAt).toISOString().replace(/[-:.]/g, '')}_${hash.slice(0, 20)}`;
}

/**
 * The id field of every detail: always set by the builders; optional in the schema (added to version 1) only
 * because an event published before it, as the bus's archive may replay, has none.
 */
export const EventIdSchema = z.string().regex(EVENT_ID_PATTERN).optional();

/**
 * What every image event's detail says of its image: which one, whose, where, when, the event's id, the client's.
 * Of a photo in its owner's locked folder, no more than which, whose, when and the event's id (`withheldOf`).
 */
export const IMAGE_DETAIL_BASE = {
  version: z.literal(EVENT_VERSION),
  imageId: z.string(),
  /** Where its original is; absent (added in version 1: optional) when the photo is locked (`locked`). */
  bucket: z.string().optional(),
  key: z.string().optional(),
  occurredAt: z.iso.datetime(),
  /** The event's id (`eventIdOf`): the same on every publication of it, so a subscriber deduplicates on it. */
  eventId: EventIdSchema,
  /**
   * Who uploaded the image (a Cognito user's `sub`, an API client's name, `local`), for rules that route per tenant;
   * absent only for an image stored before owners existed (added in version 1: optional).
   */
  owner: OwnerSchema.optional(),
  /** The client's tags and metadata from the upload, when it gave any (added in version 1: optional). */
  tags: TagsSchema.optional(),
  metadata: MetadataSchema.optional(),
  /**
   * The photo is in its owner's locked folder (issue 80): the detail says which image, whose, when, its status and
   * what changed, and nothing of its content (no labels, text, faces, place, dates, sizes, hashes, tags, metadata,
   * location). Absent otherwise (added in version 1: optional).
   */
  locked: z.literal(true).optional(),
};

/**
 * The fields of an image event's own (beyond the base) that a locked photo's event keeps: what happened to it, not
 * what it shows. Every other field of a type is optional in its schema, or the type cannot be about a locked photo.
 */
export const WITHHELD_KEEPS = ['status', 'changed', 'by', 'trashedFrom', 'purgeAt', 'attempts'] as const;
