import { z } from 'zod';
import { PlaceSchema } from '../core/place';
import { declareEvents } from '../events/declare';
import { IMAGE_DETAIL_BASE } from '../events/event-details';
import { ImageStatusSchema } from '../store/image-item';

/*
 * The event of an owner's place correction (functions/place-api.ts builds it): the image's place as the correction
 * leaves it (absent: none, as after a clear), and whether a correction now stands. Never the position (docs/places.md).
 * The registry gathers it with every room's (lambdas/manifest/events.ts).
 */

export const PLACES_EVENTS = declareEvents('places', {
  placeChanged: {
    detailType: 'Image Place Changed',
    order: 6,
    hint: 'someone corrects or clears where an image was taken',
    when: '`PUT` or `DELETE /images/{id}/place`',
    adds: '`place?`: the place now (names, `source`, `data`; absent: none), `corrected`: whether a correction stands, `by?`; never the position ([places.md](places.md#corrections))',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: ImageStatusSchema,
      place: PlaceSchema.optional(),
      /** Absent only for a locked photo's (`locked`). */
      corrected: z.boolean().optional(),
      /** Who changed it, when auth says (the caller's owner id). */
      by: z.string().optional(),
    }),
  },
});
