import { z } from 'zod';
import { PlaceSchema } from '../core/place';
import { QUALITY_FLAGS } from '../core/quality';
import { RejectionCodeSchema } from '../core/record';
import { CREDENTIAL_VALIDATIONS, PROVENANCE_SUMMARIES } from '../core/vocabulary';
import { declareEvents } from '../events/declare';
import { IMAGE_DETAIL_BASE } from '../events/event-details';

/*
 * The events the processor publishes when an upload reaches its final state (its publish step builds them,
 * functions/processor/steps/publish.ts). The registry gathers them with every room's (lambdas/manifest/events.ts).
 */

const hex = z.string().regex(/^#[0-9a-f]{6}$/);

/** What a subscriber most often needs, so it rarely has to read the record. */
export const ImageSummarySchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  format: z.string(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  phash: z.string().regex(/^[0-9a-f]{16}$/),
  dominantColor: hex,
  /** Up to five labels, most confident first; empty when no inference ran. */
  topLabels: z.array(z.object({ name: z.string(), confidence: z.number().min(0).max(1) })).max(5),
  /**
   * Whether its owner's moderation policy flagged it, on vision's categories or provenance's (`flaggedOf`): true with
   * no vision too when provenance's did; absent when nothing checked it.
   */
  moderationFlagged: z.boolean().optional(),
  duplicateOf: z.string().optional(),
  /**
   * The core's quality flags and sharpness (the record has every score); absent for an analysis made before
   * analysis version 1.1.0 (added in version 1: optional).
   */
  quality: z.object({ flags: z.array(z.enum(QUALITY_FLAGS)), sharpness: z.number().min(0) }).optional(),
  /**
   * With face grouping on (docs/people.md): the people the image's faces joined, each id once, as grouped (a person
   * merged later answers under its new id in the API). Absent when grouping did not run (added in version 1: optional).
   */
  people: z.array(z.string()).optional(),
  /**
   * Where the photo was taken, named (docs/places.md); absent when it has no position or its owner cleared it. Never
   * the position itself: that is personal data only the record holds (added in version 1: optional).
   */
  place: PlaceSchema.optional(),
  /**
   * Where the image comes from (docs/provenance.md): its summary, and when it has Content Credentials whether they
   * check (`invalid`: altered since signed). Absent for an analysis made before 1.3.0 (added in version 1: optional).
   */
  provenance: z
    .object({ summary: z.enum(PROVENANCE_SUMMARIES), validation: z.enum(CREDENTIAL_VALIDATIONS).optional() })
    .optional(),
});

export const INGEST_EVENTS = declareEvents('ingest', {
  processed: {
    detailType: 'Image Processed',
    order: 1,
    hint: 'an image is analysed and ready',
    when: "the image was analysed (and vision ran, or the record's `visionError` says why not)",
    adds: "`summary`: `width`, `height`, `format`, `size`, `sha256`, `phash`, `dominantColor`, `topLabels` (up to 5, most confident first; empty without vision), `moderationFlagged?` (its owner's moderation policy flagged it, on vision's categories or provenance's `AI Generated` and `Tampered Credentials`, which flag it with no vision too; absent when nothing checked it, [vision.md](vision.md#moderation-a-policy-per-owner)), `duplicateOf?`, `quality?` (`flags` and `sharpness`; from analysis 1.1.0), `people?` (with face grouping on: the ids of the people the image's faces joined, each once, as grouped; a person merged later answers under its new id in `GET /people/{id}`); `place?`: where it was taken, names only, never the position ([places.md](places.md#in-the-pipeline)); `provenance?`: where the image comes from, `summary` (`ai-generated`, `ai-edited`, `camera`, `edited`, `unknown`) and, when it has Content Credentials, `validation` (`valid`, `untrusted`, `invalid`: altered since signed, never trusted), from analysis 1.3.0 ([provenance.md](provenance.md))",
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: z.literal('PROCESSED'),
      /** Absent only for a locked photo's (`locked`: its content withheld). */
      summary: ImageSummarySchema.optional(),
    }),
  },
  rejected: {
    detailType: 'Image Rejected',
    order: 2,
    hint: 'an upload is not an image the pipeline takes',
    when: 'the input is unacceptable (never retried)',
    adds: '`rejection {code, message}`, `summary {size, sha256?, detectedFormat?}`',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: z.literal('REJECTED'),
      /** This and `summary` absent only for a locked photo's (`locked`). */
      rejection: z.object({ code: RejectionCodeSchema, message: z.string() }).optional(),
      summary: z
        .object({
          size: z.number().int().min(0),
          sha256: z.string().optional(),
          detectedFormat: z.string().optional(),
        })
        .optional(),
    }),
  },
  failed: {
    detailType: 'Image Failed',
    order: 3,
    hint: 'processing an image failed',
    when: 'every attempt failed; the message is in the DLQ',
    adds: '`error {code, message}`, `attempts`',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: z.literal('FAILED'),
      /** Absent only for a locked photo's (`locked`: a message may name its key). */
      error: z.object({ code: z.string(), message: z.string() }).optional(),
      attempts: z.number().int().min(1),
    }),
  },
});
