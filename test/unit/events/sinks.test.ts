import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { IEventPublisher, PublishedEvent } from '../../../lambdas/events/events';
import { eventSinks, fanOut } from '../../../lambdas/events/sinks';
import { deletedEvent } from '../../../lambdas/trash/purge-image';
import { imageItem } from '../../support/items';

const event = deletedEvent(imageItem(), '2025-01-02T03:04:05.000Z');

/** A sink that keeps what it was given, and refuses the first `refusals` times (every time: Infinity). */
function sink(refusal?: Error, refusals = Number.POSITIVE_INFINITY): IEventPublisher & { got: PublishedEvent[] } {
  const got: PublishedEvent[] = [];
  return {
    got,
    publish: async (given) => {
      got.push(given);
      if (refusal && got.length <= refusals) throw refusal;
    },
  };
}

const quick = { retryDelayMs: 1 };

describe('eventSinks', () => {
  const bus = mockClient(EventBridgeClient);
  beforeEach(() => bus.reset());

  it('sends every event to the bus the function is given (EventBridge, the first sink)', async () => {
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await eventSinks({ env: { EVENT_BUS_NAME: 'bus-7' } }).publish(event);
    expect(bus).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ EventBusName: 'bus-7', DetailType: 'Image Deleted' })],
    });
  });
});

describe('fanOut', () => {
  it('gives each sink every event', async () => {
    const [a, b] = [sink(), sink()];
    await fanOut([a, b]).publish(event);
    expect([a.got, b.got]).toEqual([[event], [event]]);
  });

  it('gives the others the event when one refuses it, then throws that refusal so the caller retries', async () => {
    const refusal = new Error('endpoint down');
    const [a, b, c] = [sink(), sink(refusal), sink()];
    await expect(fanOut([a, b, c], quick).publish(event)).rejects.toBe(refusal);
    expect([a.got, c.got]).toEqual([[event], [event]]);
    // Asked again, alone, before giving up.
    expect(b.got).toHaveLength(4);
  });

  it('asks only a sink that refused again, so one that took the event never gets it twice', async () => {
    const [bus, webhooks] = [sink(), sink(new Error('SQS: InternalServerError'), 2)];
    await fanOut([bus, webhooks], quick).publish(event);
    expect(bus.got).toEqual([event]);
    expect(webhooks.got).toEqual([event, event, event]);
  });

  it('asks none again when every sink refused: the caller retries the event as a whole', async () => {
    const refusal = new Error('throttled');
    const [a, b] = [sink(refusal), sink(refusal)];
    await expect(fanOut([a, b], quick).publish(event)).rejects.toBe(refusal);
    expect([a.got, b.got]).toEqual([[event], [event]]);
  });

  it('is the sink itself when there is one', () => {
    const only = sink();
    expect(fanOut([only])).toBe(only);
  });
});
