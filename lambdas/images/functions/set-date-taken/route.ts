import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { TakenCorrectionSchema } from '../../../store/image-item';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `PUT /images/{id}/taken`: every variable it reads. */
export const SetDateTakenEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

/** `YYYY-MM-DDTHH:MM[:SS]` then `Z` or `±HH:MM`: ISO 8601 with its offset from UTC. */
const TAKEN_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})$/;

/** A date taken as the body gives it: the local date-time where it was taken and its offset, split; else undefined. */
export function splitTakenAt(value: string): { takenAt: string; offset: string } | undefined {
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
  const zone = offset === 'Z' ? 0 : Number(offset?.slice(1, 3)) * 60 + Number(offset?.slice(4, 6));
  if (!real || zone > 14 * 60 || Number(offset?.slice(4, 6)) >= 60 || (y as number) < 1800) return undefined;
  return { takenAt: `${year}-${month}-${day}T${hour}:${minute}:${second}`, offset: offset as string };
}

/** `PUT /images/{id}/taken` body: when the photo was taken, with its offset from UTC. */
export const DateTakenChangeSchema = z.strictObject(
  {
    takenAt: z
      .string({ error: 'must be a string' })
      .refine(
        (value) => splitTakenAt(value) !== undefined,
        'must be a date and time with its offset from UTC, as 2024-07-14T18:30:00+02:00 or 2024-07-14T16:30Z (from 1800, the offset at most ±14:00)',
      )
      .meta({
        description:
          'When the photo was taken, ISO 8601 with its offset from UTC: the local time where it was taken and ' +
          'that offset (`2024-07-14T18:30:00+02:00`; seconds optional, `Z` for UTC)',
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
  summary: 'Set when an image was taken, with its offset from UTC',
  description:
    "For a photo without an EXIF date (it sorts by its upload) or with a wrong one. Kept beside the photo's own EXIF " +
    'date (which stays in its analysis) and through re-analysis; the timeline (`sort=taken`), `takenAfter`, ' +
    '`takenBefore` and the `taken` year follow the local time it gives. Replaces any earlier one. Publishes ' +
    '`Image Updated`.',
  request: { path: ImageIdPathSchema, body: DateTakenChangeSchema },
  answers: { 200: { description: 'When it was taken now', body: DateTakenAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object, or `takenAt` not a real date and time with its offset (from 1800, at most ±14:00)',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while it was being edited (try again)',
  },
});
