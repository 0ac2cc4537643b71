import { z } from 'zod';
import { int } from './values';

/** The locked folder (docs/api.md, "The locked folder"): how long an unlock opens it. */
export const LockedSettingsSchema = z.object({
  /**
   * Seconds an unlock token (`POST /locked/unlock`) opens its owner's locked folder, and the longest a rendition URL
   * of a locked photo lives. At most 12 hours, which the signing keys' rotation overlap covers. Default 600.
   */
  unlockTokenTtlSeconds: int().min(10).max(43_200).default(600),
});
export type LockedSettings = z.output<typeof LockedSettingsSchema>;
