import exifReader from 'exif-reader';
import type { Exif } from './record';

/**
 * The small, useful subset of EXIF: camera make and model, when it was taken, and GPS only when asked for
 * (a location in a public record is a privacy leak). Unreadable EXIF is ignored, never a rejection.
 */
export function readExif(raw: Buffer | undefined, includeGps: boolean): Exif | undefined {
  if (!raw || raw.length === 0) return undefined;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(raw);
  } catch {
    return undefined;
  }
  const exif: Exif = {};
  const make = clean(tags.Image?.Make);
  const model = clean(tags.Image?.Model);
  if (make) exif.make = make;
  if (model) exif.model = model;
  const taken = tags.Photo?.DateTimeOriginal ?? tags.Image?.DateTime;
  if (taken instanceof Date && !Number.isNaN(taken.getTime())) exif.takenAt = taken.toISOString().slice(0, 19);
  if (includeGps) {
    const gps = tags.GPSInfo;
    const latitude = toDegrees(gps?.GPSLatitude, gps?.GPSLatitudeRef, 'S');
    const longitude = toDegrees(gps?.GPSLongitude, gps?.GPSLongitudeRef, 'W');
    if (latitude !== undefined && longitude !== undefined) {
      exif.gps = { latitude, longitude };
      // A zero denominator makes the rational Infinity or NaN: no altitude rather than a record that cannot be stored.
      if (typeof gps?.GPSAltitude === 'number' && Number.isFinite(gps.GPSAltitude)) exif.gps.altitude = gps.GPSAltitude;
    }
  }
  return Object.keys(exif).length > 0 ? exif : undefined;
}

function clean(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replace(/\0/g, '').trim() || undefined : undefined;
}

function toDegrees(dms: unknown, ref: unknown, negative: string): number | undefined {
  if (!Array.isArray(dms) || dms.length !== 3 || !dms.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return undefined;
  }
  const [d, m, s] = dms as [number, number, number];
  const degrees = d + m / 60 + s / 3600;
  return Math.round((ref === negative ? -degrees : degrees) * 1e6) / 1e6;
}
