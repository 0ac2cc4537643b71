import type { RoomManifest } from '../kit/room';
import { uses } from '../kit/uses';
import { route as createWebhook } from './functions/create-webhook/route';
import { route as deleteWebhook } from './functions/delete-webhook/route';
import {
  DeliverWebhooksEnvSchema,
  environmentFor as deliverWebhooksEnvironment,
  WEBHOOK_QUEUE,
} from './functions/deliver-webhooks/contract';
import { route as getWebhook } from './functions/get-webhook/route';
import { route as listWebhookDeliveries } from './functions/list-webhook-deliveries/route';
import { route as listWebhooks } from './functions/list-webhooks/route';
import { route as replayWebhookDeliveries } from './functions/replay-webhook-deliveries/route';
import { route as rotateWebhookSecret } from './functions/rotate-webhook-secret/route';
import { route as updateWebhook } from './functions/update-webhook/route';
import { WebhooksApiEnvSchema, webhooksApiEnvironment } from './functions/webhooks-contract';
import { WEBHOOKS_TABLE, type WEBHOOKS_TABLE_DESIGN } from './table-design';

/** Where a webhook Query may go: the table itself (an endpoint's delivery log) or one of its indexes. */
type WebhookQueryTarget = 'table' | keyof typeof WEBHOOKS_TABLE_DESIGN.indexes;
const webhookQuery = (...on: WebhookQueryTarget[]) => uses.webhookQuery(...on);

/**
 * The webhooks (docs/webhooks.md), with `webhooks` on (the default): the routes that manage an owner's endpoints
 * (each reads the endpoint it is about first, its owner checked, then uses only what it sends), the function that
 * delivers the events from its queue, and the table of endpoints and deliveries.
 */
export const WEBHOOKS_ROOM: RoomManifest = {
  when: (settings) => settings.webhooks,
  routes: [
    {
      room: 'webhooks',
      route: createWebhook,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      // One transaction: the owner's count raised within the limit, the endpoint put.
      uses: [uses.webhookItems('PutItem', 'UpdateItem')],
    },
    {
      room: 'webhooks',
      route: listWebhooks,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      uses: [webhookQuery('byOwnerEndpoints')],
    },
    {
      room: 'webhooks',
      route: getWebhook,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      uses: [uses.webhookItems('GetItem')],
    },
    {
      room: 'webhooks',
      route: updateWebhook,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      uses: [uses.webhookItems('GetItem', 'UpdateItem')],
    },
    {
      room: 'webhooks',
      route: deleteWebhook,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      // One transaction: the endpoint deleted, the owner's count lowered.
      uses: [uses.webhookItems('GetItem', 'DeleteItem', 'UpdateItem')],
    },
    {
      room: 'webhooks',
      route: rotateWebhookSecret,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      uses: [uses.webhookItems('GetItem', 'UpdateItem')],
    },
    {
      room: 'webhooks',
      route: listWebhookDeliveries,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      // The endpoint, then each shard of its log.
      uses: [uses.webhookItems('GetItem'), webhookQuery('table')],
    },
    {
      room: 'webhooks',
      route: replayWebhookDeliveries,
      environmentFor: webhooksApiEnvironment,
      envSchema: WebhooksApiEnvSchema,
      // The endpoint; one delivery marked PENDING and its attempt queued, or the range handed to deliver-webhooks.
      uses: [uses.webhookItems('GetItem', 'UpdateItem'), uses.webhookQueue()],
    },
  ],
  functions: {
    'deliver-webhooks': {
      room: 'webhooks',
      does: "Signs each event per Standard Webhooks and POSTs it to its owner's endpoints, with retries",
      trigger: 'the webhooks queue: events, attempts and replays, in batches with partial failures (webhooks on)',
      environmentFor: deliverWebhooksEnvironment,
      envSchema: DeliverWebhooksEnvSchema,
      uses: [
        // An event's endpoints, by owner; each delivery created, read and updated, the endpoint marked failing,
        // healthy or disabled; a replay's page of the log; an image deleted for good: its deliveries found and deleted.
        webhookQuery('byOwnerEndpoints', 'byImageDeliveries', 'table'),
        uses.webhookItems('GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'),
        // The next attempt, a replay's next page, and a Webhook Endpoint Disabled event for the other endpoints.
        uses.webhookQueue(),
        uses.putEvents(),
      ],
    },
  },
  tables: [WEBHOOKS_TABLE],
  queues: [WEBHOOK_QUEUE],
};
