import { z } from 'zod';
import { type Use, uses } from '../kit/uses';

/** The variables of a function that publishes events: one per sink, each part of its contract (`sinkEnvironment`). */
export const SinkEnvShape = {
  EVENT_BUS_NAME: z.string().min(1),
  /** The webhooks' queue (docs/webhooks.md); absent with `webhooks` off. */
  WEBHOOK_QUEUE_URL: z.string().min(1).optional(),
};

/** Where a deployment's sinks are: what a publishing function's contract is made with. */
export interface SinkWiring {
  readonly eventBusName: string;
  /** With `webhooks` on, the queue the delivery function reads. */
  readonly webhookQueueUrl?: string;
}

/** The sinks' variables, for a publishing function's environment. */
export function sinkEnvironment(wiring: SinkWiring): { EVENT_BUS_NAME: string; WEBHOOK_QUEUE_URL?: string } {
  return {
    EVENT_BUS_NAME: wiring.eventBusName,
    ...(wiring.webhookQueueUrl && { WEBHOOK_QUEUE_URL: wiring.webhookQueueUrl }),
  };
}

/** What a publishing function is granted for its sinks: the bus, and with `webhooks` on the webhooks' queue. */
export const SINK_USES: readonly Use[] = [uses.putEvents(), uses.webhookQueue()];
