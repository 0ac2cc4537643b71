import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../shared/errors';
import { deleteCounted, putWithinCount } from '../shared/transactions';
import type { WebhookEndpoint } from './endpoint';
import { endpointCountKey, endpointKey, replayCountKey, WEBHOOKS_TABLE_DESIGN } from './table-design';

/** The endpoints an owner has reached its limit of. */
export class EndpointLimitError extends TooManyRequestsError {}

/** What an update may change. */
export type EndpointChange = Partial<Pick<WebhookEndpoint, 'url' | 'description' | 'eventTypes'>> & {
  enabled?: boolean;
  disabledReason?: string;
};

/**
 * The endpoints (table-design.ts): each an item by id, listed per owner through `byOwnerEndpoints`, and counted per
 * owner so a create within the limit is one transaction.
 */
export class EndpointStore {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Put a new endpoint, unless its owner has `limit` already (a 429 that says so). */
  async create(endpoint: WebhookEndpoint, limit: number): Promise<void> {
    const { indexes } = WEBHOOKS_TABLE_DESIGN;
    const done = await putWithinCount(this.dynamo, {
      tableName: this.tableName,
      countKey: endpointCountKey(endpoint.owner),
      counter: 'endpoints',
      limit,
      item: {
        ...endpointKey(endpoint.endpointId),
        ...endpoint,
        [indexes.byOwnerEndpoints.partitionKey]: endpoint.owner,
        [indexes.byOwnerEndpoints.sortKey]: `${endpoint.createdAt}#${endpoint.endpointId}`,
      },
    });
    if (done === 'limit') {
      throw new EndpointLimitError(`at most ${limit} webhook endpoints per owner (webhookEndpointsPerOwner)`, 3600);
    }
    if (done === 'conflict')
      throw new ConflictError(
        'another webhook endpoint of this owner was being created or deleted at the same moment: try again',
      );
  }

  async get(endpointId: string, consistent = false): Promise<WebhookEndpoint | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: endpointKey(endpointId), ConsistentRead: consistent }),
    );
    return Item && toEndpoint(Item);
  }

  /** An owner's endpoints (`*`: those for every owner), oldest first: at most the limit, so one page. */
  async listOf(owner: string): Promise<WebhookEndpoint[]> {
    const index = WEBHOOKS_TABLE_DESIGN.indexes.byOwnerEndpoints;
    const found: WebhookEndpoint[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': index.partitionKey },
          ExpressionAttributeValues: { ':owner': owner },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(page.Items ?? []).map(toEndpoint));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  /** Change an existing endpoint; enabling it again clears its failures. Answers it as it is now. */
  async update(endpointId: string, change: EndpointChange, now: string): Promise<WebhookEndpoint> {
    const sets: string[] = ['updatedAt = :now'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':now': now };
    const names: Record<string, string> = {};
    for (const field of ['url', 'description', 'eventTypes', 'enabled', 'disabledReason'] as const) {
      if (change[field] === undefined) continue;
      sets.push(`#${field} = :${field}`);
      names[`#${field}`] = field;
      values[`:${field}`] = change[field];
    }
    if (change.enabled === true) removes.push('disabledReason', 'failingSince');
    const removal = removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : '';
    return this.write(endpointId, `SET ${sets.join(', ')}${removal}`, values, undefined, names);
  }

  /** A new current secret; the others sign until `overlapEnds` (those already past it are dropped). */
  async rotate(endpoint: WebhookEndpoint, secret: string, now: string, overlapEnds: string): Promise<WebhookEndpoint> {
    const kept = endpoint.secrets
      .filter(({ expiresAt }) => expiresAt === undefined || expiresAt > now)
      .map((old) => ({
        ...old,
        expiresAt: old.expiresAt && old.expiresAt < overlapEnds ? old.expiresAt : overlapEnds,
      }));
    return this.write(
      endpoint.endpointId,
      'SET secrets = :secrets, updatedAt = :now',
      { ':secrets': [{ secret, createdAt: now }, ...kept], ':now': now },
      // A rotation that raced another would drop its secret: the second is told to try again.
      { expression: 'updatedAt = :was', values: { ':was': endpoint.updatedAt } },
    );
  }

  /**
   * Delete an endpoint and count it off its owner's limit. Of concurrent deletes one deletes it; the others find it
   * gone (its condition fails) and answer 404, as a delete after it would.
   */
  async delete(endpoint: WebhookEndpoint): Promise<void> {
    const done = await deleteCounted(this.dynamo, {
      tableName: this.tableName,
      key: endpointKey(endpoint.endpointId),
      countKey: endpointCountKey(endpoint.owner),
      counter: 'endpoints',
    });
    if (done === 'missing') throw new NotFoundError(`webhook endpoint ${endpoint.endpointId} not found`);
    if (done === 'conflict')
      throw new ConflictError(
        `webhook endpoint ${endpoint.endpointId} or another of its owner's was being changed at the same moment: try again`,
      );
  }

  /** The first failure since its last success (a later one leaves the date as it is). */
  async markFailing(endpointId: string, since: string): Promise<void> {
    await this.quietly(
      endpointId,
      'SET failingSince = :since',
      { ':since': since },
      'attribute_not_exists(failingSince)',
    );
  }

  /**
   * A success after failures: its failures and held replays forgotten. Answers how far back its held deliveries go
   * (`heldFrom`, when replays were held), or undefined if another attempt marked it first.
   */
  async markHealthy(endpointId: string): Promise<{ heldFrom?: string } | undefined> {
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(endpointId),
          UpdateExpression: 'REMOVE failingSince, heldFrom',
          ConditionExpression: 'attribute_exists(pk) AND attribute_exists(failingSince)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      const heldFrom = Attributes?.heldFrom as string | undefined;
      return heldFrom ? { heldFrom } : {};
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /**
   * Note that a replay held deliveries of events from `from` on, so the release when the endpoint succeeds again
   * reaches them (their events may be older than its failures). False if the endpoint is not failing (any more):
   * the caller sends them instead.
   */
  async noteHeld(endpointId: string, from: string): Promise<boolean> {
    const noted = await this.quietly(
      endpointId,
      'SET heldFrom = :from',
      { ':from': from },
      'attribute_exists(failingSince) AND (attribute_not_exists(heldFrom) OR heldFrom > :from)',
    );
    if (noted) return true;
    return (await this.get(endpointId, true))?.failingSince !== undefined;
  }

  /**
   * Begin a range replay of an endpoint, unless one is under way: undefined when this one may run until `until`, else
   * when the one under way ends at the latest. The walk ends it (endRangeReplay); `until` bounds a walk that died.
   */
  async claimRangeReplay(endpointId: string, until: string, now: string): Promise<string | undefined> {
    const claimed = await this.quietly(
      endpointId,
      'SET rangeReplayUntil = :until',
      { ':until': until, ':now': now },
      '(attribute_not_exists(rangeReplayUntil) OR rangeReplayUntil < :now)',
    );
    if (claimed) return undefined;
    return (await this.get(endpointId, true))?.rangeReplayUntil ?? now;
  }

  /** The range replay that began with `until` is done: another may begin. */
  async endRangeReplay(endpointId: string, until: string): Promise<void> {
    await this.quietly(endpointId, 'REMOVE rangeReplayUntil', { ':until': until }, 'rangeReplayUntil = :until');
  }

  /**
   * Count one replay request of an owner in the window `window` (an item per owner and window, so no partition is
   * shared by all owners); false if the owner has made `limit` in it already.
   */
  async countReplay(owner: string, window: string, limit: number, expiresAt: number): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: replayCountKey(owner, window),
          UpdateExpression: 'ADD replays :one SET expiresAt = if_not_exists(expiresAt, :expires)',
          ConditionExpression: 'attribute_not_exists(replays) OR replays < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': expiresAt },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Disable an endpoint that has failed since `failingSince`; false if it was not (enabled and still failing). */
  async disableFailing(endpointId: string, failingSince: string, reason: string, now: string): Promise<boolean> {
    return this.quietly(
      endpointId,
      'SET enabled = :false, disabledReason = :reason, updatedAt = :now',
      { ':false': false, ':true': true, ':reason': reason, ':now': now, ':since': failingSince },
      'enabled = :true AND failingSince = :since',
    );
  }

  private async write(
    endpointId: string,
    expression: string,
    values: Record<string, unknown>,
    condition?: { expression: string; values: Record<string, unknown> },
    names?: Record<string, string>,
  ): Promise<WebhookEndpoint> {
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(endpointId),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk)${condition ? ` AND ${condition.expression}` : ''}`,
          ExpressionAttributeValues: { ...values, ...condition?.values },
          ...(names && Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toEndpoint(Attributes as Record<string, unknown>);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw new ConflictError(
          `webhook endpoint ${endpointId} was deleted or changed meanwhile: read it and try again`,
        );
      }
      throw error;
    }
  }

  /** An update whose condition failing means there was nothing to do. */
  private async quietly(
    endpointId: string,
    expression: string,
    values: Record<string, unknown>,
    condition: string,
  ): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: endpointKey(endpointId),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** The endpoint fields of an item (its keys and index attributes left out). */
function toEndpoint(item: Record<string, unknown>): WebhookEndpoint {
  const { pk: _pk, sk: _sk, endpointOwner: _owner, endpointSort: _sort, ...endpoint } = item;
  return endpoint as unknown as WebhookEndpoint;
}
