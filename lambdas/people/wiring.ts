import { z } from 'zod';
import { type FunctionEnvironment, setting } from '../settings/env';

/**
 * `PEOPLE_TABLE` of a function that reads people when face grouping is on (`GET` and `DELETE /images/{id}`,
 * `GET /images`): absent when it is off, and then there is no people table. The processor and delete-image read it
 * with FACE_GROUPING and FACE_COLLECTION_ID (processor/contract.ts's FaceGroupingEnvSchema).
 */
export const PeopleTableEnvShape = {
  PEOPLE_TABLE: z.string().min(1).optional(),
};

/** Where faces and people are kept, with `faceGrouping` (`faceCollectionId` with `inference=rekognition` only). */
export interface PeopleWiring {
  readonly tableName: string;
  readonly faceCollectionId?: string;
}

/** The variable, from the wiring's people table (none: face grouping is off). */
export function peopleTableEnvironment(people: PeopleWiring | undefined): { PEOPLE_TABLE?: string } {
  return people ? { PEOPLE_TABLE: people.tableName } : {};
}

/** What `faceGrouping` adds to the environment of a function that touches faces (the processor, delete-image). */
export const FaceGroupingEnvSchema = z.object({
  /** The `faceGrouping` setting: group each image's faces into people (docs/people.md). */
  FACE_GROUPING: setting('faceGrouping'),
  /** The people table, required when FACE_GROUPING=true. */
  PEOPLE_TABLE: z.string().min(1).optional(),
  /** The stack's Rekognition face collection, required when FACE_GROUPING=true with inference=rekognition. */
  FACE_COLLECTION_ID: z.string().min(1).optional(),
});

/** A missing PEOPLE_TABLE (or, with Rekognition, FACE_COLLECTION_ID) while FACE_GROUPING=true, by its name. */
export function checkFaceGroupingEnv(
  env: z.output<typeof FaceGroupingEnvSchema>,
  inference: string | undefined,
  context: z.RefinementCtx,
): void {
  if (!env.FACE_GROUPING) return;
  if (!env.PEOPLE_TABLE) {
    context.addIssue({
      code: 'custom',
      message: 'PEOPLE_TABLE is required when FACE_GROUPING=true',
      path: ['PEOPLE_TABLE'],
    });
  }
  if (inference === 'rekognition' && !env.FACE_COLLECTION_ID) {
    context.addIssue({
      code: 'custom',
      message: 'FACE_COLLECTION_ID is required when FACE_GROUPING=true with INFERENCE=rekognition',
      path: ['FACE_COLLECTION_ID'],
    });
  }
}

/**
 * FACE_GROUPING, and with it PEOPLE_TABLE and FACE_COLLECTION_ID: the variables of every function that touches
 * faces (the processor, delete-image). Refuses grouping without its table, or with Rekognition without its collection.
 */
export function faceGroupingEnvironment(
  settings: { faceGrouping: boolean; inference: string },
  people: PeopleWiring | undefined,
): FunctionEnvironment {
  if (!settings.faceGrouping) return { FACE_GROUPING: 'false' };
  if (!people) throw new Error('faceGrouping needs the people table');
  if (settings.inference === 'rekognition' && !people.faceCollectionId) {
    throw new Error('faceGrouping with inference=rekognition needs the face collection');
  }
  return {
    FACE_GROUPING: 'true',
    PEOPLE_TABLE: people.tableName,
    ...(people.faceCollectionId && { FACE_COLLECTION_ID: people.faceCollectionId }),
  };
}
