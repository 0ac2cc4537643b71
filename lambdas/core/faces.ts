import { z } from 'zod';
import { BoxSchema } from './vision-schema';

/*
 * What a described face is, shared by the vision step that makes descriptors (lambdas/vision) and the people room
 * that groups them (lambdas/people re-exports all of it from its contract). A face descriptor is biometric data:
 * it is kept in the people table only, never in the image record, the event or a log line.
 */

/** Numbers in a face descriptor (dlib's face recognition model, as shipped in @vladmandic/face-api). */
export const FACE_DESCRIPTOR_LENGTH = 128;

/** Faces of one image that are described and grouped at most; the rest are counted as `overCap`. */
export const MAX_FACES_PER_IMAGE = 50;

/** A face whose eyes are closer than this in the analysed raster (1024 px) is too small to describe. */
export const MIN_EYE_DISTANCE_PX = 20;

/**
 * Two faces closer than this (Euclidean, between descriptors) are taken for one person. Chosen on bench/people's
 * augmented copies (results.md there): every copy of one person fell under it and every pair of two people above
 * it, with room on both sides; below dlib's own 0.6 because a wrong join mixes two people's photos while a split
 * is mended by a merge. Changing it needs `image-intel people recluster`.
 */
export const FACE_MATCH_DISTANCE = 0.5;

export const DescribedFaceSchema = z.object({
  /** Its index in the image's `vision.faces`. */
  face: z.number().int().min(0),
  box: BoxSchema,
  /** FACE_DESCRIPTOR_LENGTH numbers (offline models); faces compare by Euclidean distance. */
  descriptor: z.array(z.number()).length(FACE_DESCRIPTOR_LENGTH).optional(),
  /** With Rekognition: the face's id in the stack's collection (IndexFaces), which keeps its own vector. */
  rekognitionFaceId: z.string().min(1).optional(),
});

/** Faces the vision step found but did not describe, by reason. */
export const FacesSkippedSchema = z.object({
  /** Eyes closer than MIN_EYE_DISTANCE_PX (or, with Rekognition, refused by its quality filter). */
  tooSmall: z.number().int().min(0),
  /** Beyond MAX_FACES_PER_IMAGE. */
  overCap: z.number().int().min(0),
});

/** What the vision step hands the grouping, besides the vision result (never stored as it is). */
export const FaceDescriptionsSchema = z.object({
  faces: z.array(DescribedFaceSchema).max(MAX_FACES_PER_IMAGE),
  skipped: FacesSkippedSchema,
  /**
   * With Rekognition: the list price of one search of the collection (SearchFaces, USD). The grouping's searches
   * depend on the library (none for a face grouped before, two for one that founds a person), so the processor adds
   * them to `inference.costUsd` once it has grouped.
   */
  searchPriceUsd: z.number().min(0).optional(),
});

/** One face of `analysis.vision.faces` that could be described, by its index there. */
export type DescribedFace = z.infer<typeof DescribedFaceSchema>;
export type FacesSkipped = z.infer<typeof FacesSkippedSchema>;
export type FaceDescriptions = z.infer<typeof FaceDescriptionsSchema>;
