import { z } from 'zod';
import { flaggedOf } from '../core/moderation';
import { RotationSchema } from '../core/options';
import { PlaceSchema } from '../core/place';
import { QUALITY_FLAGS } from '../core/quality';
import { RejectionCodeSchema } from '../core/record';
import { CREDENTIAL_VALIDATIONS, PROVENANCE_SUMMARIES } from '../core/vocabulary';
import { type ImageItem, ImageStatusSchema, originalOf } from '../store/image-item';
import { OwnerSchema } from '../store/owner';
import { takenAtOf } from '../store/timeline-key';
import { MetadataSchema, TagsSchema } from '../store/upload-metadata';
import {
  EVENT_VERSION,
  EventIdSchema,
  eventIdOf,
  type ShareDetail,
  ShareDetailSchema,
  WebhookEndpointDisabledDetailSchema,
} from './event-details';
import { DETAIL_TYPES, type DetailType } from './vocabulary';

export {
  EVENT_VERSION,
  eventIdOf,
  type ShareDetail,
  ShareDetailSchema,
  WebhookEndpointDisabledDetailSchema,
} from './event-details';

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

const base = {
  version: z.literal(EVENT_VERSION),
  imageId: z.string(),
  bucket: z.string(),
  key: z.string(),
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
};

export const ImageProcessedDetailSchema = z.object({
  ...base,
  status: z.literal('PROCESSED'),
  summary: ImageSummarySchema,
});
export const ImageRejectedDetailSchema = z.object({
  ...base,
  status: z.literal('REJECTED'),
  rejection: z.object({ code: RejectionCodeSchema, message: z.string() }),
  summary: z.object({
    size: z.number().int().min(0),
    sha256: z.string().optional(),
    detectedFormat: z.string().optional(),
  }),
});
export const ImageFailedDetailSchema = z.object({
  ...base,
  status: z.literal('FAILED'),
  error: z.object({ code: z.string(), message: z.string() }),
  attempts: z.number().int().min(1),
});
export const ImageDeletedDetailSchema = z.object({
  ...base,
  /** The status the image had when it was deleted. */
  status: ImageStatusSchema,
});

/** `DELETE /images/{id}` with the trash on: the image is in the trash, restorable until `purgeAt`. */
export const ImageTrashedDetailSchema = z.object({
  ...base,
  status: z.literal('TRASHED'),
  /** The status it had, which a restore puts back. */
  trashedFrom: ImageStatusSchema.exclude(['TRASHED']),
  /** When the scheduled purge deletes it for good (then `Image Deleted` follows). */
  purgeAt: z.iso.datetime(),
});

/** `POST /images/{id}/restore`: the image is back, listed and searchable, with the status it had. */
export const ImageRestoredDetailSchema = z.object({
  ...base,
  status: ImageStatusSchema.exclude(['TRASHED']),
});

/** `PATCH /images/{id}/labels`: what a person changed, and the image's labels after it. */
export const ImageLabelsChangedDetailSchema = z.object({
  ...base,
  status: ImageStatusSchema,
  /** The labels now, each with where it comes from: the model, or a person. */
  labels: z.array(z.object({ name: z.string(), source: z.enum(['model', 'user']) })),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  /** Who changed them, when auth says (the caller's owner id). */
  by: z.string().optional(),
});

/**
 * `PUT` or `DELETE /images/{id}/place`: the image's place as its owner's correction leaves it (absent: none, as after
 * `cleared`), and whether a correction now stands. Never the position (docs/places.md).
 */
export const ImagePlaceChangedDetailSchema = z.object({
  ...base,
  status: ImageStatusSchema,
  place: PlaceSchema.optional(),
  corrected: z.boolean(),
  /** Who changed it, when auth says (the caller's owner id). */
  by: z.string().optional(),
});

/**
 * What an owner's edit may change (`Image Updated`'s `changed`): its tags, its date taken, whether a favourite, its
 * rotation (whose turned pixels `Image Processed` announces once they are made again).
 */
export const IMAGE_EDITS = ['tags', 'takenAt', 'favourite', 'rotation'] as const;
export type ImageEdit = (typeof IMAGE_EDITS)[number];

/**
 * `PATCH /images/{id}/tags`, `PUT /images/{id}/taken`, `PUT /images/{id}/favourite` or `PUT /images/{id}/rotation`:
 * what its owner changed, and the image as the edit leaves it (its tags are the base's `tags`).
 */
export const ImageUpdatedDetailSchema = z.object({
  ...base,
  status: ImageStatusSchema,
  /** What this edit changed. */
  changed: z.array(z.enum(IMAGE_EDITS)).min(1),
  /** When it was taken now (`YYYY-MM-DDTHH:MM:SS`, local time): its owner's date, else the EXIF one; absent: unknown. */
  takenAt: z.string().optional(),
  /** The offset from UTC of an owner's date taken (`+02:00`, `Z`); absent for an EXIF date, which has none. */
  takenOffset: z.string().optional(),
  favourite: z.boolean(),
  /** Clockwise quarter turns its owner asked for after the EXIF orientation; absent: never rotated. */
  rotation: RotationSchema.optional(),
  /** Who changed it, when auth says (the caller's owner id). */
  by: z.string().optional(),
});

/** A share link's event, validated, with its id (made from the link's `shareId` and when it happened). */
export function shareEvent(
  detailType: typeof DETAIL_TYPES.shareCreated | typeof DETAIL_TYPES.shareRevoked,
  fields: Omit<ShareDetail, 'version' | 'eventId'>,
): ImageEvent {
  const eventId = eventIdOf(detailType, fields.shareId, fields.occurredAt);
  return { detailType, detail: ShareDetailSchema.parse({ version: EVENT_VERSION, ...fields, eventId }) };
}

export const DETAIL_SCHEMAS = {
  [DETAIL_TYPES.processed]: ImageProcessedDetailSchema,
  [DETAIL_TYPES.rejected]: ImageRejectedDetailSchema,
  [DETAIL_TYPES.failed]: ImageFailedDetailSchema,
  [DETAIL_TYPES.deleted]: ImageDeletedDetailSchema,
  [DETAIL_TYPES.labelsChanged]: ImageLabelsChangedDetailSchema,
  [DETAIL_TYPES.placeChanged]: ImagePlaceChangedDetailSchema,
  [DETAIL_TYPES.updated]: ImageUpdatedDetailSchema,
  [DETAIL_TYPES.trashed]: ImageTrashedDetailSchema,
  [DETAIL_TYPES.restored]: ImageRestoredDetailSchema,
  [DETAIL_TYPES.webhookDisabled]: WebhookEndpointDisabledDetailSchema,
  [DETAIL_TYPES.shareCreated]: ShareDetailSchema,
  [DETAIL_TYPES.shareRevoked]: ShareDetailSchema,
  // Every declared event type has its schema (catalogue.ts declares the types): tsc refuses one without.
} as const satisfies Record<DetailType, z.ZodType>;

export type ImageEvent =
  | { detailType: typeof DETAIL_TYPES.processed; detail: z.infer<typeof ImageProcessedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.rejected; detail: z.infer<typeof ImageRejectedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.failed; detail: z.infer<typeof ImageFailedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.deleted; detail: z.infer<typeof ImageDeletedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.labelsChanged; detail: z.infer<typeof ImageLabelsChangedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.placeChanged; detail: z.infer<typeof ImagePlaceChangedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.updated; detail: z.infer<typeof ImageUpdatedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.trashed; detail: z.infer<typeof ImageTrashedDetailSchema> }
  | { detailType: typeof DETAIL_TYPES.restored; detail: z.infer<typeof ImageRestoredDetailSchema> }
  | {
      detailType: typeof DETAIL_TYPES.webhookDisabled;
      detail: z.infer<typeof WebhookEndpointDisabledDetailSchema>;
    }
  | { detailType: typeof DETAIL_TYPES.shareCreated | typeof DETAIL_TYPES.shareRevoked; detail: ShareDetail };

/** What an event is about, for messages and logs: its share link, its image, or its endpoint. */
export function subjectOf(event: Pick<ImageEvent, 'detail'>): string {
  const { detail } = event;
  if ('shareId' in detail) return detail.shareId;
  return 'imageId' in detail ? detail.imageId : detail.endpointId;
}

/** Port: where events go (EventBridge in AWS and in the local runner). */
export interface IEventPublisher {
  publish(event: ImageEvent): Promise<void>;
}

/**
 * The event a final item announces, or undefined for PENDING. Validated here, so a publisher can never send
 * a detail its committed JSON Schema would refuse. It happened when the record reached that state (its `updatedAt`
 * as stored), so every publication of it, a retry's too, is the same, id and all.
 */
export function eventForItem(item: ImageItem): ImageEvent | undefined {
  const occurredAt = item.updatedAt;
  const analysis = item.analysis;
  if (item.status === 'PROCESSED' && analysis?.status === 'PROCESSED') {
    const labels = [...(item.vision?.labels ?? [])].sort((a, b) => b.confidence - a.confidence).slice(0, 5);
    const detail = ImageProcessedDetailSchema.parse({
      ...detailBase(DETAIL_TYPES.processed, item, occurredAt),
      status: 'PROCESSED',
      summary: {
        width: analysis.metadata.width,
        height: analysis.metadata.height,
        format: analysis.metadata.format,
        size: analysis.size,
        sha256: analysis.hashes.sha256,
        phash: analysis.hashes.phash,
        dominantColor: analysis.dominantColor.hex,
        topLabels: labels.map(({ name, confidence }) => ({ name, confidence })),
        moderationFlagged: flaggedOf(item),
        duplicateOf: item.duplicateOf,
        quality: analysis.quality && { flags: analysis.quality.flags, sharpness: analysis.quality.sharpness },
        people: item.people && [...new Set(item.people.faces.map((face) => face.personId))],
        place: item.place,
        provenance: item.provenance && {
          summary: item.provenance.summary,
          validation: item.provenance.credentials?.validation,
        },
      },
    });
    return { detailType: DETAIL_TYPES.processed, detail };
  }
  if (item.status === 'REJECTED' && item.rejection) {
    const detectedFormat = analysis?.status === 'REJECTED' ? analysis.detectedFormat : undefined;
    const detail = ImageRejectedDetailSchema.parse({
      ...detailBase(DETAIL_TYPES.rejected, item, occurredAt),
      status: 'REJECTED',
      rejection: item.rejection,
      summary: { size: item.size ?? analysis?.size ?? 0, sha256: item.sha256, detectedFormat },
    });
    return { detailType: DETAIL_TYPES.rejected, detail };
  }
  if (item.status === 'FAILED') {
    const detail = ImageFailedDetailSchema.parse({
      ...detailBase(DETAIL_TYPES.failed, item, occurredAt),
      status: 'FAILED',
      error: item.error ?? { code: 'UNKNOWN', message: 'processing failed' },
      attempts: Math.max(1, item.attempts ?? 1),
    });
    return { detailType: DETAIL_TYPES.failed, detail };
  }
  return undefined;
}

export function deletedEvent(item: ImageItem, occurredAt: string): ImageEvent {
  const detail = ImageDeletedDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.deleted, item, occurredAt),
    status: item.status,
  });
  return { detailType: DETAIL_TYPES.deleted, detail };
}

/** `Image Trashed` of a record as the trash wrote it (status TRASHED, `trashedFrom` and `purgeAt` set). */
export function trashedEvent(item: ImageItem, occurredAt: string): ImageEvent {
  const detail = ImageTrashedDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.trashed, item, occurredAt),
    status: item.status,
    trashedFrom: item.trashedFrom,
    purgeAt: item.purgeAt,
  });
  return { detailType: DETAIL_TYPES.trashed, detail };
}

/** `Image Restored` of a record as the restore wrote it. */
export function restoredEvent(item: ImageItem, occurredAt: string): ImageEvent {
  const detail = ImageRestoredDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.restored, item, occurredAt),
    status: item.status,
  });
  return { detailType: DETAIL_TYPES.restored, detail };
}

export function labelsChangedEvent(
  item: ImageItem,
  change: {
    labels: Array<{ name: string; source: 'model' | 'user' }>;
    added: string[];
    removed: string[];
    by?: string;
  },
  occurredAt: string,
): ImageEvent {
  const detail = ImageLabelsChangedDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.labelsChanged, item, occurredAt),
    status: item.status,
    ...change,
  });
  return { detailType: DETAIL_TYPES.labelsChanged, detail };
}

/** `Image Place Changed` of a record as the place correction wrote it. */
export function placeChangedEvent(item: ImageItem, by: string | undefined, occurredAt: string): ImageEvent {
  const detail = ImagePlaceChangedDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.placeChanged, item, occurredAt),
    status: item.status,
    place: item.place,
    corrected: item.placeCorrection !== undefined,
    by,
  });
  return { detailType: DETAIL_TYPES.placeChanged, detail };
}

/** `Image Updated` of a record as an owner's edit wrote it: what changed, and the tags, date taken, favourite now. */
export function updatedEvent(
  item: ImageItem,
  changed: readonly ImageEdit[],
  by: string | undefined,
  occurredAt: string,
): ImageEvent {
  const detail = ImageUpdatedDetailSchema.parse({
    ...detailBase(DETAIL_TYPES.updated, item, occurredAt),
    status: item.status,
    changed,
    takenAt: takenAtOf(item),
    takenOffset: item.takenCorrection?.offset,
    favourite: item.favourite === true,
    rotation: item.rotation,
    by,
  });
  return { detailType: DETAIL_TYPES.updated, detail };
}

/**
 * What every event's detail says of its image: which one, whose, where, when, the event's id, and the client's tags
 * and metadata.
 */
function detailBase(detailType: DetailType, item: ImageItem, occurredAt: string) {
  return {
    version: EVENT_VERSION,
    imageId: item.imageId,
    owner: item.owner,
    // Where the original is: a backfilled image's own bucket.
    ...originalOf(item),
    occurredAt,
    eventId: eventIdOf(detailType, item.imageId, occurredAt),
    tags: item.tags,
    metadata: item.metadata,
  };
}
