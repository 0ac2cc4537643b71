import { randomBytes } from 'node:crypto';
import {
  DeleteRuleCommand,
  type EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EVENT_SOURCE } from '../../events/vocabulary';
import { DETAIL_TYPES } from '../../manifest/events';
import { errorText } from '../deployment-target';

export { errorText } from '../deployment-target';

/** An event as the subscriber queue received it (EventBridge's envelope, the fields a check reads). */
export interface ReceivedEvent {
  detailType: string;
  source: string;
  detail: { imageId?: string; status?: string; [field: string]: unknown };
}

/** The rule's only target: one queue, so one fixed id. */
const TARGET_ID = 'smoke-queue';

/**
 * A temporary subscriber on the pipeline's bus, made as a user makes one (docs/events.md): an SQS queue and a
 * rule matching `Image Processed` from `image-intel` that delivers to it, the queue's policy letting EventBridge
 * send from that rule only. `close()` removes whatever `open()` got as far as making.
 */
export class SmokeSubscriber {
  readonly name: string;
  private queueUrl?: string;
  private ruleMade = false;
  private targetPut = false;
  private readonly received: ReceivedEvent[] = [];

  constructor(
    private readonly sqs: SQSClient,
    private readonly eventBridge: EventBridgeClient,
    readonly eventBus: string,
    name = `image-intel-smoke-${randomBytes(4).toString('hex')}`,
    /** Ctrl-C: `waitFor` stops at once. */
    private readonly signal?: AbortSignal,
  ) {
    this.name = name;
  }

  /** Make the queue, the rule, the queue's policy and the rule's target; says what it made. */
  async open(): Promise<string> {
    const { QueueUrl } = await this.step('sqs:CreateQueue', () =>
      // An hour's retention: a queue a killed run left behind holds nothing for long.
      this.sqs.send(new CreateQueueCommand({ QueueName: this.name, Attributes: { MessageRetentionPeriod: '3600' } })),
    );
    if (!QueueUrl) throw new Error('sqs:CreateQueue answered no queue URL');
    this.queueUrl = QueueUrl;
    const { Attributes } = await this.step('sqs:GetQueueAttributes', () =>
      this.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] })),
    );
    const queueArn = Attributes?.QueueArn;
    if (!queueArn) throw new Error(`sqs:GetQueueAttributes answered no QueueArn for ${QueueUrl}`);
    const { RuleArn } = await this.step('events:PutRule', () =>
      this.eventBridge.send(
        new PutRuleCommand({
          Name: this.name,
          EventBusName: this.eventBus,
          EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [DETAIL_TYPES.processed] }),
          Description: 'image-intel smoke: a temporary subscriber, removed when the run ends',
        }),
      ),
    );
    this.ruleMade = true;
    await this.step('sqs:SetQueueAttributes', () =>
      this.sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl,
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
      ),
    );
    const { FailedEntryCount, FailedEntries } = await this.step('events:PutTargets', () =>
      this.eventBridge.send(
        new PutTargetsCommand({
          Rule: this.name,
          EventBusName: this.eventBus,
          Targets: [{ Id: TARGET_ID, Arn: queueArn }],
        }),
      ),
    );
    if (FailedEntryCount) {
      throw new Error(`events:PutTargets refused the queue: ${FailedEntries?.[0]?.ErrorMessage ?? 'no reason given'}`);
    }
    this.targetPut = true;
    return `rule ${this.name} on bus ${this.eventBus} -> queue ${this.name}`;
  }

  /**
   * The first event of `detailType` for the image, read off the queue (long polls, every message deleted once
   * read, each kept for later calls); undefined when none came within `timeoutMs`.
   */
  async waitFor(imageId: string, detailType: string, timeoutMs: number): Promise<ReceivedEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    const match = () => this.received.find((e) => e.detail?.imageId === imageId && e.detailType === detailType);
    for (;;) {
      const found = match();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || !this.queueUrl || this.signal?.aborted) return undefined;
      const { Messages = [] } = await this.sqs
        .send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: Math.max(1, Math.min(5, Math.floor(left / 1000))),
          }),
          { abortSignal: this.signal },
        )
        .catch((error: unknown) => {
          if (this.signal?.aborted) return { Messages: [] };
          throw error;
        });
      for (const message of Messages) {
        const event = parse(message.Body);
        if (event) this.received.push(event);
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

  /**
   * Remove the rule's target, the rule and the queue, each tried whatever happened to the one before. Answers
   * what could not be removed, with the command that removes it, or nothing.
   */
  async close(): Promise<string[]> {
    const left: string[] = [];
    const bus = `--event-bus-name ${this.eventBus}`;
    const attempt = async (made: boolean, what: string, command: string, remove: () => Promise<unknown>) => {
      if (!made) return;
      try {
        await remove();
      } catch (error) {
        left.push(`${what} (${errorText(error)}; ${command})`);
      }
    };
    await attempt(
      this.targetPut,
      `the target of rule ${this.name}`,
      `aws events remove-targets --rule ${this.name} ${bus} --ids ${TARGET_ID}`,
      () =>
        this.eventBridge.send(
          new RemoveTargetsCommand({ Rule: this.name, EventBusName: this.eventBus, Ids: [TARGET_ID] }),
        ),
    );
    await attempt(this.ruleMade, `rule ${this.name}`, `aws events delete-rule --name ${this.name} ${bus}`, () =>
      this.eventBridge.send(new DeleteRuleCommand({ Name: this.name, EventBusName: this.eventBus })),
    );
    const queueUrl = this.queueUrl;
    await attempt(queueUrl !== undefined, `queue ${this.name}`, `aws sqs delete-queue --queue-url ${queueUrl}`, () =>
      this.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
    );
    return left;
  }

  /** Runs one AWS call, naming it in the error: `events:PutRule: AccessDeniedException: ...`. */
  private async step<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new Error(`${action}: ${errorText(error)}`);
    }
  }
}

/** How many upload notifications the ingest queue and its DLQ hold, to say why an image is still PENDING. */
export interface Backlog {
  waiting: number;
  inFlight: number;
  deadLettered: number;
}

export async function readBacklog(sqs: SQSClient, queueUrl: string, dlqUrl: string): Promise<Backlog> {
  const count = async (url: string) => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return [
      Number(Attributes.ApproximateNumberOfMessages ?? 0),
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    ];
  };
  const [[waiting = 0, inFlight = 0], [deadLettered = 0]] = await Promise.all([count(queueUrl), count(dlqUrl)]);
  return { waiting, inFlight, deadLettered };
}

function parse(body: string | undefined): ReceivedEvent | undefined {
  try {
    const event = JSON.parse(body ?? '') as {
      'detail-type'?: string;
      source?: string;
      detail?: ReceivedEvent['detail'];
    };
    return { detailType: event['detail-type'] ?? '', source: event.source ?? '', detail: event.detail ?? {} };
  } catch {
    return undefined;
  }
}
