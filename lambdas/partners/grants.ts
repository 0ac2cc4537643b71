import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../shared/errors';
import { deleteCounted, putWithinCount } from '../shared/transactions';
import { grantKey, MAX_PARTNERS_PER_OWNER, PARTNERS_TABLE_DESIGN, partnerCountKey } from './table-design';

/**
 * An owner's grant of read access to another owner of the deployment (docs/api.md#partners): the whole library,
 * the photos taken from a date on (`from`), chosen albums of the grantor's (`albums`), or both narrowings at once.
 */
export interface Grant {
  grantor: string;
  partner: string;
  /** Only these albums' photos. @default - the whole library */
  albums?: string[];
  /** Only photos taken (else uploaded) from this moment on, `YYYY-MM-DDTHH:MM:SS`. @default - every date */
  from?: string;
  createdAt: string;
  updatedAt: string;
}

/** What a grant did: made a new one, replaced the grantor's earlier one to this partner. */
export type GrantWrite = 'created' | 'replaced';

/**
 * The grants (table-design.ts): one item per grantor and partner, read by key on every partner read, listed by
 * grantor on the table and by partner on `byGrantee`; the grantor's count kept exact with each create and revoke.
 */
export class GrantStore {
  constructor(
    private readonly dynamo: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  /** The grant from `grantor` to `partner`, if there is one: the check before any partner read. */
  async get(grantor: string, partner: string): Promise<Grant | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: grantKey(grantor, partner), ConsistentRead: true }),
    );
    return Item ? grantOf(Item) : undefined;
  }

  /**
   * Grant, or replace the grant to the same partner. A new partner raises the grantor's count within `limit` in one
   * transaction with the put; a replacement is a Put conditional on the grant still being there (a revoke between
   * makes it a new one, counted). A 409 past the cap, or when other grants keep the count busy.
   */
  async put(grant: Grant, limit = MAX_PARTNERS_PER_OWNER): Promise<GrantWrite> {
    const item = itemOf(grant);
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await this.get(grant.grantor, grant.partner);
      if (existing) {
        const replaced = await this.replace({ ...item, createdAt: existing.createdAt, grantSort: sortOf(existing) });
        if (replaced) return 'replaced';
        continue;
      }
      const put = await putWithinCount(this.dynamo, {
        tableName: this.tableName,
        countKey: partnerCountKey(grant.grantor),
        counter: 'partners',
        limit,
        item,
      });
      if (put === 'put') return 'created';
      if (put === 'limit') {
        throw new ConflictError(
          `partner: you have ${limit} partners already (the most an owner may have); revoke one first`,
        );
      }
      // 'conflict', or the grant made meanwhile by a request beside this one: read it again.
    }
    throw new ConflictError('partner: your grants were being changed at the same moment; try again');
  }

  /** Revoke at once; false when there was no such grant. */
  async delete(grantor: string, partner: string): Promise<boolean> {
    const done = await deleteCounted(this.dynamo, {
      tableName: this.tableName,
      key: grantKey(grantor, partner),
      countKey: partnerCountKey(grantor),
      counter: 'partners',
    });
    if (done === 'conflict')
      throw new ConflictError('partner: your grants were being changed at the same moment; try again');
    return done === 'deleted';
  }

  /** The grants an owner made, by partner id (at most MAX_PARTNERS_PER_OWNER: one Query). */
  async granted(grantor: string): Promise<Grant[]> {
    return this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :grant)',
      ExpressionAttributeValues: { ':pk': grantKey(grantor, '').pk, ':grant': 'P#' },
    });
  }

  /** The grants an owner received, oldest first (`byGrantee`); at most `limit` when given. */
  async received(partner: string, limit?: number): Promise<Grant[]> {
    const index = PARTNERS_TABLE_DESIGN.indexes.byGrantee;
    return this.queryAll(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#grantee = :grantee',
        ExpressionAttributeNames: { '#grantee': index.partitionKey },
        ExpressionAttributeValues: { ':grantee': partner },
      },
      limit,
    );
  }

  private async replace(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async queryAll(
    input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>,
    limit?: number,
  ): Promise<Grant[]> {
    const grants: Grant[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.dynamo.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ExclusiveStartKey: start,
          ...(limit !== undefined && { Limit: limit - grants.length }),
        }),
      );
      grants.push(...Items.map(grantOf));
      start = LastEvaluatedKey;
    } while (start && (limit === undefined || grants.length < limit));
    return grants;
  }
}

function sortOf(grant: Pick<Grant, 'createdAt' | 'grantor'>): string {
  return `${grant.createdAt}#${grant.grantor}`;
}

function itemOf(grant: Grant): Record<string, unknown> {
  return {
    ...grantKey(grant.grantor, grant.partner),
    grantor: grant.grantor,
    partner: grant.partner,
    ...(grant.albums && { albums: grant.albums }),
    ...(grant.from && { from: grant.from }),
    createdAt: grant.createdAt,
    updatedAt: grant.updatedAt,
    grantee: grant.partner,
    grantSort: sortOf(grant),
  };
}

function grantOf(item: Record<string, unknown>): Grant {
  return {
    grantor: String(item.grantor),
    partner: String(item.partner),
    ...(Array.isArray(item.albums) && { albums: item.albums.map(String) }),
    ...(typeof item.from === 'string' && { from: item.from }),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
