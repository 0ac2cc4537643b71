import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { IEventPublisher, PublishedEvent } from './events';

/** What a queue sink's message body is: the event as the publisher was given it. */
export interface QueuedEvent {
  detailType: PublishedEvent['detailType'];
  detail: PublishedEvent['detail'];
}

/**
 * A sink that hands each event to an SQS queue, for a subscriber that reads it there at its own pace: the webhooks'
 * (lambdas/webhooks, docs/webhooks.md). One message per event; the SDK retries a failed send, and a send that still
 * fails is thrown, so the publisher retries the event for every sink (fanOut).
 */
export class QueuePublisher implements IEventPublisher {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(event: PublishedEvent): Promise<void> {
    const body: QueuedEvent = { detailType: event.detailType, detail: event.detail };
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(body) }));
  }
}
