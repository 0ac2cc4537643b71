import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { StackStore } from '../../../lambdas/stacks/stack-store';
import { ImageStore } from '../../../lambdas/store/image-store';
import { listPartitions, shardAttributes, shardOf } from '../../../lambdas/store/list-shards';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem, setFields } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const owner = TEST_USER.sub;
const shard = shardOf(IDS.newer);
const STACK = 'st_0123456789abcdef0123';

beforeEach(() => {
  dynamo.reset();
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
});

describe('a frame behind its primary, in the results table', () => {
  it('is filed under its owner’s STACKED keys, and stays in everyone’s list and the status lists', () => {
    expect(shardAttributes(IDS.newer, 'PROCESSED', owner, { stackedIn: STACK })).toEqual({
      listShard: `IMAGE#${shard}`,
      statusShard: `PROCESSED#${shard}`,
      ownerShard: `${owner}#STACKED#${shard}`,
      ownerStatusShard: `${owner}#PROCESSED#${shard}`,
    });
    // The archive and the locked folder win: a stacked frame archived is in the archive.
    expect(shardAttributes(IDS.newer, 'PROCESSED', owner, { stackedIn: STACK, archived: true }).ownerShard).toBe(
      `${owner}#ARCHIVED#${shard}`,
    );
  });

  it('is read by a list that expands the stacks, besides the owner’s own keys', () => {
    const expanded = listPartitions({ owner, stacked: 'expand' });
    expect(expanded).toHaveLength(32);
    expect(expanded).toEqual(expect.arrayContaining([`${owner}#3`, `${owner}#STACKED#3`]));
    expect(listPartitions({ owner })).not.toContain(`${owner}#STACKED#3`);
    expect(() => listPartitions({ owner, stacked: 'expand' }, 'PROCESSED')).toThrow('default list and timeline only');
  });

  it('keeps its filing when a processing run writes it again, on the condition that it was not unstacked meanwhile', async () => {
    await new ImageStore(client, 'results').finalise(imageItem({ stackedIn: STACK }));
    const input = dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;
    expect(setFields(input)).toMatchObject({ ownerShard: `${owner}#STACKED#${shard}` });
    // The stack itself is the stacks room's to write: a run sets neither `stackedIn` nor `stack`.
    const sets = (input?.UpdateExpression ?? '').split(' REMOVE ')[0] ?? '';
    const setNames = [...sets.matchAll(/(#\w+) =/g)].map(
      ([, alias]) => input?.ExpressionAttributeNames?.[alias as string],
    );
    expect(setNames).toContain('ownerShard');
    expect(setNames).not.toContain('stackedIn');
    expect(setNames).not.toContain('stack');
    expect(input?.ConditionExpression).toContain('#stackedIn = :stackedIn');
  });
});

describe('StackStore', () => {
  const store = new StackStore(client, 'stacks', 'results');

  it('writes the stack and each frame’s record in one transaction, each on the record as it was read', async () => {
    const primary = imageItem({ imageId: IDS.older, updatedAt: 'seen-1' });
    const frame = imageItem({ imageId: IDS.newer, updatedAt: 'seen-2' });
    const stack = {
      stackId: STACK,
      owner,
      primary: IDS.older,
      frames: [IDS.older, IDS.newer],
      kind: 'manual' as const,
      createdAt: 'now',
      updatedAt: 'now',
    };
    const written = await store.commit({
      stack: { put: stack },
      frames: [
        { record: primary, stackId: STACK, becomes: { role: 'primary', count: 2 } },
        { record: frame, stackId: STACK, becomes: { role: 'frame', primary: IDS.older } },
      ],
      at: 'now',
    });
    expect(written).toBe(true);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put).toMatchObject({
      TableName: 'stacks',
      Item: { pk: `S#${STACK}`, sk: 'STACK', frames: [IDS.older, IDS.newer] },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]?.Update).toMatchObject({
      TableName: 'results',
      Key: { imageId: IDS.older },
      ConditionExpression: '#updatedAt = :seen',
      ExpressionAttributeValues: { ':seen': 'seen-1', ':stack': { id: STACK, count: 2 } },
    });
    expect(items[1]?.Update?.UpdateExpression).toContain('REMOVE #stackedIn, #stackPrimary');
    expect(items[2]?.Update?.ExpressionAttributeValues).toMatchObject({
      ':stackedIn': STACK,
      ':stackPrimary': IDS.older,
      ':ownerShard': `${owner}#STACKED#${shard}`,
    });
  });

  it('answers false when a condition failed, and touches no list key of a trashed record', async () => {
    const cancelled = Object.assign(new Error('cancelled'), {
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
    });
    dynamo.on(TransactWriteCommand).rejects(cancelled);
    const trashed = imageItem({ status: 'TRASHED', stackedIn: STACK });
    await expect(
      store.commit({ frames: [{ record: trashed, stackId: STACK, becomes: { role: 'none' } }], at: 'now' }),
    ).resolves.toBe(false);
    const update = dynamo.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Update;
    expect(update?.UpdateExpression).toBe('SET #updatedAt = :now REMOVE #stack, #stackedIn, #stackPrimary');
  });

  it('reads the burst postings of each second asked, bounded', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ imageId: IDS.older, phash: '0123456789abcdef', ms: 300 }] });
    dynamo.on(GetCommand).resolves({});
    const found = await store.burstsIn(owner, 'canon%7Cr5', ['2026-05-01T10:00:00', '2026-05-01T10:00:01'], 60);
    expect(found).toHaveLength(2);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': `B#${owner}#canon%7Cr5#2026-05-01T10:00:01` },
      Limit: 60,
    });
    await expect(store.stack(STACK)).resolves.toBeUndefined();
  });
});
