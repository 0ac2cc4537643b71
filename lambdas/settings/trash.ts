import { z } from 'zod';
import { int } from './values';

/** The trash (docs/api.md, "Trash"): how long a deleted image can still be restored. */
export const TrashSettingsSchema = z.object({
  /**
   * Days a deleted image stays in the trash, restorable, before the scheduled purge deletes it for good (objects,
   * renditions, postings, vector, faces, record). 0: `DELETE /images/{id}` deletes at once, with no trash. Default 30.
   */
  trashDays: int().min(0).max(365).default(30),
});
export type TrashSettings = z.output<typeof TrashSettingsSchema>;
