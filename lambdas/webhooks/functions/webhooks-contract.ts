import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import type { DeploymentSettings } from '../../settings';
import { type FunctionEnvironment, setting } from '../../settings/env';
import { formatPortRanges } from '../../settings/webhooks';
import { ENDPOINT_ID_PATTERN, WebhookEventTypeSchema } from '../schemas';
import type { WebhooksWiring } from '../wiring';

/*
 * What the webhook routes share (`/webhooks...`, docs/webhooks.md): their environment, the endpoint as they answer it
 * and the `{id}` they take. They exist only with `webhooks` on (lambdas/manifest/routes.ts). What they run with is in
 * webhooks-api.ts.
 */

/** Every variable a webhook route reads. */
export const WebhooksApiEnvSchema = ApiEnvSchema.extend({
  /** The webhooks table (lambdas/webhooks/table-design.ts). */
  WEBHOOKS_TABLE: z.string().min(1),
  /** The webhooks' queue: a replay is queued there. */
  WEBHOOK_QUEUE_URL: z.string().min(1),
  WEBHOOK_ENDPOINTS_PER_OWNER: setting('webhookEndpointsPerOwner'),
  WEBHOOK_ROTATION_OVERLAP_HOURS: setting('webhookRotationOverlapHours'),
  WEBHOOK_LOOPBACK_PORTS: setting('webhookLoopbackPorts'),
});
export type WebhooksApiEnv = z.output<typeof WebhooksApiEnvSchema>;

export interface WebhooksRouteWiring extends ApiWiring {
  /** The table and queue; there are none while `webhooks` is off. */
  readonly webhooks?: WebhooksWiring;
  readonly settings: Pick<
    DeploymentSettings,
    'corsOrigins' | 'auth' | 'webhookEndpointsPerOwner' | 'webhookRotationOverlapHours' | 'webhookLoopbackPorts'
  >;
}

/** The environment the stack and the local runner give each webhook route. */
export function webhooksApiEnvironment(wiring: WebhooksRouteWiring): FunctionEnvironment {
  if (!wiring.webhooks) throw new Error('the webhook routes need the webhooks table and queue (webhooks on)');
  return {
    ...apiEnvironment(wiring),
    WEBHOOKS_TABLE: wiring.webhooks.tableName,
    WEBHOOK_QUEUE_URL: wiring.webhooks.queueUrl,
    WEBHOOK_ENDPOINTS_PER_OWNER: String(wiring.settings.webhookEndpointsPerOwner),
    WEBHOOK_ROTATION_OVERLAP_HOURS: String(wiring.settings.webhookRotationOverlapHours),
    WEBHOOK_LOOPBACK_PORTS: formatPortRanges(wiring.settings.webhookLoopbackPorts),
  };
}

/** `{id}` of `/webhooks/{id}...`. */
export const EndpointIdPathSchema = z.object({
  id: z.string().regex(ENDPOINT_ID_PATTERN).meta({ description: 'The endpoint id (`ep_` and 26 characters)' }),
});

/** An endpoint as the API answers it: never a secret. */
export const WebhookEndpointSchema = z
  .object({
    endpointId: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z
      .array(WebhookEventTypeSchema)
      .meta({ description: 'The event types it gets; empty: every type, those added later too' }),
    allOwners: z.boolean().meta({ description: "An admin's endpoint that gets every owner's events" }),
    enabled: z.boolean(),
    disabledReason: z.string().optional(),
    failingSince: z
      .string()
      .optional()
      .meta({ description: 'Since when every attempt to it has failed; absent while its last attempt succeeded' }),
    previousSecretExpiresAt: z
      .string()
      .optional()
      .meta({ description: 'After a rotation: until when the previous secret signs beside the new one' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpointAnswer = z.output<typeof WebhookEndpointSchema>;
