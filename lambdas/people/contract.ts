import { z } from 'zod';
import type { FacesSkipped } from '../core/faces';
import type { Box } from '../core/vision-schema';
import { noControlCharacters, validUnicode } from '../store/client-text';

// The described face and its limits live in core (the vision step makes them and may not import this room).
export {
  type DescribedFace,
  FACE_DESCRIPTOR_LENGTH,
  FACE_MATCH_DISTANCE,
  type FaceDescriptions,
  type FacesSkipped,
  MAX_FACES_PER_IMAGE,
  MIN_EYE_DISTANCE_PX,
} from '../core/faces';

/*
 * People (face grouping, `-c faceGrouping=true`, docs/people.md): what the vision step, the people store, the
 * processor and the API hand each other. A face descriptor is biometric data: it is kept in the people table only,
 * never in the image record, the event or a log line.
 */

/**
 * Which person each described face of an image joined: what the image record keeps (`people`). A face its owner took
 * out of a person (docs/people.md, corrections) is unassigned: it has no entry.
 */
export interface FaceAssignment {
  face: number;
  personId: string;
  /** A face its owner drew or named that the analysis did not describe: where it is (no `vision.faces` entry says). */
  box?: Box;
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
  /** Present (true) while its owner has hidden it: it is then listed only with `GET /people?hidden=true`. */
  hidden?: true;
  createdAt: string;
  updatedAt: string;
}

/** Person ids are opaque; this is what one may look like in a path or a filter. */
export const PERSON_ID_PATTERN = /^[0-9A-Za-z]{1,64}$/;

/** Names given with `PATCH /people/{id}`, in code points (what a person counts as characters). */
export const MAX_NAME_LENGTH = 64;

/**
 * A person's name, as `PATCH /people/{id}` takes it: the rules of every text a client gives us to keep
 * (store/client-text.ts: no control character, which would break the web app's layout and every log line it lands
 * in; valid Unicode, which DynamoDB can store), then trimmed, 1-64 characters. `null` (clearing it) is the API's to
 * allow.
 */
export const PersonNameSchema = z
  .string({ error: 'must be a string or null' })
  .check(noControlCharacters, validUnicode)
  .trim()
  .refine((name) => name.length > 0, 'must not be empty or only spaces')
  .refine((name) => [...name].length <= MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

/**
 * People one page of merge suggestions (suggestions.ts) examines at most: each costs its cover face's probes (36
 * Queries offline).
 */
export const MAX_SUGGESTION_PEOPLE = 20;

/** Other people one person's near faces may suggest at most (the nearest first). */
export const CANDIDATES_PER_PERSON = 5;
