import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageStore } from '../../../lambdas/store/image-store';
import { ImageTrash } from '../../../lambdas/store/image-trash';
import { listPartitions, shardAttributes, shardOf } from '../../../lambdas/store/list-shards';
import { LIST_SHARDS } from '../../../lambdas/store/table-design';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem, setFields } from '../../support/items';

/** The locked folder's keys (list-shards.ts): every list key moves under LOCKED, but the purge's global trash key. */
const ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const owner = 'ann';
const shard = shardOf(ID);

describe('the list keys of a locked image', () => {
  it('files every owner and global key under LOCKED and drops everyone’s list key', () => {
    expect(shardAttributes(ID, 'PROCESSED', owner, { locked: true })).toEqual({
      statusShard: `LOCKED#PROCESSED#${shard}`,
      ownerShard: `${owner}#LOCKED#${shard}`,
      ownerStatusShard: `${owner}#LOCKED#PROCESSED#${shard}`,
    });
  });

  it('wins over the archive, whose flag alone files it there again once unlocked', () => {
    expect(shardAttributes(ID, 'PROCESSED', owner, { locked: true, archived: true })).toEqual(
      shardAttributes(ID, 'PROCESSED', owner, { locked: true }),
    );
    expect(shardAttributes(ID, 'PROCESSED', owner, { locked: false, archived: true }).ownerShard).toBe(
      `${owner}#ARCHIVED#${shard}`,
    );
  });

  it('keeps it out of its owner’s trash list but in the trash the purge sweeps', () => {
    expect(shardAttributes(ID, 'TRASHED', owner, { locked: true })).toEqual({
      statusShard: `TRASHED#${shard}`,
      ownerShard: `${owner}#LOCKED#${shard}`,
      ownerStatusShard: `${owner}#LOCKED#TRASHED#${shard}`,
    });
  });

  it('lists the locked folder, by status or not, from its own partitions only', () => {
    const all = listPartitions({ owner, locked: true });
    expect(all).toHaveLength(LIST_SHARDS);
    expect(all[shard]).toBe(`${owner}#LOCKED#${shard}`);
    expect(listPartitions({ owner, locked: true }, 'PROCESSED')[shard]).toBe(`${owner}#LOCKED#PROCESSED#${shard}`);
    // The plain lists never read them.
    expect(listPartitions({ owner })).not.toContain(`${owner}#LOCKED#${shard}`);
    expect(() => listPartitions({ owner, locked: true, archived: true })).toThrow(/apart/);
  });
});

describe('the locked folder in the results table', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  const store = new ImageStore(client, 'table-1');
  const user = TEST_USER.sub;
  const at = shardOf(IDS.newer);
  const lastUpdate = () => dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;

  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('locks with every list key in the same conditional write, and unlocks back into the archive', async () => {
    const item = imageItem({ status: 'PROCESSED', archived: true });
    await store.setLocked({ ...item, locked: true, updatedAt: 'later' }, item.updatedAt);
    expect(setFields(lastUpdate())).toMatchObject({
      locked: true,
      statusShard: `LOCKED#PROCESSED#${at}`,
      ownerShard: `${user}#LOCKED#${at}`,
      ownerStatusShard: `${user}#LOCKED#PROCESSED#${at}`,
    });
    expect(lastUpdate()?.UpdateExpression).toMatch(/REMOVE .*#listShard/);
    expect(lastUpdate()?.ConditionExpression).toBe('updatedAt = :seen');
    await store.setLocked({ ...item, locked: false, updatedAt: 'later' }, item.updatedAt);
    expect(setFields(lastUpdate())).toMatchObject({
      locked: false,
      statusShard: `PROCESSED#${at}`,
      ownerShard: `${user}#ARCHIVED#${at}`,
      ownerStatusShard: `${user}#PROCESSED#${at}`,
    });
  });

  it('keeps a re-analysed locked image locked, on the condition that it still is', async () => {
    await store.finalise(imageItem({ status: 'PROCESSED', locked: true }));
    const input = lastUpdate();
    expect(setFields(input)).toMatchObject({ ownerShard: `${user}#LOCKED#${at}` });
    expect(setFields(input)).not.toHaveProperty('locked');
    expect(input?.UpdateExpression).toMatch(/REMOVE .*#r_listShard/);
    expect(input?.ConditionExpression).toContain('#locked = :lockedTrue');
    await store.finalise(imageItem({ status: 'PROCESSED' }));
    expect(lastUpdate()?.ConditionExpression).toContain('(attribute_not_exists(#locked) OR #locked <> :lockedTrue)');
  });

  it('trashes a locked image out of its owner’s trash list, and restores it into the locked folder', async () => {
    const trash = new ImageTrash(client, 'table-1');
    dynamo.on(UpdateCommand).resolves({ Attributes: imageItem({ status: 'TRASHED', locked: true }) });
    await trash.trash(imageItem({ status: 'PROCESSED', locked: true }), { at: 'now', purgeAt: 'later' });
    expect(setFields(lastUpdate())).toMatchObject({
      statusShard: `TRASHED#${at}`,
      ownerStatusShard: `${user}#LOCKED#TRASHED#${at}`,
    });
    await trash.restore(imageItem({ status: 'TRASHED', trashedFrom: 'PROCESSED', locked: true }), 'now');
    expect(setFields(lastUpdate())).toMatchObject({
      statusShard: `LOCKED#PROCESSED#${at}`,
      ownerShard: `${user}#LOCKED#${at}`,
    });
    expect(setFields(lastUpdate())).not.toHaveProperty('listShard');
  });
});
