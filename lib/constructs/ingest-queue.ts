import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_QUEUE_DESIGN } from '../../lambdas/ingest/functions/processor/contract';
import type { UseOf } from '../../lambdas/kit/uses';
import { UPLOAD_PREFIX } from '../../lambdas/store/keys';
import { acknowledge } from '../nag';
import { dlqNotEmptyAlarm } from './alarm-notifications';
import type { UseTarget } from './grant-uses';

/** The id CDK gives the function that applies bucket notifications (`BucketNotificationsHandler`). */
const NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

export interface IngestQueueProps {
  /** The bucket whose `uploads/` ObjectCreated events feed the queue. */
  readonly bucket: IBucket;
  /** The consumer's timeout: the queue's visibility timeout is `INGEST_QUEUE_DESIGN.visibilityTimeoutFactor` times it. */
  readonly processorTimeout: Duration;
  /** The consumer's batching window, added to the visibility timeout. @default Duration.seconds(0) */
  readonly maxBatchingWindow?: Duration;
  /** The oldest-message alarm fires when a message has waited longer than this. @default Duration.minutes(15) */
  readonly maxMessageAge?: Duration;
  /** Where both alarms (and their recoveries) are sent. @default - the alarms have no actions */
  readonly alarmTopic?: ITopic;
}

/**
 * S3 upload notifications → an SQS queue (SSE, TLS only) with a dead-letter queue after
 * `INGEST_QUEUE_DESIGN.maxReceiveCount` receives, and alarms on a non-empty DLQ and on a backlog.
 */
export class IngestQueue extends Construct implements UseTarget<UseOf<'ingest'>> {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly visibilityTimeout: Duration;
  /** Any message in the DLQ: an upload that failed `maxReceiveCount` times. */
  public readonly dlqDepthAlarm: Alarm;
  /** The oldest message has waited longer than `maxMessageAge`: the processor is failing or falling behind. */
  public readonly oldestMessageAlarm: Alarm;

  constructor(scope: Construct, id: string, props: IngestQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(INGEST_QUEUE_DESIGN.dlqRetentionDays),
    });
    // AWS's guidance for an SQS event source: at least six times the function timeout plus the batching window,
    // so a batch still being retried by Lambda is not delivered again.
    this.visibilityTimeout = Duration.seconds(
      INGEST_QUEUE_DESIGN.visibilityTimeoutFactor * props.processorTimeout.toSeconds() +
        (props.maxBatchingWindow?.toSeconds() ?? 0),
    );
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: INGEST_QUEUE_DESIGN.maxReceiveCount },
    });
    props.bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), {
      prefix: UPLOAD_PREFIX,
    });
    acknowledgeNotificationsHandler(this);

    this.dlqDepthAlarm = dlqNotEmptyAlarm(
      this,
      this.deadLetterQueue,
      'Uploads that failed processing the maximum number of times are waiting in the DLQ.',
    );
    const maxAge = props.maxMessageAge ?? Duration.minutes(15);
    this.oldestMessageAlarm = new Alarm(this, 'OldestMessageTooOld', {
      alarmDescription: `An upload has waited more than ${maxAge.toHumanString()} to be processed.`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: maxAge.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of [this.dlqDepthAlarm, this.oldestMessageAlarm]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, _use: UseOf<'ingest'>): void {
    // SendMessage alone: grantSendMessages adds GetQueueAttributes and GetQueueUrl, which no sender calls; the
    // queue's SQS-managed encryption needs no key grant.
    this.queue.grant(grantee, 'sqs:SendMessage');
    // With a customer key on the queue, a sender needs it to encrypt (SQS asks KMS for a data key).
    this.queue.encryptionMasterKey?.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
}

/** Bucket notifications are configured by one CDK singleton function per stack, so it is acknowledged by path. */
function acknowledgeNotificationsHandler(scope: Construct): void {
  const handler = Stack.of(scope).node.tryFindChild(NOTIFICATIONS_HANDLER_ID);
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's BucketNotificationsHandler (it applies the bucket's notification configuration at deploy time): its " +
      'role is defined by CDK, and this managed policy only lets it write its own logs.',
  );
}
