import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type PeopleTable, readPerson } from './person-item';
import { personKey, personPartition } from './table-design';

/*
 * A merge leaves the merged people's images carrying their old ids (each face keeps the person it was grouped
 * under, in the image's record and its `person=` postings). Until they are re-pointed to the person they were merged
 * into, a search reads each old id's postings too; once they are, the person is one term again, however many people
 * were merged into it (docs/search.md).
 */

/**
 * Re-point one image: its record's faces of any of these (merged) ids now name `personId`, and its postings follow.
 * True when done (or nothing to do), false when it could not be (it kept changing): the ids stay read.
 */
export type RepointImage = (imageId: string, merged: ReadonlySet<string>, personId: string) => Promise<boolean>;

export interface RepointOutcome {
  /** Images handed to `repoint`. */
  images: number;
  /** Every image was re-pointed, and the person's search reads its own id alone (none merged in meanwhile). */
  done: boolean;
}

/** Faces read per Query of a merged person's faces. */
const PAGE = 100;
/** Images re-pointed at once. */
const CONCURRENCY = 8;

/**
 * Re-point the images of the people merged into `personId`:
 * 1. read the person: the ids still to re-point (`repointing`; a person merged before it existed: `mergedFrom`);
 * 2. page each id's faces (`<owner>#PERSON#<id>`, `FACE#...`, kept under the id a face was grouped under) and hand
 *    each image to `repoint` once, CONCURRENCY at a time, until `budget` images;
 * 3. all done within the budget: `repointing` emptied, on the condition that it is as read (a merge meanwhile
 *    added ids, which its own re-pointing covers). Otherwise the ids stay read by a search, and the person's next
 *    merge carries on from the start (an image already re-pointed costs a read, no write).
 */
export async function repointMerged(
  table: PeopleTable,
  owner: string,
  personId: string,
  repoint: RepointImage,
  { budget }: { budget: number },
): Promise<RepointOutcome> {
  const person = await readPerson(table, owner, personId);
  if (person === undefined || person.mergedInto !== undefined || person.deletedAt !== undefined) {
    return { images: 0, done: true };
  }
  const pending = person.repointing ?? person.mergedFrom ?? [];
  if (pending.length === 0) return { images: 0, done: true };
  const merged = new Set([...pending, ...(person.mergedFrom ?? [])]);
  const seen = new Set<string>();
  let failed = false;
  for (const id of pending) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :face)',
          ExpressionAttributeValues: { ':pk': personPartition(owner, id), ':face': 'FACE#' },
          ProjectionExpression: 'imageId',
          Limit: PAGE,
          ExclusiveStartKey: startKey,
        }),
      );
      startKey = LastEvaluatedKey;
      const images = [...new Set(Items.map((item) => item.imageId as string))].filter((image) => !seen.has(image));
      for (let i = 0; i < images.length; i += CONCURRENCY) {
        const wanted = Math.min(CONCURRENCY, images.length - i);
        const batch = images.slice(i, i + Math.min(wanted, budget - seen.size));
        for (const image of batch) seen.add(image);
        const results = await Promise.all(batch.map((image) => repoint(image, merged, personId)));
        if (results.includes(false)) failed = true;
        // The budget ran out with images of this page left.
        if (batch.length < wanted) return { images: seen.size, done: false };
      }
    } while (startKey !== undefined);
  }
  if (failed) return { images: seen.size, done: false };
  return { images: seen.size, done: await repointed(table, owner, personId, person.repointing, pending) };
}

/** `repointing` emptied if it is as read (absent on a person merged before it existed: `mergedFrom` as read). */
async function repointed(
  table: PeopleTable,
  owner: string,
  personId: string,
  stored: readonly string[] | undefined,
  pending: readonly string[],
): Promise<boolean> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: personKey(owner, personId),
        UpdateExpression: 'SET repointing = :none',
        ConditionExpression:
          stored === undefined
            ? 'attribute_not_exists(repointing) AND mergedFrom = :seen AND attribute_not_exists(mergedInto)'
            : 'repointing = :seen AND attribute_not_exists(mergedInto)',
        ExpressionAttributeValues: { ':none': [], ':seen': pending },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
