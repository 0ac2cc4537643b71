import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import type { Person } from '../../../lambdas/people/contract';
import { FACES_PAGE, shownCoverDeps, withShownCovers } from '../../../lambdas/people/shown-covers';
import { PEOPLE_TABLE, personPartition } from '../../../lambdas/people/table-design';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { imageIds, searchableItem } from '../../support/items';
import { testEndpoint } from '../../support/shared-moto';

/*
 * A person's cover checked against its photo's record, against the run's moto (shown-covers.ts): the records read
 * projected as the people routes read them, the person's faces from its partition a page at a time. Fails if the
 * projection leaves `locked` out, or the faces' pages skip one.
 */

const OWNER = 'shown-covers-owner';
const suffix = randomUUID().slice(0, 8);
const tables = { results: `images-${suffix}`, people: `people-${suffix}` };
const BOX = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
// More faces than a page: the first page's all locked, so the cover is found on the second.
const photos = imageIds(FACES_PAGE + 2);

const dynamodb = new DynamoDBClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
afterAll(() => dynamodb.destroy());

const person: Person = {
  personId: 'pers1',
  name: 'Ada',
  faceCount: photos.length,
  cover: { imageId: photos[0] as string, box: BOX },
  createdAt: '2026-11-28T08:00:00.000Z',
  updatedAt: '2026-11-28T08:00:00.000Z',
};

beforeAll(async () => {
  await createDeclaredTable(dynamodb, tables.results, RESULTS_TABLE.design);
  await createDeclaredTable(dynamodb, tables.people, PEOPLE_TABLE.design);
  for (const [i, imageId] of photos.entries()) {
    const locked = i < FACES_PAGE;
    await documents.send(
      new PutCommand({
        TableName: tables.results,
        Item: { ...searchableItem(), imageId, owner: OWNER, ...(locked && { locked: true }) },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tables.people,
        Item: { pk: personPartition(OWNER, 'pers1'), sk: `FACE#${imageId}#00`, imageId, face: 0, box: BOX },
      }),
    );
  }
}, 60_000);

describe("a person's cover", () => {
  const deps = () =>
    shownCoverDeps(documents, tables, { mergedIdsOf: async (_owner: string, personId: string) => [personId] });

  it('is its first face whose photo is not locked, read past a page of locked ones', async () => {
    const [shown] = await withShownCovers(OWNER, [person], deps());
    expect(shown?.cover).toEqual({ imageId: photos[FACES_PAGE], box: BOX });
  });

  it('is the one kept while its photo may be shown, reading no face', async () => {
    const open = { ...person, cover: { imageId: photos[FACES_PAGE + 1] as string, box: BOX } };
    let faces = 0;
    const counted = deps();
    const [shown] = await withShownCovers(OWNER, [open], {
      ...counted,
      faces: (...args) => {
        faces++;
        return counted.faces(...args);
      },
    });
    expect([shown?.cover.imageId, faces]).toEqual([photos[FACES_PAGE + 1], 0]);
  });
});
