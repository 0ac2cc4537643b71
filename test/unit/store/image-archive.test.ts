import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageStore } from '../../../lambdas/store/image-store';
import { ImageTrash } from '../../../lambdas/store/image-trash';
import { listPartitions, shardAttributes, shardOf } from '../../../lambdas/store/list-shards';
import { TEST_USER } from '../../support/identities';
import { IDS, imageItem, setFields } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const store = new ImageStore(client, 'table-1');
const shard = shardOf(IDS.newer);
const owner = TEST_USER.sub;

const lastUpdate = () => dynamo.commandCalls(UpdateCommand).at(-1)?.args[0].input;

/** How an archived image is filed: its owner's list keys under ARCHIVED, out of everyone's list. */
describe('the archive in the results table', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(UpdateCommand).resolves({});
  });

  it('keys an archived image under its owner’s archive, keeps its status keys, and drops everyone’s list key', () => {
    expect(shardAttributes(IDS.newer, 'PROCESSED', owner, { archived: true })).toEqual({
      ownerShard: `${owner}#ARCHIVED#${shard}`,
      statusShard: `PROCESSED#${shard}`,
      ownerStatusShard: `${owner}#PROCESSED#${shard}`,
    });
    expect(listPartitions({ owner, archived: true })[3]).toBe(`${owner}#ARCHIVED#3`);
    expect(() => listPartitions({ owner, archived: true }, 'PROCESSED')).toThrow('status');
  });

  it('re-files an archived image as archived when a processing run writes it again, on the archive as read', async () => {
    await store.finalise(imageItem({ status: 'PROCESSED', archived: true }));
    const input = lastUpdate();
    expect(setFields(input)).toMatchObject({ ownerShard: `${owner}#ARCHIVED#${shard}` });
    expect(setFields(input)).not.toHaveProperty('archived');
    expect(input?.UpdateExpression).toMatch(/REMOVE .*#r_listShard/);
    expect(input?.ConditionExpression).toContain('#archived = :archivedTrue');
  });

  it('writes an image not archived to its owner’s list, on the condition that it was not archived meanwhile', async () => {
    await store.finalise(imageItem({ status: 'PROCESSED' }));
    const input = lastUpdate();
    expect(setFields(input)).toMatchObject({ ownerShard: `${owner}#${shard}`, listShard: `IMAGE#${shard}` });
    expect(input?.ConditionExpression).toContain('(attribute_not_exists(#archived) OR #archived <> :archivedTrue)');
  });

  it('puts a trashed archived image back into its archive when it is restored', async () => {
    const trash = new ImageTrash(client, 'table-1');
    dynamo.on(UpdateCommand).resolves({ Attributes: imageItem({ status: 'PROCESSED', archived: true }) });
    await trash.restore(imageItem({ status: 'TRASHED', trashedFrom: 'PROCESSED', archived: true }), 'now');
    expect(setFields(lastUpdate())).toMatchObject({ ownerShard: `${owner}#ARCHIVED#${shard}` });
    expect(setFields(lastUpdate())).not.toHaveProperty('listShard');
  });
});
