import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * `DeadLetterQueueNotEmpty` under `scope`: in alarm while any message waits in `dlq`, checked every minute (a queue's
 * DLQ holds only what failed its redrive count).
 */
export function dlqNotEmptyAlarm(scope: Construct, dlq: IQueue, alarmDescription: string): Alarm {
  return new Alarm(scope, 'DeadLetterQueueNotEmpty', {
    alarmDescription,
    metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

export interface AlarmNotificationsProps {
  /** Addresses subscribed to every alarm and its recovery; each confirms by a link AWS mails it. */
  readonly emails: readonly string[];
}

/**
 * An SNS topic the pipeline's alarms notify, encrypted with a key of its own (CloudWatch cannot publish to a topic
 * under the AWS-managed SNS key, whose policy no one can change), TLS only, with an e-mail subscription each.
 */
export class AlarmNotifications extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmNotificationsProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'image-intel alarm notifications',
      enableKeyRotation: true,
    });
    // CloudWatch encrypts what it publishes with the topic's key: the one grant it needs on it.
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'image-intel alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }
}
