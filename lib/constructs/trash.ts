import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { UseOf } from '../../lambdas/manifest/uses';
import {
  environmentFor,
  type PurgeTrashWiring,
  TRASH_QUEUE_DESIGN,
} from '../../lambdas/trash/functions/purge-trash/contract';
import type { TrashMessage } from '../../lambdas/trash/messages';
import { dlqNotEmptyAlarm } from './alarm-notifications';
import type { UseTarget } from './grant-uses';
import { type FunctionBasicsProps, NodeFunction } from './node-function';

export interface TrashProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /** What the purge function's environment names: the tables, sinks, people and vectors today's delete reaches. */
  readonly wiring: Omit<PurgeTrashWiring, 'trashQueueUrl'>;
  /** Where the DLQ alarm (and its recovery) is sent. @default - the alarm has no actions */
  readonly alarmTopic?: ITopic;
}

/**
 * The trash's purge (docs/api.md, "Trash"): a queue (SSE, TLS only) with a DLQ after
 * `TRASH_QUEUE_DESIGN.maxReceiveCount` receives and an alarm on it; the purge function consuming it with partial
 * batch failures; and an EventBridge rule that puts a `sweep` message on it daily. The sweep fans out to one
 * message per shard of the trash, each shard is read a page per message, and each image is purged by a message of
 * its own, so no invocation loops over the trash (lambdas/trash/purge.ts). What the function uses is granted by
 * the stack, as lambdas/manifest/manifest.ts declares it.
 */
export class Trash extends Construct implements UseTarget<UseOf<'trash'>> {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** purge-trash: sweeps, pages and purges. */
  public readonly function: NodeFunction;
  public readonly eventSource: SqsEventSource;
  /** The daily sweep. */
  public readonly schedule: Rule;
  /** Any message in the DLQ: a page or a purge that failed `maxReceiveCount` times. */
  public readonly dlqDepthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: TrashProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(TRASH_QUEUE_DESIGN.dlqRetentionDays),
    });
    const timeout = Duration.seconds(TRASH_QUEUE_DESIGN.timeoutSeconds);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(TRASH_QUEUE_DESIGN.visibilityTimeoutFactor * timeout.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: TRASH_QUEUE_DESIGN.maxReceiveCount },
    });
    this.function = new NodeFunction(this, 'PurgeFunction', {
      entry: 'lambdas/trash/functions/purge-trash/handler.ts',
      serviceName: 'image-intel-purge-trash',
      description: 'Deletes images whose time in the trash is up, or whose owner emptied the trash',
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: environmentFor({ ...props.wiring, trashQueueUrl: this.queue.queueUrl }),
    });
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: TRASH_QUEUE_DESIGN.batchSize,
      reportBatchItemFailures: true,
    });
    this.function.addEventSource(this.eventSource);

    const sweep: TrashMessage = { kind: 'sweep' };
    this.schedule = new Rule(this, 'Sweep', {
      description: 'Daily: the trash purge sweeps every shard of the trash for images past their purgeAt',
      schedule: Schedule.expression(TRASH_QUEUE_DESIGN.sweepEvery),
      targets: [new SqsQueue(this.queue, { message: RuleTargetInput.fromObject(sweep) })],
    });

    this.dlqDepthAlarm = dlqNotEmptyAlarm(
      this,
      this.deadLetterQueue,
      'Trash purge messages (pages of the trash, or purges) failed the maximum number of times and wait in the DLQ.',
    );
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      this.dlqDepthAlarm.addAlarmAction(action);
      this.dlqDepthAlarm.addOkAction(action);
    }
  }

  /**
   * `sqs:SendMessage` on the queue (SendMessageBatch is authorized as it). Not `grantSendMessages`, which adds
   * GetQueueAttributes and GetQueueUrl that no sender calls; SQS-managed encryption needs no key grant.
   */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [this.queue.queueArn] });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/manifest/uses.ts). */
  grantUse(grantee: IGrantable, _use: UseOf<'trash'>): void {
    this.grantSend(grantee);
  }
}
