import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TrashMessage } from './messages';

/** SendMessageBatch's limit. */
const BATCH = 10;

/** The trash queue, as the purge function and `POST /trash/empty` write to it. */
export interface ITrashQueue {
  /** Messages sent in batches of ten; throws when SQS refuses any (the caller's message is retried). */
  sendAll(messages: readonly TrashMessage[]): Promise<void>;
}

export class TrashQueue implements ITrashQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async sendAll(messages: readonly TrashMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH) {
      const batch = messages.slice(start, start + BATCH);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
        }),
      );
      if (Failed.length > 0) {
        throw new Error(`SQS refused ${Failed.length} of ${batch.length} trash messages: ${Failed[0]?.Code}`);
      }
    }
  }
}
