import { z } from 'zod';
import { declareEvents } from '../events/declare';
import { IMAGE_DETAIL_BASE } from '../events/event-details';
import { ImageStatusSchema } from '../store/image-item';

/*
 * The events of the trash and the purge (trash-image.ts, purge-image.ts build them). The registry gathers them with
 * every room's (lambdas/manifest/events.ts).
 */

export const TRASH_EVENTS = declareEvents('trash', {
  deleted: {
    detailType: 'Image Deleted',
    order: 4,
    hint: 'an image is deleted',
    when: "`DELETE /images/{id}?permanently=true` (or with `trashDays` 0), `POST /trash/empty`'s and the schedule's purge",
    adds: '`status`: the status the image had (`TRASHED` for a purge)',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      /** The status the image had when it was deleted. */
      status: ImageStatusSchema,
    }),
  },
  trashed: {
    detailType: 'Image Trashed',
    order: 8,
    hint: 'an image is moved to the trash',
    when: '`DELETE /images/{id}` with the trash on',
    adds: '`status` `TRASHED`, `trashedFrom` (the status a restore puts back), `purgeAt`',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: z.literal('TRASHED'),
      /** The status it had, which a restore puts back. */
      trashedFrom: ImageStatusSchema.exclude(['TRASHED']),
      /** When the scheduled purge deletes it for good (then `Image Deleted` follows). */
      purgeAt: z.iso.datetime(),
    }),
  },
  restored: {
    detailType: 'Image Restored',
    order: 9,
    hint: 'an image is restored from the trash',
    when: '`POST /images/{id}/restore`',
    adds: '`status`: the status it is back with',
    detail: z.object({
      ...IMAGE_DETAIL_BASE,
      status: ImageStatusSchema.exclude(['TRASHED']),
    }),
  },
});
