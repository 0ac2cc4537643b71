import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import {
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { EVENT_SOURCE } from '../../lambdas/events/vocabulary';
import { createQueue } from '../../lambdas/local/resources';
import type { E2eTarget } from './target';

export function clientsFor(target: E2eTarget) {
  const common = target.endpoint
    ? {
        endpoint: target.endpoint,
        region: process.env.AWS_REGION ?? 'us-east-1',
        credentials: {
          accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
          secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
        },
      }
    : {};
  return {
    api: new ImageApiClient(target.apiUrl, { apiKey: target.apiKey, bearerToken: target.bearerToken }),
    /** An admin, who also sees images without an owner (no upload URL was issued for them). */
    admin: new ImageApiClient(target.apiUrl, {
      apiKey: target.apiKey,
      bearerToken: target.users?.admin.token ?? target.bearerToken,
    }),
    s3: new S3Client({ ...common, forcePathStyle: Boolean(target.endpoint) }),
    sqs: new SQSClient(common),
    events: new EventBridgeClient(common),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient(common)),
  };
}

/** Retry `probe` until it returns something other than undefined, or fail with `what` at the deadline. */
export async function eventually<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface ReceivedEvent {
  detailType: string;
  source: string;
  detail: { imageId: string; [field: string]: unknown };
}

/**
 * A subscriber made for this run, as a user would make one: a rule on the pipeline's bus matching our source,
 * delivering to a fresh SQS queue. Everything it received is kept, so a test can also prove what did NOT arrive.
 */
export class EventCollector {
  readonly events: ReceivedEvent[] = [];
  private readonly name = `e2e-subscriber-${randomBytes(4).toString('hex')}`;
  private queueUrl = '';
  private running = false;
  private loop?: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly sqs: SQSClient,
    private readonly eventBridge: EventBridgeClient,
    private readonly eventBus: string,
  ) {}

  async start(): Promise<void> {
    const { url, arn: queueArn } = await createQueue(this.sqs, this.name, {});
    this.queueUrl = url;
    const { RuleArn } = await this.eventBridge.send(
      new PutRuleCommand({
        Name: this.name,
        EventBusName: this.eventBus,
        EventPattern: JSON.stringify({ source: [EVENT_SOURCE] }),
      }),
    );
    // In AWS the queue must allow EventBridge to send to it, from this rule only.
    await this.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sqs:SendMessage',
                Resource: queueArn,
                Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } },
              },
            ],
          }),
        },
      }),
    );
    await this.eventBridge.send(
      new PutTargetsCommand({
        Rule: this.name,
        EventBusName: this.eventBus,
        Targets: [{ Id: 'queue', Arn: queueArn }],
      }),
    );
    this.running = true;
    this.loop = this.poll();
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const { Messages = [] } = await this.sqs
        .send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }), {
          abortSignal: this.abort.signal,
        })
        .catch(() => ({ Messages: [] }));
      for (const message of Messages) {
        const event = JSON.parse(message.Body ?? '{}');
        this.events.push({ detailType: event['detail-type'], source: event.source, detail: event.detail });
      }
      if (Messages.length > 0) {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
  }

  of(imageId: string, detailType?: string): ReceivedEvent[] {
    return this.events.filter((e) => e.detail?.imageId === imageId && (!detailType || e.detailType === detailType));
  }

  waitFor(imageId: string, detailType: string, timeoutMs: number): Promise<ReceivedEvent> {
    return eventually(`${detailType} for ${imageId}`, timeoutMs, async () => this.of(imageId, detailType)[0]);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
    await this.eventBridge.send(
      new RemoveTargetsCommand({ Rule: this.name, EventBusName: this.eventBus, Ids: ['queue'] }),
    );
    await this.eventBridge.send(new DeleteRuleCommand({ Name: this.name, EventBusName: this.eventBus }));
    await this.sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }
}

/**
 * Wait until the consumer is done with these messages (SendMessage's MessageIds): on the local runner, until its
 * pollers say each was deleted or went to the DLQ (`POST /_local/messages`), however busy other clients keep its
 * queue; on a deployed stack, which says nothing of one message, until its queue is empty.
 */
export async function messagesHandled(
  target: Pick<E2eTarget, 'apiUrl' | 'tokenUrl'>,
  sqs: SQSClient,
  queueUrl: string,
  messageIds: string[],
  timeoutMs: number,
): Promise<void> {
  if (!target.tokenUrl) return queueDrained(sqs, queueUrl, timeoutMs);
  let seen: Record<string, { outcome: string }> = {};
  await eventually(`the runner to finish messages ${messageIds.join(', ')}`, timeoutMs, async () => {
    const response = await fetch(`${target.apiUrl}/_local/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageIds }),
    });
    if (!response.ok) throw new Error(`POST /_local/messages answered ${response.status}: ${await response.text()}`);
    ({ messages: seen } = (await response.json()) as { messages: typeof seen });
    const finished = (id: string) => ['deleted', 'dead-lettered'].includes(seen[id]?.outcome ?? '');
    return messageIds.every(finished) ? true : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the runner says ${JSON.stringify(seen)}`);
  });
}

/**
 * Wait until a queue holds no message, visible or in flight: its consumer is done with every one. Both counts are
 * approximate in SQS (exact in the emulator).
 */
export async function queueDrained(sqs: SQSClient, queueUrl: string, timeoutMs: number): Promise<void> {
  let counts: Record<string, string> = {};
  const empty = async () => {
    ({ Attributes: counts = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    ));
    return counts.ApproximateNumberOfMessages === '0' && counts.ApproximateNumberOfMessagesNotVisible === '0';
  };
  await eventually('the queue to drain', timeoutMs, async () => ((await empty()) ? true : undefined)).catch(
    (error: Error) => {
      const held = `${counts.ApproximateNumberOfMessages} waiting, ${counts.ApproximateNumberOfMessagesNotVisible} in flight`;
      throw new Error(`${error.message}: ${queueUrl} still held ${held}`);
    },
  );
}
