import type { Tracer } from '@aws-lambda-powertools/tracer';
import { createEventBridgeClient } from '../shared/aws-clients';
import type { IEventPublisher, ImageEvent } from './events';
import { EventBridgePublisher } from './publisher';

/** What a sink is made from: the publishing function's environment (each sink reads its own variables), its tracer. */
export interface SinkContext {
  env: { EVENT_BUS_NAME: string };
  tracer?: Tracer;
}

/**
 * Every place an image event goes, for every function that publishes one (the processor, delete-image,
 * correct-labels). EventBridge is the first sink: anyone on AWS subscribes with a rule. Another kind of subscriber
 * is one module implementing `IEventPublisher` and one line here.
 */
const SINKS: readonly ((context: SinkContext) => IEventPublisher)[] = [
  ({ env, tracer }) => new EventBridgePublisher(createEventBridgeClient(tracer), env.EVENT_BUS_NAME),
];

/** The deployment's sinks as one publisher. */
export function eventSinks(context: SinkContext): IEventPublisher {
  return fanOut(SINKS.map((make) => make(context)));
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
