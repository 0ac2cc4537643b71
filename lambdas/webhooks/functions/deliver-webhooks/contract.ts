import { z } from 'zod';
import { SinkEnvShape, sinkEnvironment } from '../../../events/wiring';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import type { QueueDeclaration } from '../../../settings/resources';
import { formatPortRanges } from '../../../settings/webhooks';
import { PowertoolsEnvSchema } from '../../../shared/contract';
import type { WebhooksWiring } from '../../wiring';

/** The webhooks' queue: redrive, batching, and how long the delivery function may take. */
export const WEBHOOK_QUEUE_DESIGN = {
  /** A message whose handling failed this often (the table or SQS failing, never an endpoint) goes to the DLQ. */
  maxReceiveCount: 5,
  dlqRetentionDays: 14,
  batchSize: 10,
  /** Visibility timeout = this many times the function's timeout (AWS's guidance for SQS event sources). */
  visibilityTimeoutFactor: 6,
} as const;

/**
 * The delivery function's timeout: a batch's attempts run at once, each within `webhookTimeoutSeconds`; the rest is
 * a few table reads and writes per message.
 */
export function deliveryTimeoutSeconds(settings: Pick<DeploymentSettings, 'webhookTimeoutSeconds'>): number {
  return settings.webhookTimeoutSeconds * 2 + 20;
}

/** The webhooks' queue: events for their endpoints, attempts and replays, for deliver-webhooks; `webhooks` on only. */
export const WEBHOOK_QUEUE: QueueDeclaration = {
  name: 'webhooks',
  redrive: WEBHOOK_QUEUE_DESIGN,
  when: (settings) => settings.webhooks,
  consumer: {
    function: 'deliver-webhooks',
    timeoutSeconds: deliveryTimeoutSeconds,
    batchSize: () => WEBHOOK_QUEUE_DESIGN.batchSize,
    visibilityTimeoutSeconds: (settings) =>
      WEBHOOK_QUEUE_DESIGN.visibilityTimeoutFactor * deliveryTimeoutSeconds(settings),
  },
  // The publishers' second sink, and the webhook routes' queue.
  wiring: (queueUrl) => ({ webhookQueueUrl: queueUrl, webhooks: { queueUrl } }),
  outputs: {
    queue: { name: 'WebhookQueueUrl', description: 'Events, attempts and replays for deliver-webhooks' },
    deadLetterQueue: {
      name: 'WebhookDlqUrl',
      description: 'Webhook messages whose handling kept failing (the table or SQS; an endpoint never fails one)',
    },
  },
};

/** Every variable deliver-webhooks reads. */
export const DeliverWebhooksEnvSchema = PowertoolsEnvSchema.extend({
  WEBHOOKS_TABLE: z.string().min(1),
  /** Its own queue: the next attempts go there. Also a sink's: a `Webhook Endpoint Disabled` event goes to every sink. */
  ...SinkEnvShape,
  WEBHOOK_QUEUE_URL: z.string().min(1),
  WEBHOOK_RETRY_SCHEDULE: setting('webhookRetrySchedule'),
  WEBHOOK_TIMEOUT_SECONDS: setting('webhookTimeoutSeconds'),
  WEBHOOK_DISABLE_AFTER_HOURS: setting('webhookDisableAfterHours'),
  WEBHOOK_HOLD_AFTER_MINUTES: setting('webhookHoldAfterMinutes'),
  WEBHOOK_LOG_DAYS: setting('webhookLogDays'),
  WEBHOOK_LOOPBACK_PORTS: setting('webhookLoopbackPorts'),
});
export type DeliverWebhooksEnv = z.output<typeof DeliverWebhooksEnvSchema>;

export interface DeliverWebhooksWiring {
  readonly eventBusName: string;
  readonly webhooks?: WebhooksWiring;
  readonly settings: Pick<
    DeploymentSettings,
    | 'webhookRetrySchedule'
    | 'webhookTimeoutSeconds'
    | 'webhookDisableAfterHours'
    | 'webhookHoldAfterMinutes'
    | 'webhookLogDays'
    | 'webhookLoopbackPorts'
  >;
}

/** The environment the stack and the local runner give deliver-webhooks (with `webhooks` on: it exists only then). */
export function environmentFor(wiring: DeliverWebhooksWiring): FunctionEnvironment {
  const { webhooks, settings } = wiring;
  if (!webhooks) return {};
  return {
    WEBHOOKS_TABLE: webhooks.tableName,
    ...sinkEnvironment({ eventBusName: wiring.eventBusName, webhookQueueUrl: webhooks.queueUrl }),
    // Seconds, which the setting's parser reads as they are.
    WEBHOOK_RETRY_SCHEDULE: settings.webhookRetrySchedule.join(','),
    WEBHOOK_TIMEOUT_SECONDS: String(settings.webhookTimeoutSeconds),
    WEBHOOK_DISABLE_AFTER_HOURS: String(settings.webhookDisableAfterHours),
    WEBHOOK_HOLD_AFTER_MINUTES: String(settings.webhookHoldAfterMinutes),
    WEBHOOK_LOG_DAYS: String(settings.webhookLogDays),
    WEBHOOK_LOOPBACK_PORTS: formatPortRanges(settings.webhookLoopbackPorts),
  };
}
