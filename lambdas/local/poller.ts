import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context';

/**
 * Lambda's event source long-polls for SQS's longest wait. An idle poller then costs one request per loop every
 * 20 s, not one a second: a runner left idle used 2 % of a core (moto and the runner together) at 1 s, 0.35 % at 20.
 * A message that arrives while a receive waits is returned at once; stop() aborts the receive in flight.
 */
const LONG_POLL_SECONDS = 20;

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: LambdaHandler<SQSEvent, SQSBatchResponse>;
  /** Batches handled at once (Lambda's concurrency). Default 2. */
  concurrency?: number;
  /** Messages per batch at most (the event source's batch size). Default 10. */
  batchSize?: number;
  /**
   * Seconds to keep gathering a batch after its first message until it is full (the event source's batching
   * window). Default 0: a batch is whatever one receive returns.
   */
  batchWindowSeconds?: number;
  /**
   * Seconds before a failed message is visible again. Lambda leaves it for the whole visibility timeout; the
   * runner shortens that so retries (and the trip to the DLQ) take seconds, not half an hour. Default 2.
   */
  retryDelaySeconds?: number;
  /** The queue's redrive maxReceiveCount: a message failing on that receive is moved to the DLQ. Default 5. */
  maxReceiveCount?: number;
  /** The processor's timeout, for its context. Default 60 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** What the poller has seen, for `/_local/stats` and the tests. */
export interface PollerStats {
  batches: number;
  received: number;
  succeeded: number;
  failed: number;
  /** Messages received more than once (SQS retries). */
  redelivered: number;
  /** The handler itself threw (every message of that batch counts as failed). */
  handlerErrors: number;
  /** Messages that failed on their last allowed receive: SQS moves them to the DLQ instead of retrying. */
  deadLettered: number;
}

/**
 * Lambda's SQS event source mapping, in-process: long-poll the queue, hand real SQS batches to the real
 * processor handler, delete only the messages it did not report in `batchItemFailures`.
 */
export class Poller {
  readonly stats: PollerStats = {
    batches: 0,
    received: 0,
    succeeded: 0,
    failed: 0,
    redelivered: 0,
    handlerErrors: 0,
    deadLettered: 0,
  };
  private running = false;
  private loops: Promise<void>[] = [];
  private abort = new AbortController();

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    this.running = true;
    this.abort = new AbortController();
    const concurrency = this.options.concurrency ?? 2;
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  /** Stop receiving; the batches in hand finish first. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const messages = await this.receive();
        if (messages.length > 0) await this.handle(messages);
      } catch (error) {
        if (!this.running) return;
        this.options.log?.(`poller: ${(error as Error).message}; retrying in 1 s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  /** One batch, as Lambda's poller gathers it: until it is full or the window after its first message closes. */
  private async receive(): Promise<Message[]> {
    const batchSize = this.options.batchSize ?? 10;
    const messages = await this.receiveUpTo(batchSize, LONG_POLL_SECONDS);
    if (messages.length === 0) return messages;
    const deadline = Date.now() + (this.options.batchWindowSeconds ?? 0) * 1000;
    while (messages.length < batchSize && this.running) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const wait = Math.min(LONG_POLL_SECONDS, Math.ceil(left / 1000));
      messages.push(...(await this.receiveUpTo(batchSize - messages.length, wait)));
    }
    return messages;
  }

  /** SQS returns at most 10 messages a call. */
  private async receiveUpTo(count: number, waitSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(10, count),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: this.abort.signal },
    );
    return Messages;
  }

  private async handle(messages: Message[]): Promise<void> {
    const records = messages.map((message) => this.toRecord(message));
    this.stats.batches += 1;
    this.stats.received += records.length;
    this.stats.redelivered += records.filter((r) => Number(r.attributes.ApproximateReceiveCount) > 1).length;
    let failedIds: Set<string>;
    try {
      const context = lambdaContext('processor', this.options.timeoutMs ?? 60_000);
      const response = await this.options.handler({ Records: records }, context);
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      // As with Lambda: a handler that throws fails the whole batch.
      this.stats.handlerErrors += 1;
      this.options.log?.(`processor threw: ${(error as Error).message}`);
      failedIds = new Set(records.map((record) => record.messageId));
    }
    const done = messages.filter((message) => !failedIds.has(message.MessageId as string));
    const failed = messages.filter((message) => failedIds.has(message.MessageId as string));
    this.stats.succeeded += done.length;
    this.stats.failed += failed.length;
    const lastReceive = this.options.maxReceiveCount ?? 5;
    this.stats.deadLettered += failed.filter(
      (message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= lastReceive,
    ).length;
    if (done.length > 0) {
      const { Failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      for (const failure of Failed) this.options.log?.(`poller: could not delete a message: ${failure.Message}`);
    }
    await Promise.all(
      failed.map((message) =>
        this.options.sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: this.options.queueUrl,
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: this.options.retryDelaySeconds ?? 2,
            }),
          )
          // If this fails the message simply waits out the queue's visibility timeout.
          .catch(() => undefined),
      ),
    );
  }

  private toRecord(message: Message): SQSRecord {
    const attributes = message.Attributes ?? {};
    return {
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body ?? '',
      attributes: {
        ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
        SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
        SenderId: attributes.SenderId ?? 'local',
        ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: message.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: process.env.AWS_REGION ?? 'us-east-1',
    };
  }
}
