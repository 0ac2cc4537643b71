import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { openPeople } from './open';
import type { PeoplePort } from './ports';

/**
 * `PEOPLE_TABLE` of a function that reads people when face grouping is on (`GET` and `DELETE /images/{id}`,
 * `GET /images`): absent when it is off, and then there is no people table. The processor and delete-image read it
 * with FACE_GROUPING and FACE_COLLECTION_ID (processor/contract.ts's PeopleEnvSchema).
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

/** The people store on the table a function's environment names, or undefined when face grouping is off. */
export function peopleIf(
  dynamo: DynamoDBDocumentClient,
  env: { PEOPLE_TABLE?: string; FACE_COLLECTION_ID?: string },
): PeoplePort | undefined {
  return env.PEOPLE_TABLE ? openPeople(dynamo, env.PEOPLE_TABLE, env.FACE_COLLECTION_ID) : undefined;
}
