import {
  type BoundingBox,
  type Image,
  IndexFacesCommand,
  type IndexFacesCommandOutput,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { type Box, clampBox } from '../core/vision-schema';

/** Where IndexFaces puts an image's faces when face grouping is on (`faceGrouping` with `inference=rekognition`). */
export interface FaceCollectionConfig {
  /** The stack's Rekognition collection (its CollectionId). */
  collectionId: string;
  /** Faces of one image indexed at most (the people contract's MAX_FACES_PER_IMAGE); the rest count as `overCap`. */
  maxFaces: number;
}

/**
 * The faces IndexFaces stored, by their index in `vision.faces`, and the faces it did not store. The same shape as
 * the people contract's `FaceDescriptions` (lambdas/people/contract.ts), which this floor may not import: a unit
 * test holds the two together.
 */
export interface IndexedFaces {
  faces: { face: number; box: Box; rekognitionFaceId: string }[];
  skipped: { tooSmall: number; overCap: number };
}

export interface FacesIndexed {
  /** Every face Rekognition found: the indexed ones first (their index is the described face's), then the rest. */
  faces: { confidence: number; box: Box }[];
  faceDescriptions: IndexedFaces;
  modelVersion: string;
}

/**
 * IndexFaces instead of DetectFaces: one call both finds the faces and stores each one's vector in the collection,
 * under ExternalImageId = the image id (so a face found by SearchFaces names its image), quality filter AUTO (faces
 * Rekognition would match poorly are left out and reported as unindexed).
 */
export async function indexFaces(
  client: RekognitionClient,
  image: Image,
  imageId: string,
  collection: FaceCollectionConfig,
  minPercent: number,
): Promise<FacesIndexed> {
  const answer = await client.send(
    new IndexFacesCommand({
      CollectionId: collection.collectionId,
      Image: image,
      ExternalImageId: imageId,
      MaxFaces: collection.maxFaces,
      QualityFilter: 'AUTO',
      DetectionAttributes: ['DEFAULT'],
    }),
  );
  return facesOf(answer, minPercent);
}

/** An IndexFaces answer in our schema. */
export function facesOf(
  answer: Pick<IndexFacesCommandOutput, 'FaceRecords' | 'UnindexedFaces' | 'FaceModelVersion'>,
  minPercent: number,
): FacesIndexed {
  // Every indexed face is kept, whatever its confidence: it is in the collection (and billed) and must be found,
  // grouped and deleted by its index like any other.
  const indexed = (answer.FaceRecords ?? []).flatMap((record) => {
    const faceId = record.Face?.FaceId;
    return faceId ? [{ faceId, detail: record.FaceDetail ?? record.Face }] : [];
  });
  // Unindexed faces are listed like DetectFaces' (over the minimum confidence), so turning grouping on does not
  // change how many faces an image has; each one listed is counted as skipped.
  const unindexed = (answer.UnindexedFaces ?? []).filter((face) => (face.FaceDetail?.Confidence ?? 0) >= minPercent);
  const skipped = { tooSmall: 0, overCap: 0 };
  for (const face of unindexed) {
    // EXCEEDS_MAX_FACES: beyond the cap. Every other reason (SMALL_BOUNDING_BOX, LOW_SHARPNESS, LOW_BRIGHTNESS,
    // LOW_CONFIDENCE, EXTREME_POSE, LOW_FACE_QUALITY) is Rekognition's quality filter: too poor to describe.
    if (face.Reasons?.includes('EXCEEDS_MAX_FACES')) skipped.overCap += 1;
    else skipped.tooSmall += 1;
  }
  const faces = [
    ...indexed.map(({ detail }) => ({ confidence: toUnit(detail?.Confidence), box: toBox(detail?.BoundingBox) })),
    ...unindexed.map((face) => ({
      confidence: toUnit(face.FaceDetail?.Confidence),
      box: toBox(face.FaceDetail?.BoundingBox),
    })),
  ];
  return {
    faces,
    faceDescriptions: {
      faces: indexed.map(({ faceId }, face) => ({ face, box: faces[face]?.box as Box, rekognitionFaceId: faceId })),
      skipped,
    },
    modelVersion: answer.FaceModelVersion ?? 'unknown',
  };
}

/** Rekognition's 0-100 confidence as our 0-1. */
export const toUnit = (percent: number | undefined): number =>
  Math.round(Math.min(100, Math.max(0, percent ?? 0)) * 100) / 10000;

/** Rekognition's box (fractions of the image) clamped to the image. */
export function toBox(box: BoundingBox | undefined): Box {
  return clampBox({ left: box?.Left ?? 0, top: box?.Top ?? 0, width: box?.Width ?? 0, height: box?.Height ?? 0 });
}
