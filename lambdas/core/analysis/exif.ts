import exifReader from 'exif-reader';
import type { Position } from '../place';
import type { Exif } from '../record';

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
  const original = tags.Photo?.DateTimeOriginal;
  const taken = original ?? tags.Image?.DateTime;
  if (taken instanceof Date && !Number.isNaN(taken.getTime())) {
    exif.takenAt = taken.toISOString().slice(0, 19);
    const subsec = milliseconds(original !== undefined ? tags.Photo?.SubSecTimeOriginal : tags.Photo?.SubSecTime);
    if (subsec !== undefined) exif.takenAtMs = subsec;
  }
  const lens = clean(tags.Photo?.LensModel);
  if (lens) exif.lens = lens;
  const exposure = exposureOf(tags.Photo);
  if (exposure) exif.exposure = exposure;
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

/** ExposureTime, FNumber, ISO speed and FocalLength, each only when it is a positive finite number. */
function exposureOf(photo: Record<string, unknown> | undefined): Exif['exposure'] {
  const positive = (value: unknown): number | undefined => {
    const number = Array.isArray(value) ? value[0] : value;
    return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
  };
  const iso = positive(photo?.ISOSpeedRatings ?? photo?.PhotographicSensitivity);
  const exposure: NonNullable<Exif['exposure']> = {};
  const seconds = positive(photo?.ExposureTime);
  const fNumber = positive(photo?.FNumber);
  const focalLengthMm = positive(photo?.FocalLength);
  if (seconds !== undefined) exposure.seconds = Number(seconds.toPrecision(6));
  if (fNumber !== undefined) exposure.fNumber = Math.round(fNumber * 100) / 100;
  if (iso !== undefined && Number.isInteger(iso)) exposure.iso = iso;
  if (focalLengthMm !== undefined) exposure.focalLengthMm = Math.round(focalLengthMm * 100) / 100;
  return Object.keys(exposure).length > 0 ? exposure : undefined;
}

/**
 * EXIF's SubSecTime* tags: the digits of a decimal fraction of the second (`3`, `30`, `300` are all 0.3 s), as
 * ASCII, sometimes padded with spaces; the first three digits are its milliseconds.
 */
export function milliseconds(value: unknown): number | undefined {
  const digits = clean(value);
  if (digits === undefined || !/^\d{1,9}$/.test(digits)) return undefined;
  return Number(digits.slice(0, 3).padEnd(3, '0'));
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

/**
 * `position` as the EXIF GPS tags (IFD3) sharp's `withExif` writes, read back by `readExif` to within 1e-6 degrees:
 * degrees, minutes and seconds to the millisecond of arc (about 3 cm). The altitude only at or above sea level:
 * libvips writes GPSAltitudeRef as 0 ("above sea level") whatever it is given, so a depth would be written as a
 * height. GPSVersionID is libvips' own (2.2.0.0).
 */
export function gpsExifTags(position: Position): Record<string, string> {
  const tags: Record<string, string> = {
    GPSLatitudeRef: position.latitude < 0 ? 'S' : 'N',
    GPSLatitude: toRationals(position.latitude),
    GPSLongitudeRef: position.longitude < 0 ? 'W' : 'E',
    GPSLongitude: toRationals(position.longitude),
  };
  if (position.altitude !== undefined && position.altitude >= 0) {
    tags.GPSAltitude = `${Math.round(position.altitude * 100)}/100`;
  }
  return tags;
}

/** Degrees as the three rationals EXIF writes, `d/1 m/1 ms/1000` (libvips' syntax), in whole milliseconds of arc. */
function toRationals(degrees: number): string {
  const milliseconds = Math.round(Math.abs(degrees) * 3_600_000);
  const d = Math.floor(milliseconds / 3_600_000);
  const m = Math.floor((milliseconds % 3_600_000) / 60_000);
  return `${d}/1 ${m}/1 ${milliseconds % 60_000}/1000`;
}
