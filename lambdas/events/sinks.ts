import type { Tracer } from '@aws-lambda-powertools/tracer';
import { z } from 'zod';
import { createEventBridgeClient, createSqsClient } from '../shared/aws-clients';
import type { IEventPublisher, ImageEvent } from './events';
import { EventBridgePublisher } from './publisher';
import { QueuePublisher } from './queue-sink';

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

/** What a sink is made from: the publishing function's environment (each sink reads its own variables), its tracer. */
export interface SinkContext {
  env: { EVENT_BUS_NAME: string; WEBHOOK_QUEUE_URL?: string };
  tracer?: Tracer;
}

/**
 * Every place an image event goes, for every function that publishes one (the processor, delete-image,
 * correct-labels). EventBridge is the first sink: anyone on AWS subscribes with a rule. Another kind of subscriber
 * is one module implementing `IEventPublisher` and one line here.
 */
const SINKS: readonly ((context: SinkContext) => IEventPublisher | undefined)[] = [
  ({ env, tracer }) => new EventBridgePublisher(createEventBridgeClient(tracer), env.EVENT_BUS_NAME),
  // With webhooks on: the delivery function finds each event's endpoints there (lambdas/webhooks).
  ({ env, tracer }) =>
    env.WEBHOOK_QUEUE_URL ? new QueuePublisher(createSqsClient(tracer), env.WEBHOOK_QUEUE_URL) : undefined,
];

/** The deployment's sinks as one publisher. */
export function eventSinks(context: SinkContext): IEventPublisher {
  return fanOut(SINKS.map((make) => make(context)).filter((sink) => sink !== undefined));
}

/**
 * One publisher for several: each sink is given every event, whatever another does with it. If any refuses, the
 * first refusal is thrown once all have answered, so the caller retries; a retry gives the event to every sink
 * again, which subscribers already expect (delivery is at least once, docs/events.md).
 */
export function fanOut(sinks: readonly IEventPublisher[]): IEventPublisher {
  if (sinks.length === 1) return sinks[0] as IEventPublisher;
  return {
    async publish(event: ImageEvent): Promise<void> {
      const outcomes = await Promise.allSettled(sinks.map((sink) => sink.publish(event)));
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      if (refused) throw refused.reason;
    },
  };
}
