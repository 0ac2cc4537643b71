import type { Tracer } from '@aws-lambda-powertools/tracer';
import { createEventBridgeClient, createSqsClient } from '../shared/aws-clients';
import type { IEventPublisher, PublishedEvent } from './events';
import { EventBridgePublisher } from './publisher';
import { QueuePublisher } from './queue-sink';

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

/** How `fanOut` asks again a sink that refused an event the others took. */
export interface FanOutOptions {
  /** Rounds of asking the refusing sinks again, alone, before giving up. Default 3. */
  retries?: number;
  /** Wait before the first round, doubled for each next one. Default 200 ms. */
  retryDelayMs?: number;
}

/**
 * One publisher for several: each sink is given every event, whatever another does with it. A sink that refuses
 * it (its SDK's own retries spent) is asked again, alone, a few times: the sinks that took the event are never given
 * it twice by one publish. If one still refuses, that refusal is thrown, so the caller retries; that retry gives
 * the event to every sink again, the same event with the same `eventId`, which subscribers drop (delivery is at least
 * once, docs/events.md). A sink that took an event while another refused it is what made a quarter of the calls
 * refused publish `Image Processed` twice (issue 55): asking only the refusing one again keeps that to an outage
 * of a sink longer than these rounds.
 */
export function fanOut(sinks: readonly IEventPublisher[], options: FanOutOptions = {}): IEventPublisher {
  if (sinks.length === 1) return sinks[0] as IEventPublisher;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  return {
    async publish(event: PublishedEvent): Promise<void> {
      let pending = sinks;
      for (let round = 0; ; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (round - 1)));
        const outcomes = await Promise.allSettled(pending.map((sink) => sink.publish(event)));
        const refused = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ i, outcome }] : []));
        if (refused.length === 0) return;
        // Nothing taken at all: no sink to spare a second copy, so the caller's retry is as good as ours.
        if (round >= retries || refused.length === sinks.length) throw refused[0]?.outcome.reason;
        pending = refused.map(({ i }) => pending[i] as IEventPublisher);
      }
    },
  };
}
