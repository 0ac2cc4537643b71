import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DETAIL_TYPES } from '../manifest/events';
import { DELIVERY_SHARDS, deliveryKey, deliveryPartition, WEBHOOKS_TABLE_DESIGN } from './table-design';

const byImage = WEBHOOKS_TABLE_DESIGN.indexes.byImageDeliveries;

/** One attempt of a delivery, as the log keeps it. */
export interface DeliveryAttempt {
  at: string;
  /** Which attempt of the schedule it was, from 1 (a replay starts again at 1). */
  attempt: number;
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  /** The start of the answer. */
  excerpt?: string;
  error?: string;
  replay?: boolean;
}

/** HELD: not sent, as its endpoint was failing when the event came; sent when it succeeds again, or by a replay. */
export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'HELD';

/** One event's delivery to one endpoint: what was sent, and every attempt. */
export interface Delivery {
  endpointId: string;
  webhookId: string;
  eventType: string;
  /** The image it is about, for an image event. */
  imageId?: string;
  /** The body every attempt sends, as it was first sent. */
  payload: string;
  status: DeliveryStatus;
  createdAt: string;
  /** When the next attempt is due, while PENDING after a failure. */
  nextAttemptAt?: string;
  attempts: DeliveryAttempt[];
  /** Epoch seconds: DynamoDB's TTL deletes it after (`webhookLogDays`). */
  expiresAt: number;
}

/** The attempts a delivery's item keeps (the latest); a replay or two never makes the item grow without bound. */
export const KEPT_ATTEMPTS = 30;

/** A page of an endpoint's log: `after` is where the next page starts (the last id of this one). */
export interface DeliveryPage {
  deliveries: Delivery[];
  after?: string;
}

/** The delivery log (table-design.ts): an item per event and endpoint, spread over DELIVERY_SHARDS partitions. */
export class DeliveryLog {
  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Record a new delivery; false if it is recorded already (the same event published again). */
  async create(delivery: Delivery): Promise<boolean> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKey(delivery.endpointId, delivery.webhookId),
            ...delivery,
            // Found by its image when the image is deleted for good (forgetImage).
            ...(delivery.imageId && { [byImage.partitionKey]: delivery.imageId }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async get(endpointId: string, webhookId: string): Promise<Delivery | undefined> {
    const { Item } = await this.dynamo.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(endpointId, webhookId) }),
    );
    return Item && toDelivery(Item);
  }

  /**
   * Add an attempt to a delivery as it was read before it, and the status it leaves (the next attempt's time while
   * PENDING); the latest KEPT_ATTEMPTS are kept.
   */
  async recordAttempt(
    delivery: Pick<Delivery, 'endpointId' | 'webhookId' | 'attempts'>,
    attempt: DeliveryAttempt,
    status: DeliveryStatus,
    nextAttemptAt?: string,
  ): Promise<void> {
    const attempts = [...delivery.attempts, attempt].slice(-KEPT_ATTEMPTS);
    await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: deliveryKey(delivery.endpointId, delivery.webhookId),
        UpdateExpression: `SET attempts = :attempts, #status = :status${nextAttemptAt ? ', nextAttemptAt = :next' : ''}${nextAttemptAt ? '' : ' REMOVE nextAttemptAt'}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':attempts': attempts,
          ':status': status,
          ...(nextAttemptAt && { ':next': nextAttemptAt }),
        },
      }),
    );
  }

  /**
   * Mark a delivery queued again (a replay): PENDING until its attempt says otherwise. Only a delivery that is not
   * PENDING already: one whose attempts are under way (its schedule, or a replay queued before) is `pending`, and
   * queues nothing more, so however many replays name it, one attempt chain runs at a time. The notice of an image's
   * deletion is never sent again (`forgotten`): its image's other deliveries are gone (forgetImage).
   */
  async requeue(
    endpointId: string,
    webhookId: string,
    at: string,
  ): Promise<'queued' | 'pending' | 'missing' | 'forgotten'> {
    if (await this.setStatus(endpointId, webhookId, 'PENDING', 'settled', { nextAttemptAt: at })) return 'queued';
    const found = await this.get(endpointId, webhookId);
    if (!found) return 'missing';
    return found.eventType === DETAIL_TYPES.deleted ? 'forgotten' : 'pending';
  }

  /**
   * Delete the deliveries of an image deleted for good (its tags, labels, place and hashes in their payloads), all
   * but `keep` (those of the deletion's own event, never sent again: requeue). Found through `byImageDeliveries`:
   * a few items (its events times its endpoints), each deleted. Answers how many went.
   */
  async forgetImage(imageId: string, keep: string): Promise<number> {
    let forgotten = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byImage.indexName,
          KeyConditionExpression: '#image = :image',
          ExpressionAttributeNames: { '#image': byImage.partitionKey },
          ExpressionAttributeValues: { ':image': imageId },
          ExclusiveStartKey: start,
        }),
      );
      const keys = (page.Items ?? []).filter(({ sk }) => sk !== keep).map(({ pk, sk }) => ({ pk, sk }));
      await Promise.all(keys.map((Key) => this.dynamo.send(new DeleteCommand({ TableName: this.tableName, Key }))));
      forgotten += keys.length;
      start = page.LastEvaluatedKey;
    } while (start);
    return forgotten;
  }

  /**
   * Hold a delivery a replay named while its endpoint fails (delivery.ts): HELD, sent when the endpoint succeeds
   * again. `was`: `settled` for one the replay has not queued (left alone if PENDING), `pending` for its queued attempt.
   */
  async hold(endpointId: string, webhookId: string, was: 'settled' | 'pending'): Promise<boolean> {
    return this.setStatus(endpointId, webhookId, 'HELD', was);
  }

  private async setStatus(
    endpointId: string,
    webhookId: string,
    status: DeliveryStatus,
    was: 'settled' | 'pending',
    set: { nextAttemptAt?: string } = {},
  ): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(endpointId, webhookId),
          UpdateExpression: set.nextAttemptAt
            ? 'SET #status = :status, nextAttemptAt = :at'
            : 'SET #status = :status REMOVE nextAttemptAt',
          // A settled deletion notice is sent again only if it was never sent (held).
          ConditionExpression:
            was === 'settled'
              ? 'attribute_exists(pk) AND #status <> :pending AND (eventType <> :deleted OR #status = :held)'
              : 'attribute_exists(pk) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':pending': 'PENDING',
            ...(was === 'settled' && { ':deleted': DETAIL_TYPES.deleted, ':held': 'HELD' }),
            ...(set.nextAttemptAt && { ':at': set.nextAttemptAt }),
          },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /**
   * A page of an endpoint's log, newest first: the newest `limit` of every shard before `after`, merged. Ids begin with
   * the event's time (messages.ts), so the id order is the time order across shards.
   */
  async page(endpointId: string, limit: number, after?: string): Promise<DeliveryPage> {
    const shards = await Promise.all(
      Array.from({ length: DELIVERY_SHARDS }, (_, shard) =>
        this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: after ? 'pk = :pk AND sk < :after' : 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': deliveryPartition(endpointId, shard),
              ...(after && { ':after': after }),
            },
            ScanIndexForward: false,
            Limit: limit,
          }),
        ),
      ),
    );
    const merged = shards
      .flatMap(({ Items }) => (Items ?? []).map(toDelivery))
      .sort((a, b) => (a.webhookId < b.webhookId ? 1 : -1));
    const deliveries = merged.slice(0, limit);
    const more = merged.length > limit || shards.some(({ LastEvaluatedKey }) => LastEvaluatedKey !== undefined);
    return { deliveries, ...(more && deliveries.length > 0 && { after: deliveries.at(-1)?.webhookId }) };
  }

  /** Up to `limit` deliveries of one shard between two ids (inclusive), in order, after `after`: a replay's page. */
  async deliveriesBetween(
    endpointId: string,
    shard: number,
    from: string,
    to: string,
    limit: number,
    after?: string,
  ): Promise<{ webhookId: string; status: DeliveryStatus }[]> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pk': deliveryPartition(endpointId, shard),
          ':from': after ? `${after}\u0000` : from,
          ':to': to,
        },
        ProjectionExpression: 'sk, #status',
        Limit: limit,
      }),
    );
    return Items.map(({ sk, status }) => ({ webhookId: sk as string, status: status as DeliveryStatus }));
  }
}

function toDelivery(item: Record<string, unknown>): Delivery {
  const { pk: _pk, sk: _sk, [byImage.partitionKey]: _image, ...delivery } = item;
  return delivery as unknown as Delivery;
}
