import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Box } from '../core/vision-schema';
import { batchGetImages } from '../store/batch-get';
import { isShown } from '../store/image-item';
import type { Person } from './contract';
import type { PeoplePort } from './ports';
import { personPartition } from './table-design';

/*
 * A person's cover is the face the store keeps on the person (grouping's first, then the next when it leaves), and a
 * face stays with its person while its photo is in the trash or the locked folder (issue 80): only a purge takes it
 * away. So the people routes that show a cover check its photo's record (isShown) and, when it may not be shown,
 * show the person's next face whose photo may; a person with no such face among the first MAX_FACES_READ is left
 * out, as if it had none (its name would tell who is in the locked photos).
 */

/** A person's faces read a page at a time when its cover is hidden: 25 (a Query of small items, one read unit). */
export const FACES_PAGE = 25;
/** At most this many of a person's faces are looked at for a shown one: past them, the person is left out. */
export const MAX_FACES_READ = 100;

/** A face of a person: the photo it is in, and where. */
export interface CoverFace {
  imageId: string;
  box: Box;
}

export interface ShownCoverDeps {
  /** Which of these images a read path may show: isShown of their records (one projected BatchGetItem per 100). */
  shown(imageIds: readonly string[]): Promise<Set<string>>;
  /** A page of the faces filed under one person id, in the order of their images' ids (oldest first). */
  faces(owner: string, personId: string, page: { limit: number; after?: string }): Promise<FacePage>;
  /** The person's id and those merged into it: each has its faces filed under it. */
  mergedIdsOf: PeoplePort['mergedIdsOf'];
}

export interface FacePage {
  faces: CoverFace[];
  /** Where the next page starts, while more may follow. */
  after?: string;
}

/**
 * These people, each with a cover whose photo may be shown:
 * 1. one BatchGetItem (per 100) of the covers' records, projected to their status and `locked`;
 * 2. a person whose cover's photo may not be shown: its faces a page at a time (FACES_PAGE, under its id and those
 *    merged into it), each page's records read likewise, until one may be shown: that face is its cover; none in
 *    MAX_FACES_READ: the person is left out.
 * So a page of people whose covers are shown costs one BatchGetItem more than before (half a read unit a person),
 * and each hidden cover a Query and a BatchGetItem per FACES_PAGE faces looked at.
 */
export async function withShownCovers<P extends Person>(
  owner: string,
  people: readonly P[],
  deps: ShownCoverDeps,
): Promise<P[]> {
  const covers = [...new Set(people.map((person) => person.cover.imageId))];
  const shown = covers.length > 0 ? await deps.shown(covers) : new Set<string>();
  const answered = await Promise.all(
    people.map(async (person) => {
      if (shown.has(person.cover.imageId)) return person;
      const cover = await nextShownFace(owner, person.personId, deps);
      return cover === undefined ? undefined : { ...person, cover };
    }),
  );
  return answered.filter((person): person is Awaited<P> => person !== undefined);
}

async function nextShownFace(owner: string, personId: string, deps: ShownCoverDeps): Promise<CoverFace | undefined> {
  let read = 0;
  for (const id of await deps.mergedIdsOf(owner, personId)) {
    let after: string | undefined;
    do {
      const page = await deps.faces(owner, id, { limit: FACES_PAGE, ...(after !== undefined && { after }) });
      read += page.faces.length;
      const shown = page.faces.length > 0 ? await deps.shown(page.faces.map((face) => face.imageId)) : new Set();
      const face = page.faces.find((one) => shown.has(one.imageId));
      if (face) return { imageId: face.imageId, box: face.box };
      after = page.after;
    } while (after !== undefined && read < MAX_FACES_READ);
    if (read >= MAX_FACES_READ) return undefined;
  }
  return undefined;
}

/** What a people route reads for covers: the results table's records and the people table's person partitions. */
export function shownCoverDeps(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  tables: { results: string; people: string },
  people: Pick<PeoplePort, 'mergedIdsOf'>,
): ShownCoverDeps {
  return {
    shown: async (imageIds) => {
      const projection = {
        expression: '#imageId, #status, #locked',
        names: { '#imageId': 'imageId', '#status': 'status', '#locked': 'locked' },
      };
      // A record still unprocessed after the rounds is left out: its face is not shown this time.
      const records = await batchGetImages(client, tables.results, imageIds, projection, 4);
      return new Set(
        records
          .filter((record) => isShown(record as { status?: string; locked?: boolean }))
          .map((record) => String(record.imageId)),
      );
    },
    faces: async (owner, personId, { limit, after }) => {
      const partition = personPartition(owner, personId);
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName: tables.people,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :face)',
          ExpressionAttributeValues: { ':pk': partition, ':face': 'FACE#' },
          Limit: limit,
          ...(after !== undefined && { ExclusiveStartKey: { pk: partition, sk: after } }),
        }),
      );
      const faces = Items.map((item) => ({ imageId: String(item.imageId), box: item.box as Box }));
      return LastEvaluatedKey === undefined ? { faces } : { faces, after: String(LastEvaluatedKey.sk) };
    },
    mergedIdsOf: (owner, personId) => people.mergedIdsOf(owner, personId),
  };
}
