import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDeclaredTable } from '../../../lambdas/local/tables';
import { ImageStore } from '../../../lambdas/store/image-store';
import { RESULTS_TABLE } from '../../../lambdas/store/table-design';
import { imageItem } from '../../support/items';
import { peopleMoto } from '../../support/people-table';

/**
 * An owner's edit sent twice, as the SDK sends a request again when its answer was lost: DynamoDB (moto) refuses the
 * second on its condition (the record is no longer at the `updatedAt` the edit read), and answers the record as the
 * first left it, which the store takes for this same write, done; an edit made on a record someone else changed in
 * between is still refused. On the run's shared moto, in a table of this file's own.
 */
jest.setTimeout(60_000);

it("takes a retried edit whose first attempt landed for done, and another writer's change for a change", async () => {
  const moto = peopleMoto();
  const tableName = `edit-retry-${randomUUID().slice(0, 8)}`;
  await createDeclaredTable(moto.dynamodb, tableName, RESULTS_TABLE.design);
  const store = new ImageStore(moto.client, tableName);
  const read = imageItem({ imageId: `01J${randomUUID().replace(/-/g, '').slice(0, 23).toUpperCase()}` });
  await moto.client.send(new PutCommand({ TableName: tableName, Item: read }));

  const edit = { ...read, tags: ['sea'], updatedAt: '2026-11-28T10:00:00.001Z' };
  expect(await store.editImage(edit, read.updatedAt)).toBe(true);
  // The same request again: its condition fails on what it wrote itself.
  expect(await store.editImage(edit, read.updatedAt)).toBe(true);
  // Another edit made from the same stale read, at another time: the record changed since, so it is refused.
  expect(
    await store.editImage({ ...edit, tags: ['lake'], updatedAt: '2026-11-28T10:00:00.002Z' }, read.updatedAt),
  ).toBe(false);
  const { Item } = await moto.client.send(new GetCommand({ TableName: tableName, Key: { imageId: read.imageId } }));
  expect(Item).toMatchObject({ tags: ['sea'], updatedAt: '2026-11-28T10:00:00.001Z' });
});
