import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { openPeople } from './open';
import type { PeoplePort } from './ports';

/**
 * `PEOPLE_TABLE_NAME` of a function that works with people when face grouping is on (the processor, `GET` and
 * `DELETE /images/{id}`, `GET /images`): empty when it is off, and then there is no people table.
 */
export const PeopleTableEnvShape = {
  PEOPLE_TABLE_NAME: z.string().default(''),
};

/** The variable, from the wiring's people table (none: face grouping is off). */
export function peopleTableEnvironment(peopleTableName: string | undefined): { PEOPLE_TABLE_NAME: string } {
  return { PEOPLE_TABLE_NAME: peopleTableName ?? '' };
}

/** The people store on the table a function's environment names, or undefined when face grouping is off. */
export function peopleIf(dynamo: DynamoDBDocumentClient, tableName: string): PeoplePort | undefined {
  return tableName === '' ? undefined : openPeople(dynamo, tableName);
}
