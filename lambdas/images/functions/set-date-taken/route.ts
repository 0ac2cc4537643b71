import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { TakenCorrectionSchema } from '../../../store/image-item';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `PUT /images/{id}/taken`: every variable it reads. */
export const SetDateTakenEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

/**
 * `YYYY-MM-DDTHH:MM[:SS]`, then `Z` or `±HH:MM` or nothing: ISO 8601 with its offset from UTC, or a local time alone,
 * as a camera records one (EXIF's date has no zone) when where it was taken is not known.
 */
const TAKEN_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * A date taken as the body gives it: the local date-time where it was taken and its offset (none for a local time
 * alone), split; else undefined.
 */
export function splitTakenAt(value: string): { takenAt: string; offset?: string } | undefined {
  const match = TAKEN_AT.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '00', offset] = match as unknown as string[];
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
  // Date.UTC rolls 31 February over into March: a real date comes back as it went in.
  const real =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === (mo as number) - 1 &&
    date.getUTCDate() === d &&
    (h as number) < 24 &&
    (mi as number) < 60 &&
    (s as number) < 60;
  const zone =
    offset === undefined || offset === 'Z' ? 0 : Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6));
  const zoneMinutes = offset === undefined || offset === 'Z' ? 0 : Number(offset.slice(4, 6));
  if (!real || zone > 14 * 60 || zoneMinutes >= 60 || (y as number) < 1800) return undefined;
  const takenAt = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  return offset === undefined ? { takenAt } : { takenAt, offset };
}

/** `PUT /images/{id}/taken` body: when the photo was taken, with its offset from UTC when it is known. */
export const DateTakenChangeSchema = z.strictObject(
  {
    takenAt: z
      .string({ error: 'must be a string' })
      .refine(
        (value) => splitTakenAt(value) !== undefined,
        'must be a date and time, with its offset from UTC as 2024-07-14T18:30:00+02:00 or 2024-07-14T16:30Z, or ' +
          'without one as 2024-07-14T18:30:00 (a local time, as cameras record it; from 1800, an offset at most ±14:00)',
      )
      .meta({
        description:
          'When the photo was taken, ISO 8601: the local time where it was taken and, when known, its offset from ' +
          'UTC (`2024-07-14T18:30:00+02:00`, `Z` for UTC); without an offset (`2024-07-14T18:30:00`) it is a local ' +
          'time of no known zone, as a camera records one. Seconds optional',
      }),
  },
  { error: 'must be a JSON object {takenAt}' },
);
export type DateTakenChange = z.output<typeof DateTakenChangeSchema>;

/** `PUT /images/{id}/taken` → 200: when the photo was taken now, and what its EXIF says. */
export const DateTakenAnswerSchema = z
  .object({
    imageId: z.string(),
    takenAt: z.string().meta({
      description:
        'When it was taken now, the local time (`YYYY-MM-DDTHH:MM:SS`): what the timeline and the date filters read',
    }),
    takenCorrection: TakenCorrectionSchema,
    exifTakenAt: z.string().optional().meta({
      description: "The photo's own EXIF date (the camera's clock), kept in its analysis; absent when it has none",
    }),
  })
  .meta({ id: 'ImageDateTaken' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/taken',
  operationId: 'set-date-taken',
  access: 'write',
  summary: 'Set when an image was taken: a local time, with its offset from UTC or none',
  description:
    "For a photo without an EXIF date (it sorts by its upload) or with a wrong one. Kept beside the photo's own EXIF " +
    'date (which stays in its analysis) and through re-analysis; the timeline (`sort=taken`), `takenAfter`, ' +
    '`takenBefore` and the `taken` year follow the local time it gives. Replaces any earlier one. Publishes ' +
    '`Image Updated`.',
  request: { path: ImageIdPathSchema, body: DateTakenChangeSchema },
  answers: { 200: { description: 'When it was taken now', body: DateTakenAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object, or `takenAt` not a real date and time (from 1800; an offset at most ±14:00)',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while it was being edited (try again)',
  },
});
