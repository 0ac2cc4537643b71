import { z } from 'zod';
import { CropSchema } from '../core/crop';
import { ModerationPolicyOutcomeSchema } from '../core/moderation';
import { RotationSchema } from '../core/options';
import { PlaceCorrectionSchema, PlaceSchema, PositionSchema } from '../core/place';
import { ProvenanceSchema } from '../core/provenance';
import { AnalysisRecordSchema, RejectionCodeSchema } from '../core/record';
import { BoxSchema, VisionSchema } from '../core/vision-schema';
import { IMAGE_STATUSES } from '../core/vocabulary';
import { OwnerSchema } from './owner';
import { MetadataSchema, TagsSchema } from './upload-metadata';

/**
 * When its owner says the photo was taken (`PUT /images/{id}/taken`), kept beside the EXIF date of its analysis as
 * `placeCorrection` is beside the GPS: the local date-time where it was taken (`YYYY-MM-DDTHH:MM:SS`, as EXIF keeps
 * one, which the timeline and the date filters compare) and its offset from UTC (`Z` or `+02:00`) when its owner gave
 * one.
 */
export const TakenCorrectionSchema = z
  .object({
    takenAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    /** Absent: a local time of no known zone, as a camera records one (EXIF dates have none). */
    offset: z
      .string()
      .regex(/^(Z|[+-]\d{2}:\d{2})$/)
      .optional(),
    at: z.iso.datetime(),
    by: z.string().optional(),
  })
  .meta({ id: 'TakenCorrection' });
export type TakenCorrection = z.infer<typeof TakenCorrectionSchema>;

/**
 * PENDING: an upload URL was handed out, nothing arrived yet (expires with `expiresAt`).
 * PROCESSED / REJECTED: final for the object's current version (its ETag).
 * FAILED: every attempt failed; the message is in the DLQ and a redrive can still turn it PROCESSED.
 * TRASHED: deleted by its owner and kept until `purgeAt` (the `trashDays` setting), then purged; restore puts back
 * `trashedFrom` (store/image-trash.ts).
 */
export const ImageStatusSchema = z.enum(IMAGE_STATUSES);
export type ImageStatus = z.infer<typeof ImageStatusSchema>;

/** One image in the results table (see table-design.ts for the keys). */
export const ImageItemSchema = z.object({
  imageId: z.string(),
  entity: z.literal('IMAGE'),
  status: ImageStatusSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /**
   * Who uploaded it (a Cognito user's `sub`, an API client's name, or `local`): only they and admins see it. Set
   * with the upload URL, never changed; absent for an image stored before owners existed (admins only).
   */
  owner: OwnerSchema.optional(),
  /** Where the thumbnails and renditions are: the pipeline's bucket. */
  bucket: z.string(),
  /** The original's key, in `sourceBucket` when there is one, else in `bucket`. */
  key: z.string(),
  /**
   * The bucket the original lives in when it is not the pipeline's (a backfilled source bucket): the pipeline reads
   * it there and never writes or deletes it.
   */
  sourceBucket: z.string().optional(),
  /** What the client declared at upload; the analysis says what the bytes really are. */
  contentType: z.string().optional(),
  /** The client's filename, kept as metadata only: it is never part of a key. */
  filename: z.string().optional(),
  /**
   * The client's tags and metadata from the upload (checked, tags trimmed and unique); never part of a key. The tags
   * are its owner's to change since (`PATCH /images/{id}/tags`; `[]` once all are taken away, so that a processing
   * run, which keeps what the record has, cannot bring back the upload's).
   */
  tags: TagsSchema.optional(),
  metadata: MetadataSchema.optional(),
  /** ETag of the object version this item describes: a replayed event for the same version changes nothing. */
  etag: z.string().optional(),
  /** Bytes of the stored object. */
  size: z.number().int().min(0).optional(),
  sha256: z.string().optional(),
  /** The oldest earlier image with the same bytes. */
  duplicateOf: z.string().optional(),
  analysis: AnalysisRecordSchema.optional(),
  /**
   * The ANALYSIS_VERSION of the run that made this final state (also for a rejection with no analysis): a re-analysis
   * replaces the state only when it is older.
   */
  analysisVersion: z.string().optional(),
  /**
   * The backfill run that last re-analysed this version (a `reprocess` or `regroupFaces` run): a duplicated or
   * retried message of that run finds it done and skips it. Absent when no such run wrote the current state.
   */
  reprocessedBy: z.string().optional(),
  vision: VisionSchema.optional(),
  /**
   * What its owner's moderation policy did (lambdas/policy), applied after vision and provenance: whose policy
   * (`owner`, or the deployment's `default`), each rule the moderation labels or the provenance triggered, and whether
   * its thumbnails and renditions are blurred. Absent when no policy ran: no vision, and no provenance claim a rule
   * acts on.
   */
  moderationPolicy: ModerationPolicyOutcomeSchema.optional(),
  /**
   * Where the photo was taken (the EXIF GPS, or the owner's corrected position): personal data, so only the owner,
   * admins and partners the owner granted it to (docs/api.md#partners) see it, and no rendition carries it
   * (docs/places.md).
   */
  position: PositionSchema.optional(),
  /** Its place, named offline from `position` (lambdas/places), or as its owner named it. */
  place: PlaceSchema.optional(),
  /** What its owner said of its place (`PUT /images/{id}/place`): kept through re-analysis, as label corrections are. */
  placeCorrection: PlaceCorrectionSchema.optional(),
  /**
   * Where the picture comes from: its Content Credentials (C2PA) and the IPTC digital source type its XMP declares,
   * read at ingest, summed up in one word (lambdas/provenance, docs/provenance.md). Absent from records analysed
   * before provenance was read (`image-intel backfill --reprocess` reads it).
   */
  provenance: ProvenanceSchema.optional(),
  /**
   * When its owner says it was taken (`PUT /images/{id}/taken`): the timeline and the date search follow it rather
   * than the EXIF date, which stays in `analysis`; kept through re-analysis.
   */
  takenCorrection: TakenCorrectionSchema.optional(),
  /**
   * Its owner saved it from a share link (`POST /shared/{token}/save`): a copy of another owner's photo, analysed again
   * as its own, which names neither that owner nor that photo. Kept through re-analysis.
   */
  savedFrom: z
    .object({
      /** The link it was saved from, as its owner names it (`GET /shares`): 16 hex digits, which open nothing. */
      shareId: z.string().regex(/^[0-9a-f]{16}$/),
      savedAt: z.iso.datetime(),
      /**
       * `kept`: the link handed out the original, with its position, so the copy has it too; `removed`: the link
       * showed renditions only, which carry none, so the copy's GPS was emptied from its bytes before it was analysed.
       */
      position: z.enum(['kept', 'removed']),
    })
    .optional()
    .meta({ description: 'Saved from a share link: a copy of a shared photo, analysed again as its own' }),
  /** Its owner marked it a favourite (`PUT /images/{id}/favourite`); `false` once unmarked. Kept through re-analysis. */
  favourite: z.boolean().optional(),
  /**
   * Its owner archived it (`PUT /images/{id}/archived`): out of the timeline and the default lists, its list keys
   * filed under `ARCHIVED` (list-shards.ts); `false` or absent otherwise. Kept through re-analysis.
   */
  archived: z.boolean().optional(),
  /**
   * Its owner moved it into their locked folder (`PUT /images/{id}/locked`): absent from every read path but the
   * locked folder's, which asks for an unlock token (docs/api.md "The locked folder"); `false` or absent otherwise.
   * Kept through re-analysis.
   */
  locked: z.boolean().optional(),
  /**
   * The stack it is the primary of (lambdas/stacks): the one frame of a burst or a RAW+JPEG pair that the lists show,
   * with how many frames the stack has. Written by the stacks room only; kept through re-analysis.
   */
  stack: z.object({ id: z.string(), count: z.number().int().min(2) }).optional(),
  /**
   * The stack it is a frame of but not the primary (lambdas/stacks): its owner's list and timeline keys are filed
   * under `STACKED` (list-shards.ts), so the lists show the primary alone unless asked `stacked=expand`. Written by
   * the stacks room only; kept through re-analysis.
   */
  stackedIn: z.string().optional(),
  /**
   * With `stackedIn`: the stack's primary as it is now, so a search that finds this frame shows the stack once, as
   * its primary, without reading the stacks table. Every stacks-room transaction that changes the primary writes it
   * on every frame; a frame stacked before it was kept has none (a search then shows the frame itself).
   */
  stackPrimary: z.string().optional(),
  /**
   * Clockwise quarter turns its owner asked for after the EXIF orientation (`PUT /images/{id}/rotation`); `0` once
   * undone. Kept through re-analysis, which turns the pixels by it (`rotationApplied`).
   */
  rotation: RotationSchema.optional(),
  /** The turn the analysis, thumbnails and renditions were made with: behind `rotation` until the processor has run. */
  rotationApplied: RotationSchema.optional(),
  /**
   * The message that last sent the image to be analysed again for `rotation` (store/edit-ask.ts): a request for
   * the same turn sends none while it is on its way. Bookkeeping, not shown by the API; kept through re-analysis.
   */
  rotationSent: z.object({ at: z.iso.datetime(), token: z.string() }).optional(),
  /**
   * The part of the photo its owner keeps (`PUT /images/{id}/crop`), in fractions of the picture as its EXIF
   * orientation shows it, before `rotation` (core/crop.ts; the API shows it of the upright picture); the whole
   * picture (`{0, 0, 1, 1}`) once undone. Kept through re-analysis, which cuts the pixels to it (`cropApplied`).
   */
  crop: CropSchema.optional(),
  /** The crop the analysis, thumbnails and renditions were made with: behind `crop` until the processor has run. */
  cropApplied: CropSchema.optional(),
  /** As `rotationSent`, for `crop`: the message that last sent the image to be analysed again, cut. */
  cropSent: z.object({ at: z.iso.datetime(), token: z.string() }).optional(),
  /** Inference failed or was refused while the core analysis succeeded: the image is still PROCESSED. */
  visionError: z.object({ code: z.string(), message: z.string() }).optional(),
  /**
   * With search by meaning on: the space of the vector the index holds for this image (the model and its
   * dimensions, lambdas/search/meaning), so a change of model is seen and re-embedded.
   */
  embedding: z.object({ model: z.string(), dimension: z.number().int().positive() }).optional(),
  /** The image could not be embedded (the model refused it, or failed on the last attempt): it is still PROCESSED. */
  embeddingError: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Size (longest side) to S3 key. */
  thumbnails: z.record(z.string(), z.string()).optional(),
  /**
   * The `eager` rendition presets the processor made at ingest, preset name to S3 key (`renditions/<id>/...`, where
   * the render function finds them stored). A preset left out was not made here: it is rendered on first request.
   */
  eagerRenditions: z.record(z.string(), z.string()).optional(),
  /**
   * The JPEG copy the processor stored for renditions larger than the thumbnails hold (`renditionPageCopy`), at
   * `renditions/<id>/...`, of the picture as the thumbnails are (turned and cut): none when off, too small or blurred.
   */
  pageCopy: z
    .object({ key: z.string(), width: z.number().int().positive(), height: z.number().int().positive() })
    .optional(),
  /** Short hashes of the custom rendition specs signed for this image (store/rendition-quota.ts), held to a cap. */
  renditionSpecs: z.array(z.string()).optional(),
  rejection: z.object({ code: RejectionCodeSchema, message: z.string() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Processing attempts so far (SQS receive count of the last attempt). */
  attempts: z.number().int().min(0).optional(),
  /**
   * Labels people added or took away (`PATCH /images/{id}/labels`), kept beside the model's and never touched by
   * reprocessing: `added` are labels of source `user`; `removed` hides a model label from the image's labels.
   */
  labelCorrections: z
    .object({
      added: z.array(z.object({ name: z.string(), at: z.iso.datetime(), by: z.string().optional() })),
      removed: z.array(z.object({ name: z.string(), at: z.iso.datetime(), by: z.string().optional() })),
    })
    .optional(),
  /**
   * With face grouping on (docs/people.md): which person each described face of `vision.faces` joined, and how
   * many faces were not described (too small, over the cap). Ids only: a face descriptor is never kept here.
   */
  people: z
    .object({
      faces: z.array(
        z.object({
          face: z.number().int().min(0),
          personId: z.string(),
          /** A face its owner drew or named that the analysis did not describe: where it is. */
          box: BoxSchema.optional(),
        }),
      ),
      skipped: z.object({ tooSmall: z.number().int().min(0), overCap: z.number().int().min(0) }),
    })
    .optional(),
  /** The search terms the image's postings are filed under (search-terms.ts), as they were written. */
  indexedTerms: z.array(z.string()).optional(),
  /** Terms of an earlier version whose postings are still to be removed (cleared once they are). */
  unindexTerms: z.array(z.string()).optional(),
  /** True between writing a final status and publishing its event: a retry publishes it again. */
  eventPending: z.boolean().optional(),
  /** With `eventPending`: the SQS message whose run stored this version and is publishing its event. */
  eventPendingFrom: z.string().optional(),
  expiresAt: z.number().int().optional(),
  /** TRASHED only: the status it had, which a restore puts back. */
  trashedFrom: ImageStatusSchema.exclude(['TRASHED']).optional(),
  /** TRASHED only: when it was moved to the trash (also its `updatedAt`, which the list indexes project). */
  trashedAt: z.iso.datetime().optional(),
  /** TRASHED only: when the scheduled purge deletes it for good. */
  purgeAt: z.iso.datetime().optional(),
  /** TRASHED only: the purge has begun deleting it, so no restore may bring back a record whose objects are going. */
  purging: z.boolean().optional(),
});
export type ImageItem = z.infer<typeof ImageItemSchema>;

/**
 * Whether a read path other than the trash's or the locked folder's may show the image: not in the trash, not in the
 * locked folder. Every path that shows another room's image (albums, share links, search, similar, people, places,
 * partners) asks this of the record it read, whatever its own index says; a projection of it will do (`status` is
 * optional so that one read with a projection types).
 */
export function isShown(item: { status?: string; locked?: boolean }): boolean {
  return item.status !== 'TRASHED' && item.locked !== true;
}

/** When an edit's message was sent, and the request's token that sent it (`rotationSent`, `cropSent`). */
export type EditSent = NonNullable<ImageItem['rotationSent']>;

/** Where an image's original is: its own bucket for a backfilled source object, else the pipeline's. */
export function originalOf(item: Pick<ImageItem, 'bucket' | 'key' | 'sourceBucket'>): { bucket: string; key: string } {
  return { bucket: item.sourceBucket ?? item.bucket, key: item.key };
}

/**
 * What a processing run says of an image, beyond what the upload recorded: each final state writes these or
 * removes them (ImageStore.finalise), so nothing an earlier state said is left stale.
 */
/**
 * The objects the processor stored under `renditions/<id>/` at ingest, as the record names them: the eager presets
 * and the page copy. What takes the image's renditions back or away (a mid-run delete, stale renditions, a purge)
 * treats them as the record's.
 */
export function renditionsMadeAtIngest(item: Pick<ImageItem, 'eagerRenditions' | 'pageCopy'>): string[] {
  return [...Object.values(item.eagerRenditions ?? {}), ...(item.pageCopy ? [item.pageCopy.key] : [])];
}

export const PROCESSING_FIELDS = [
  'expiresAt',
  'rejection',
  'error',
  'duplicateOf',
  'analysis',
  'analysisVersion',
  'reprocessedBy',
  'vision',
  'moderationPolicy',
  // Derived from the EXIF GPS and the owner's correction on each run (the correction itself is not a processing field).
  'position',
  'place',
  'visionError',
  'embedding',
  'embeddingError',
  'sha256',
  'ownerSha256',
  // The date taken the timeline index projects (timeline-key.ts): gone with an analysis that found none.
  'takenAt',
  'size',
  'thumbnails',
  'eagerRenditions',
  'pageCopy',
  'attempts',
  'eventPending',
  'eventPendingFrom',
  'indexedTerms',
  'unindexTerms',
  // The turn this run's pixels were made with (absent: none); `rotation`, its owner's, is not a processing field.
  'rotationApplied',
  // Likewise the crop this run's pixels were cut to; `crop` is its owner's.
  'cropApplied',
  // The processor carries an image's people over when its faces stay where they were (processor/people.ts).
  'people',
] as const;
