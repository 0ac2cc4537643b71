import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_DESIGN } from '../store/table-design';

/** Images a `shard` message reads: 100 keeps one invocation to one query and ten SendMessageBatch calls. */
export const PAGE_SIZE = 100;

export interface TrashPageQuery {
  shard: number;
  /** One owner's trash (`byOwnerStatusSharded`), or everyone's (`byStatusSharded`). */
  owner?: string;
  /** Only images moved to the trash at or before this time (their `updatedAt`, which the indexes project). */
  trashedBy: string;
  cursor?: string;
}

export interface TrashPage {
  imageIds: string[];
  /** The last id read, while the shard may hold more. */
  cursor?: string;
}

/** Port: one page of one shard of the trash. */
export interface ITrashPages {
  page(query: TrashPageQuery): Promise<TrashPage>;
}

/**
 * The trash is the TRASHED partitions of the status indexes (store/image-trash.ts), sharded as every list is: a
 * page is one Query of one partition, oldest id first, filtered on the projected `updatedAt` (a trashed record's
 * `trashedAt`), so no record is read. The filter is applied after the read: a sweep reads every trashed image's
 * index entry (~200 bytes) once, due or not.
 */
export class TrashPages implements ITrashPages {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page({ shard, owner, trashedBy, cursor }: TrashPageQuery): Promise<TrashPage> {
    const index =
      owner === undefined ? TABLE_DESIGN.indexes.byStatusSharded : TABLE_DESIGN.indexes.byOwnerStatusSharded;
    const partition = owner === undefined ? `TRASHED#${shard}` : `${owner}#TRASHED#${shard}`;
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: cursor === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
        FilterExpression: '#at <= :by',
        ExpressionAttributeNames: {
          '#pk': index.partitionKey,
          '#at': 'updatedAt',
          ...(cursor && { '#sk': index.sortKey }),
        },
        ExpressionAttributeValues: { ':pk': partition, ':by': trashedBy, ...(cursor && { ':after': cursor }) },
        ProjectionExpression: 'imageId',
        ScanIndexForward: true,
        Limit: PAGE_SIZE,
      }),
    );
    const last = LastEvaluatedKey?.imageId as string | undefined;
    return { imageIds: Items.map((item) => item.imageId as string), ...(last && { cursor: last }) };
  }
}
