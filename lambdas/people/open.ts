import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PeoplePort } from './ports';

/**
 * The people store the functions are wired with, on the people table. The one place a function makes it, so the
 * routes, the processor and the image routes are tested against `PeoplePort` and run on the DynamoDB store.
 *
 * INTEGRATION (issue 25): the DynamoDB store is written beside this on another branch; until it is merged this
 * refuses, so a deployment or runner with `faceGrouping` on fails at start, naming why, rather than run without it.
 */
export function openPeople(_dynamo: DynamoDBDocumentClient, tableName: string): PeoplePort {
  throw new Error(`the people store is not built into this version: cannot open the people table ${tableName}`);
}
