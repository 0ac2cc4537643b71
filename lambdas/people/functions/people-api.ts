import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { type IDownloadPresigner, S3ImageObjects } from '../../store/image-objects';
import { thumbnailKey } from '../../store/keys';
import { PERSON_ID_PATTERN, type Person } from '../contract';
import { openPeople } from '../open';
import type { PeoplePort } from '../ports';
import { type ShownCoverDeps, shownCoverDeps } from '../shown-covers';
import type { PeopleEnv, PersonAnswer } from './people-contract';

/*
 * What the people routes' handlers share: the `{id}` they read, the store they open and how they link a person's
 * cover. Their environment and the person as they answer it are in people-contract.ts.
 */

/** The `{id}` path parameter, which must be a person id. */
export function personIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !PERSON_ID_PATTERN.test(id)) {
    throw new BadRequestError('id: not a person id (letters and digits, at most 64)');
  }
  return id;
}

/** How a cover's thumbnail is linked to: a presigned GET of the largest thumbnail. */
export interface CoverLinks {
  presigner: IDownloadPresigner;
  bucket: string;
  thumbnailSizes: readonly number[];
  ttlSeconds: number;
}

/** The person with its cover's thumbnail link (presigning is local signing: no S3 call). */
export async function withCover(person: Person, links: CoverLinks): Promise<PersonAnswer> {
  const size = Math.max(...links.thumbnailSizes);
  const key = thumbnailKey(person.cover.imageId, size);
  const thumbnailUrl = await links.presigner.presignDownload(links.bucket, key, links.ttlSeconds);
  // Field by field: what the store keeps beside them (merges, ranks) is not the API's to show.
  const { personId, name, faceCount, cover, hidden, createdAt, updatedAt } = person;
  return {
    personId,
    name,
    faceCount,
    cover: { imageId: cover.imageId, box: cover.box, thumbnailUrl },
    ...(hidden && { hidden }),
    createdAt,
    updatedAt,
  };
}

/** What a people handler makes of its parsed environment, once at load: the store and the cover links. */
export function createPeopleDeps(config: PeopleEnv, tracer: Tracer | undefined): PeopleReadDeps {
  const client = createDocumentClient(tracer);
  const people = openPeople(client, config.PEOPLE_TABLE, config.FACE_COLLECTION_ID);
  return {
    people,
    shownCovers: shownCoverDeps(client, { results: config.TABLE_NAME, people: config.PEOPLE_TABLE }, people),
    covers: {
      presigner: new S3ImageObjects(createS3Client(config, tracer)),
      bucket: config.BUCKET_NAME,
      thumbnailSizes: config.THUMBNAIL_SIZES,
      ttlSeconds: config.DOWNLOAD_URL_TTL_SECONDS,
    },
  };
}

/** What every people route works with: the store (as its port) and how covers are linked to. */
export interface PeopleDeps {
  people: PeoplePort;
  covers: CoverLinks;
}

/** What a route that lists or reads people works with besides: how it checks a cover's photo (shown-covers.ts). */
export interface PeopleReadDeps extends PeopleDeps {
  shownCovers: ShownCoverDeps;
}

/** The query string as the schema takes it: each parameter once (a second `limit` is refused, not overwritten). */
export function peopleQueryOf(multi: Record<string, string[] | undefined>): Record<string, string> {
  // From entries, not by assignment: `?__proto__=` would set the object's prototype and go unseen, not be refused.
  return Object.fromEntries(
    Object.entries(multi).flatMap(([name, values = []]) => {
      if (values.length > 1) throw new BadRequestError(`${name}: given ${values.length} times, at most once`);
      return values[0] === undefined ? [] : [[name, values[0]]];
    }),
  );
}
