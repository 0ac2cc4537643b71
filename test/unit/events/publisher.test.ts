import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgePublisher } from '../../../lambdas/events/publisher';
import { deletedEvent } from '../../../lambdas/trash/purge-image';
import { imageItem } from '../../support/items';

const events = mockClient(EventBridgeClient);
const event = deletedEvent(imageItem(), '2025-01-02T03:04:05.000Z');
const refused = { FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] };

function publisher(maxAttempts = 3) {
  return new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'bus-1', {
    maxAttempts,
    retryDelayMs: 0,
  });
}

describe('EventBridgePublisher', () => {
  beforeEach(() => events.reset());

  it('puts one entry on the bus with the pipeline source, the detail type and the detail as JSON', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await publisher().publish(event);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        {
          EventBusName: 'bus-1',
          Source: 'image-intel',
          DetailType: 'Image Deleted',
          Detail: JSON.stringify(event.detail),
        },
      ],
    });
  });

  it('sends a refused entry again', async () => {
    events
      .on(PutEventsCommand)
      .resolvesOnce(refused)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    await publisher().publish(event);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('fails with EventBridge’s reason once every attempt was refused', async () => {
    events.on(PutEventsCommand).resolves(refused);
    await expect(publisher(2).publish(event)).rejects.toMatchObject({
      name: 'EventPublishError',
      message: expect.stringContaining('ThrottlingException: Rate exceeded'),
    });
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it('lets a failed call fail (the SDK already retried it)', async () => {
    events.on(PutEventsCommand).rejects(new Error('AccessDeniedException'));
    await expect(publisher().publish(event)).rejects.toThrow('AccessDeniedException');
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
  });
});
