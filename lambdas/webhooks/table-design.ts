import type { TableDeclaration } from '../settings/resources';
import { shardOf } from '../store/list-shards';

/**
 * How many partitions an endpoint's delivery log is spread over. An endpoint for every owner of a deployment taking
 * the whole design rate (1,000 images a second) has 1,000 deliveries a second, each written twice (created, then its
 * attempt) at 2 KB: about 4,000 write units a second, 250 on each of 16, under a partition's 1,000. A page of the log
 * reads all 16 (a Query each, most of them short).
 */
export const DELIVERY_SHARDS = 16;

/**
 * The webhooks table, shared by the CDK construct, the stores and the local runner. Items:
 *
 * | item                         | pk                           | sk            |
 * | ---------------------------- | ---------------------------- | ------------- |
 * | endpoint                     | `EP#<endpointId>`            | `EP`          |
 * | an owner's endpoint count    | `OWNER#<owner>`              | `ENDPOINTS`   |
| an owner's replays in a minute | `OWNER#<owner>`            | `REPLAYS#<minute>` |
 * | delivery (an event, to one endpoint) | `DL#<endpointId>#<shard>` | `<webhookId>` |
 *
 * Access patterns:
 *
 * | pattern                                        | how                                                          |
 * | ---------------------------------------------- | ------------------------------------------------------------ |
 * | an endpoint, by id (routes, each attempt)      | GetItem                                                      |
 * | the endpoints an event goes to                 | Query `byOwnerEndpoints` on the owner and on `*` (cached 5 s)  |
 * | an owner's endpoints (`GET /webhooks`)         | the same Query; at most `webhookEndpointsPerOwner` items     |
 * | create within the limit                        | a transaction: the count's conditional increment, the put    |
 * | a replay within the owner's rate               | the minute's count, conditionally incremented (its own item per owner: no partition all owners share) |
 * | one range replay per endpoint at a time        | a conditional lease on the endpoint item (`rangeReplayUntil`) |
 * | a delivery, by id (attempt, replay)            | GetItem (`DL#<endpointId>#<shard of the id>`, the id)        |
 * | an endpoint's log, newest first; a time range  | Query each shard, sk descending (ids begin with the time); merge |
 * | an image's deliveries, to forget them when it is deleted for good | Query `byImageDeliveries` on the image id (a few items: its events times its endpoints) |
 *
 * `*` is the owner of an admin's endpoint for every owner. Deliveries expire with `expiresAt` (`webhookLogDays`).
 */
export const WEBHOOKS_TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    byOwnerEndpoints: {
      indexName: 'byOwnerEndpoints',
      /** The endpoint's owner, or `*` for every owner's. Only endpoint items have it. */
      partitionKey: 'endpointOwner',
      /** `<createdAt>#<endpointId>`: oldest first. */
      sortKey: 'endpointSort',
      projection: 'ALL',
    },
    byImageDeliveries: {
      indexName: 'byImageDeliveries',
      /** The image an image event's delivery is about. Only deliveries of image events have it. */
      partitionKey: 'deliveryImage',
      /** The delivery's id. */
      sortKey: 'sk',
      /** The keys: enough to delete them. */
      projection: 'KEYS_ONLY',
    },
  },
} as const;

/** The owner of an endpoint that receives every owner's events (made by an admin). */
export const ALL_OWNERS = '*';

export function endpointKey(endpointId: string) {
  return { pk: `EP#${endpointId}`, sk: 'EP' };
}

export function endpointCountKey(owner: string) {
  return { pk: `OWNER#${owner}`, sk: 'ENDPOINTS' };
}

/** An owner's replay requests in one window (`window`: its start, as the replay use case writes it); expires. */
export function replayCountKey(owner: string, window: string) {
  return { pk: `OWNER#${owner}`, sk: `REPLAYS#${window}` };
}

/** The partition of a delivery: its endpoint's, in the shard of its id. */
export function deliveryPartition(endpointId: string, shard: number): string {
  return `DL#${endpointId}#${shard}`;
}

export function deliveryKey(endpointId: string, webhookId: string) {
  return { pk: deliveryPartition(endpointId, shardOf(webhookId) % DELIVERY_SHARDS), sk: webhookId };
}

/** Webhook endpoints and their delivery log, with `webhooks` on only (docs/webhooks.md). */
export const WEBHOOKS_TABLE: TableDeclaration = {
  name: 'webhooks',
  design: WEBHOOKS_TABLE_DESIGN,
  when: (settings) => settings.webhooks,
  wiring: (tableName) => ({ webhooks: { tableName } }),
  output: { name: 'WebhooksTableName', description: 'Webhook endpoints and their delivery log' },
};
