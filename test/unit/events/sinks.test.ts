import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { deletedEvent, type IEventPublisher, type ImageEvent } from '../../../lambdas/events/events';
import { eventSinks, fanOut } from '../../../lambdas/events/sinks';
import { imageItem } from '../../support/items';

const event = deletedEvent(imageItem(), '2025-01-02T03:04:05.000Z');

/** A sink that keeps what it was given, and refuses with `refusal` when one is set. */
function sink(refusal?: Error): IEventPublisher & { got: ImageEvent[] } {
  const got: ImageEvent[] = [];
  return {
    got,
    publish: async (given) => {
      got.push(given);
      if (refusal) throw refusal;
    },
  };
}

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
    await expect(fanOut([a, b, c]).publish(event)).rejects.toBe(refusal);
    expect([a.got, c.got]).toEqual([[event], [event]]);
  });

  it('is the sink itself when there is one', () => {
    const only = sink();
    expect(fanOut([only])).toBe(only);
  });
});
