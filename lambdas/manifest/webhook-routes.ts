import { route as createWebhook } from '../webhooks/functions/create-webhook/route';
import { route as deleteWebhook } from '../webhooks/functions/delete-webhook/route';
import { route as getWebhook } from '../webhooks/functions/get-webhook/route';
import { route as listWebhookDeliveries } from '../webhooks/functions/list-webhook-deliveries/route';
import { route as listWebhooks } from '../webhooks/functions/list-webhooks/route';
import { route as replayWebhookDeliveries } from '../webhooks/functions/replay-webhook-deliveries/route';
import { route as rotateWebhookSecret } from '../webhooks/functions/rotate-webhook-secret/route';
import { route as updateWebhook } from '../webhooks/functions/update-webhook/route';
import { WebhooksApiEnvSchema, webhooksApiEnvironment } from '../webhooks/functions/webhooks-contract';
import type { ApiFunction } from './api-function';
import { uses } from './uses';

/**
 * The webhook routes (docs/webhooks.md): a deployment has them with `webhooks` on (the default). Each reads the
 * endpoint it is about first (its owner is checked), then uses only what it sends.
 */
export const WEBHOOK_API_FUNCTIONS = [
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
    uses: [uses.webhookQuery('byOwnerEndpoints')],
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
    uses: [uses.webhookItems('GetItem'), uses.webhookQuery('table')],
  },
  {
    room: 'webhooks',
    route: replayWebhookDeliveries,
    environmentFor: webhooksApiEnvironment,
    envSchema: WebhooksApiEnvSchema,
    // The endpoint; one delivery marked PENDING and its attempt queued, or the range handed to deliver-webhooks.
    uses: [uses.webhookItems('GetItem', 'UpdateItem'), uses.webhookQueue()],
  },
] as const satisfies readonly ApiFunction[];
