import { z } from 'zod';

/** A point on Earth, WGS84 degrees, as a camera's GPS or a person gives it. */
export const PositionSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  /** Metres above sea level, when the camera wrote it. */
  altitude: z.number().optional(),
});
export type Position = z.infer<typeof PositionSchema>;

/** One level of a place: its name as the data (or its owner) writes it, and its code where there is one. */
export const PlaceLevelSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** ISO 3166-1 alpha-2 for a country, ISO 3166-2 for a region or area, GeoNames' id for a locality. */
  code: z.string().max(20).optional(),
  /**
   * Other names it is found by (`Geneva` for Genève, `USA` for the United States of America), from the places data,
   * a few at most (lambdas/places/aliases.ts): written by the geocoder, each a search term of the photo.
   */
  aka: z.array(z.string().max(200)).max(8).optional(),
});
export type PlaceLevel = z.infer<typeof PlaceLevelSchema>;

/** The names of a place, from the country down; each level is optional (the sea has no locality). */
export const PlaceNamesSchema = z.object({
  country: PlaceLevelSchema.optional(),
  /** The first-level division: a state, a province, a canton, a French or Italian region. */
  region: PlaceLevelSchema.optional(),
  /** The second-level division where the data has one (a French department, an Italian or Spanish province). */
  area: PlaceLevelSchema.optional(),
  /** The town, city or suburb. */
  locality: PlaceLevelSchema.optional(),
});
export type PlaceNames = z.infer<typeof PlaceNamesSchema>;

/**
 * How a place was named:
 * - `gps`: the photo's own position (EXIF GPS), reverse geocoded;
 * - `position`: a position its owner set, reverse geocoded;
 * - `owner`: named by its owner.
 */
export const PLACE_SOURCES = ['gps', 'position', 'owner'] as const;

/** Where a photo was taken, named. */
export const PlaceSchema = PlaceNamesSchema.extend({
  source: z.enum(PLACE_SOURCES),
  /** The places data that named it (lambdas/places): a backfill re-geocodes what an older one named. */
  data: z.string().max(40).optional(),
});
export type Place = z.infer<typeof PlaceSchema>;

/**
 * What an image's owner said of its place, kept beside what the photo says and never touched by re-analysis:
 * a position of their own (geocoded as the photo's would be), the place named by hand, or `cleared` (the photo
 * has no place, whatever its GPS says).
 */
export const PlaceCorrectionSchema = z.object({
  position: PositionSchema.optional(),
  place: PlaceNamesSchema.optional(),
  cleared: z.literal(true).optional(),
  at: z.iso.datetime(),
  by: z.string().optional(),
});
export type PlaceCorrection = z.infer<typeof PlaceCorrectionSchema>;
