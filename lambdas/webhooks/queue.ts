import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AttemptMessage, ReplayMessage } from './messages';

/** SQS's longest delay: a later attempt waits in hops of this (delivery.ts). */
export const MAX_DELAY_SECONDS = 900;

/** The webhooks' queue, as the delivery function and the replay route write to it. */
export interface IWebhookQueue {
  send(message: AttemptMessage | ReplayMessage, delaySeconds?: number): Promise<void>;
  /** Several messages, sent without delay in batches of ten. */
  sendAll(messages: readonly (AttemptMessage | ReplayMessage)[]): Promise<void>;
}

export class WebhookQueue implements IWebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: AttemptMessage | ReplayMessage, delaySeconds = 0): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
      }),
    );
  }

  async sendAll(messages: readonly (AttemptMessage | ReplayMessage)[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (Failed.length > 0) {
        throw new Error(`SQS refused ${Failed.length} of ${batch.length} webhook messages: ${Failed[0]?.Code}`);
      }
    }
  }
}
