import type { Box } from '../core/vision-schema';

/*
 * People (face grouping, `-c faceGrouping=true`, docs/people.md): what the vision step, the people store, the
 * processor and the API hand each other. A face descriptor is biometric data: it is kept in the people table only,
 * never in the image record, the event or a log line.
 */

/** Numbers in a face descriptor (dlib's face recognition model, as shipped in @vladmandic/face-api). */
export const FACE_DESCRIPTOR_LENGTH = 128;

/** Faces of one image that are described and grouped at most; the rest are counted as `overCap`. */
export const MAX_FACES_PER_IMAGE = 50;

/** A face whose eyes are closer than this in the analysed raster (1024 px) is too small to describe. */
export const MIN_EYE_DISTANCE_PX = 20;

/** One face of `analysis.vision.faces` that could be described, by its index there. */
export interface DescribedFace {
  /** Its index in the image's `vision.faces`. */
  face: number;
  box: Box;
  /** FACE_DESCRIPTOR_LENGTH numbers (offline models); faces compare by Euclidean distance. */
  descriptor?: number[];
  /** With Rekognition: the face's id in the stack's collection (IndexFaces), which keeps its own vector. */
  rekognitionFaceId?: string;
}

/** Faces the vision step found but did not describe, by reason. */
export interface FacesSkipped {
  /** Eyes closer than MIN_EYE_DISTANCE_PX (or, with Rekognition, refused by its quality filter). */
  tooSmall: number;
  /** Beyond MAX_FACES_PER_IMAGE. */
  overCap: number;
}

/** What the vision step hands the grouping, besides the vision result (never stored as it is). */
export interface FaceDescriptions {
  faces: DescribedFace[];
  skipped: FacesSkipped;
}

/** Which person each described face of an image joined: what the image record keeps (`people`). */
export interface FaceAssignment {
  face: number;
  personId: string;
}

/** The image record's `people`: no descriptor, only ids. */
export interface ImagePeople {
  faces: FaceAssignment[];
  skipped: FacesSkipped;
}

/** A person as the API answers: `GET /people`, `GET /people/{id}`. */
export interface Person {
  personId: string;
  /** Given with `PATCH /people/{id}`; null until then. */
  name: string | null;
  /** Faces grouped into this person (its merged people's included). */
  faceCount: number;
  /** The face shown for the person: the image it is in and where. */
  cover: { imageId: string; box: Box };
  createdAt: string;
  updatedAt: string;
}

/** Person ids are opaque; this is what one may look like in a path or a filter. */
export const PERSON_ID_PATTERN = /^[0-9A-Za-z]{1,64}$/;

/**
 * Two faces closer than this (Euclidean, between descriptors) are taken for one person. Provisional until the
 * evaluation (bench/people) sets it; changing it later needs `image-intel people recluster`.
 */
export const FACE_MATCH_DISTANCE = 0.34;
