import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../shared/errors';
import { type IEventPublisher, type PublishedEvent, subjectOf } from './events';
import { EVENT_SOURCE } from './vocabulary';

export interface EventBridgePublisherOptions {
  /** Sends of an entry EventBridge refused (throttled, internal failure) before giving up. Default 3. */
  maxAttempts?: number;
  /** Wait before the first resend, doubled for each next one. Default 100 ms. */
  retryDelayMs?: number;
}

/**
 * Publishes image events to one bus, source `EVENT_SOURCE`. PutEvents answers 200 even when it refuses an entry,
 * so `FailedEntryCount` is checked: a refused entry is sent again, then reported as an `EventPublishError`.
 * (The SDK's own retries only cover failed calls, not refused entries.)
 */
export class EventBridgePublisher implements IEventPublisher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
    options: EventBridgePublisherOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async publish(event: PublishedEvent): Promise<void> {
    const entry = {
      EventBusName: this.eventBusName,
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
    let refusal = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 2)));
      const { FailedEntryCount = 0, Entries = [] } = await this.client.send(new PutEventsCommand({ Entries: [entry] }));
      if (FailedEntryCount === 0) return;
      refusal = `${Entries[0]?.ErrorCode ?? 'unknown'}: ${Entries[0]?.ErrorMessage ?? 'no message'}`;
    }
    throw new EventPublishError(
      `EventBridge refused ${event.detailType} for ${subjectOf(event)} ${this.maxAttempts} times (${refusal})`,
    );
  }
}
