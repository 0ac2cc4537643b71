import { z } from 'zod';
import { CropSchema } from '../core/crop';
import { RotationSchema } from '../core/options';
import { declareEvents } from '../events/declare';
import { IMAGE_DETAIL_BASE } from '../events/event-details';
import { ImageStatusSchema } from '../store/image-item';

/*
 * The events of an owner's edits (functions/correct-labels, functions/edit-api.ts build them). The registry gathers
 * them with every room's (lambdas/manifest/events.ts).
 */

/**
 * What an owner's edit may change (`Image Updated`'s `changed`): its tags, its date taken, whether a favourite, its
 * rotation and crop, whether archived (whose turned or cut pixels `Image Processed` announces once they are made again),
 * whether locked (lambdas/locked: its event carries nothing of the photo).
 */
export const IMAGE_EDITS = ['tags', 'takenAt', 'favourite', 'rotation', 'crop', 'archived', 'locked'] as const;
export type ImageEdit = (typeof IMAGE_EDITS)[number];

export const IMAGES_EVENTS = declareEvents('images', {
  labelsChanged: {
    detailType: 'Image Labels Changed',
    order: 5,
    hint: 'someone corrects an image’s labels',
    when: '`PATCH /images/{id}/labels`',
    adds: "`labels [{name, source}]`: the labels now (`source` `model` or `user`); `added`, `removed`: the names the request gave; `by?`: who changed them (the caller's owner id)",
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: ImageStatusSchema,
      /** The labels now, each with where it comes from: the model, or a person. These three absent: `locked`. */
      labels: z.array(z.object({ name: z.string(), source: z.enum(['model', 'user']) })).optional(),
      added: z.array(z.string()).optional(),
      removed: z.array(z.string()).optional(),
      /** Who changed them, when auth says (the caller's owner id). */
      by: z.string().optional(),
    }),
  },
  updated: {
    detailType: 'Image Updated',
    order: 7,
    hint: 'its owner changes an image’s tags, date taken, favourite or archive',
    when: "`PATCH /images/{id}/tags`, `PUT` or `DELETE /images/{id}/taken`, `PUT /images/{id}/favourite`, `PUT /images/{id}/rotation`, `PUT` or `DELETE /images/{id}/crop`, `PUT /images/{id}/archived`, `PUT /images/{id}/locked` (its owner's edits, [api.md](api.md#edits-tags-date-taken-favourite))",
    adds: "`changed`: what this edit changed, of `tags`, `takenAt`, `favourite`, `rotation`, `crop`, `archived`, `locked` (the turned or cut pixels follow with `Image Processed`); `tags` (the base's field) the tags now; `takenAt?`: when it was taken now (local time, `YYYY-MM-DDTHH:MM:SS`: the owner's date, else the EXIF one; absent: unknown), `takenOffset?`: the owner's date's offset from UTC (`+02:00`, `Z`; absent for an EXIF date or an owner's local time given without one); `favourite`; `rotation?`: the clockwise turn its owner asked for (0, 90, 180, 270; absent: never rotated); `crop?`: the part its owner keeps, `{left, top, width, height}` in fractions of the upright photo (`{0, 0, 1, 1}` once undone; absent: never cropped); `archived`: whether it is archived (out of the timeline); `locked?`: with `changed: [\"locked\"]`, whether it is in the locked folder now (a lock's event, of a locked photo, carries only which image, whose, when, `changed` and `by`; an unlock's no tags, metadata, dates, crop or rotation, and says `favourite` and `archived` false); `by?`: who changed it (the caller's owner id)",
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: ImageStatusSchema,
      /** What this edit changed. */
      changed: z.array(z.enum(IMAGE_EDITS)).min(1),
      /** When it was taken now (`YYYY-MM-DDTHH:MM:SS`, local time): its owner's date, else the EXIF one; absent: unknown. */
      takenAt: z.string().optional(),
      /**
       * The offset from UTC of an owner's date taken (`+02:00`, `Z`); absent for an EXIF date, which has none, and for
       * an owner's date given as a local time alone.
       */
      takenOffset: z.string().optional(),
      /** This and `archived` absent only for a locked photo's (`locked`: `changed` says what changed, not to what). */
      favourite: z.boolean().optional(),
      /** Clockwise quarter turns its owner asked for after the EXIF orientation; absent: never rotated. */
      rotation: RotationSchema.optional(),
      /** The part its owner keeps, in fractions of the upright photo; the whole once undone; absent: never cropped. */
      crop: CropSchema.optional(),
      /** Archived: out of its owner's timeline and default list (`PUT /images/{id}/archived`). */
      archived: z.boolean().optional(),
      /** A lock's or an unlock's (`changed: ["locked"]`): whether it is in the locked folder now. */
      locked: z.boolean().optional(),
      /** Who changed it, when auth says (the caller's owner id). */
      by: z.string().optional(),
    }),
  },
});
