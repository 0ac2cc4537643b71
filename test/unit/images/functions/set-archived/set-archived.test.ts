import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { setArchived } from '../../../../../lambdas/images/functions/set-archived/set-archived';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { ImageStore } from '../../../../../lambdas/store/image-store';
import { shardOf } from '../../../../../lambdas/store/list-shards';
import { TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { recordedSinks } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const dynamo = mockClient(DynamoDBDocumentClient);
const shard = shardOf(IDS.newer);

/** The archive route's adapters: the real store over a mocked table, the events recorded. */
function world(item: ImageItem) {
  const { calls, publisher } = recordedSinks();
  const store = new ImageStore(dynamo as unknown as DynamoDBDocumentClient, 'images-table');
  store.get = async () => item;
  const deps = { store, publisher, now: () => new Date('2026-11-28T10:00:00.000Z') };
  return { calls, deps };
}

const update = () => dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
const processed = (overrides: Partial<ImageItem> = {}) =>
  imageItem({ owner: TEST_USER.sub, analysis: processedAnalysis({ width: 4, height: 3 }), ...overrides });

describe('archive (PUT /images/{id}/archived)', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('files an archived image under its owner’s archive keys and out of everyone’s list, in one write', async () => {
    const { deps, calls } = world(processed());
    expect(await setArchived(IDS.newer, { archived: true }, caller, deps)).toEqual({
      imageId: IDS.newer,
      archived: true,
    });
    const input = update();
    expect(input?.UpdateExpression).toContain('REMOVE #listShard');
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':archived': true,
      ':ownerShard': `${TEST_USER.sub}#ARCHIVED#${shard}`,
      ':seen': processed().updatedAt,
    });
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['archived'], archived: true });
  });

  it('brings one back with false: its list and timeline keys as before', async () => {
    const { deps, calls } = world(processed({ archived: true }));
    await setArchived(IDS.newer, { archived: false }, caller, deps);
    expect(update()?.ExpressionAttributeValues).toMatchObject({
      ':archived': false,
      ':ownerShard': `${TEST_USER.sub}#${shard}`,
      ':listShard': `IMAGE#${shard}`,
    });
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['archived'], archived: false });
  });

  it('writes and publishes nothing when the image is already as asked', async () => {
    const { deps, calls } = world(processed({ archived: true }));
    await setArchived(IDS.newer, { archived: true }, caller, deps);
    expect([dynamo.commandCalls(UpdateCommand), calls.events]).toEqual([[], []]);
  });

  it('tells the rooms of an archive as written, and again when asked again (a retry finishes), not of a return', async () => {
    const told: ImageItem[] = [];
    const cleanups = [{ archived: async (image: ImageItem) => void told.push(image) }];
    const fresh = world(processed());
    await setArchived(IDS.newer, { archived: true }, caller, { ...fresh.deps, cleanups });
    expect(told.map((image) => [image.archived, image.updatedAt])).toEqual([[true, '2026-11-28T10:00:00.000Z']]);
    await setArchived(IDS.newer, { archived: true }, caller, {
      ...world(processed({ archived: true })).deps,
      cleanups,
    });
    await setArchived(IDS.newer, { archived: false }, caller, {
      ...world(processed({ archived: true })).deps,
      cleanups,
    });
    expect(told).toHaveLength(2);
  });

  it('is a 404 for another owner’s image and a 409 until it is PROCESSED', async () => {
    await expect(
      setArchived(IDS.newer, { archived: true }, caller, world(processed({ owner: 'someone-else' })).deps),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      setArchived(IDS.newer, { archived: true }, caller, world(processed({ status: 'FAILED' })).deps),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });
});
