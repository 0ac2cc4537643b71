import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import type { LocalEndpoint } from './api-server';
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
 * What became of a message the poller handed over, by its id: `deleted` (the handler succeeded), `retried` (it failed
 * and is visible again after the retry delay) or `dead-lettered` (it failed on its last receive: SQS moves it).
 */
export interface MessageOutcome {
  outcome: 'deleted' | 'retried' | 'dead-lettered';
  at: string;
}

/** The latest outcomes kept, oldest forgotten first: a client asks soon after it sends. */
const OUTCOMES_KEPT = 10_000;

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
  private readonly outcomes = new Map<string, MessageOutcome>();
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

  /**
   * What became of the message SQS gave this id (SendMessage's MessageId) when the poller last handed it over, if it
   * has: a test that sends a message waits for its own, not for a shared queue to empty.
   */
  outcomeOf(messageId: string): MessageOutcome | undefined {
    return this.outcomes.get(messageId);
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
    const last = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? 1) >= lastReceive;
    this.stats.deadLettered += failed.filter(last).length;
    if (done.length > 0) {
      const { Failed = [] } = await this.options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: done.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      for (const failure of Failed) this.options.log?.(`poller: could not delete a message: ${failure.Message}`);
      const undeleted = new Set(Failed.map((failure) => failure.Id));
      this.record(
        done.filter((_message, i) => !undeleted.has(String(i))),
        'deleted',
      );
    }
    this.record(
      failed.filter((message) => !last(message)),
      'retried',
    );
    this.record(failed.filter(last), 'dead-lettered');
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

  private record(messages: Message[], outcome: MessageOutcome['outcome']): void {
    const at = new Date().toISOString();
    for (const message of messages) {
      const id = message.MessageId as string;
      // Re-inserted, so the map's order stays the order of the latest outcomes.
      this.outcomes.delete(id);
      this.outcomes.set(id, { outcome, at });
    }
    for (const oldest of this.outcomes.keys()) {
      if (this.outcomes.size <= OUTCOMES_KEPT) break;
      this.outcomes.delete(oldest);
    }
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

const MessagesRequestSchema = z.object({ messageIds: z.array(z.string().min(1)).min(1).max(100) });

/**
 * `POST /_local/messages` `{"messageIds": [...]}`: what became of each message a poller has handed over, by the id
 * SendMessage returned, with the name of its poller's queue; ids no poller has handed over are left out. A test
 * waits for its own messages with it, where a queue's counts would wait for every other client's too.
 */
export function messagesEndpoint(pollers: Record<string, Poller>): LocalEndpoint {
  return {
    method: 'POST',
    path: '/_local/messages',
    jsonOnly: true,
    handle: (body) => {
      let request: z.output<typeof MessagesRequestSchema>;
      try {
        request = MessagesRequestSchema.parse(JSON.parse(body));
      } catch {
        return { status: 400, body: { message: 'send {"messageIds": ["<SendMessage MessageId>", ...]}, 1 to 100' } };
      }
      const messages: Record<string, MessageOutcome & { queue: string }> = {};
      for (const id of request.messageIds) {
        for (const [queue, poller] of Object.entries(pollers)) {
          const outcome = poller.outcomeOf(id);
          if (outcome) messages[id] = { queue, ...outcome };
        }
      }
      return { status: 200, body: { messages } };
    },
  };
}
