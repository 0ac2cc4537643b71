import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createRekognitionClient } from '../shared/aws-clients';
import { LshFaceIndex } from './face-index';
import { PeopleStore } from './people-store';
import type { PeoplePort } from './ports';
import { RekognitionFaceIndex } from './rekognition-face-index';

/**
 * The people store the functions are wired with, on the people table: the one place a function makes it, so the
 * routes, the processor and the image routes are tested against `PeoplePort` and run on this. With a face
 * collection (`inference=rekognition`) faces are found by SearchFaces, else by the descriptors' LSH buckets.
 */
export function openPeople(dynamo: DynamoDBDocumentClient, tableName: string, faceCollectionId?: string): PeopleStore {
  const index = faceCollectionId
    ? new RekognitionFaceIndex(createRekognitionClient(), dynamo, { tableName, collectionId: faceCollectionId })
    : new LshFaceIndex(dynamo, tableName);
  return new PeopleStore(dynamo, tableName, index);
}

/** The people store on the table a function's environment names, or undefined when face grouping is off. */
export function peopleIf(
  dynamo: DynamoDBDocumentClient,
  env: { PEOPLE_TABLE?: string; FACE_COLLECTION_ID?: string },
): PeoplePort | undefined {
  return env.PEOPLE_TABLE ? openPeople(dynamo, env.PEOPLE_TABLE, env.FACE_COLLECTION_ID) : undefined;
}
