import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { INGEST_QUEUE_DESIGN } from '../../lambdas/ingest/functions/processor/contract';
import { declaredFor } from '../../lambdas/manifest/resources';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { ImageStorage } from '../../lib/constructs/image-storage';
import { IngestQueue } from '../../lib/constructs/ingest-queue';
import { logicalIdOf, type Synthesized, synth, testApp } from './support/synth';

describe('ingest queue', () => {
  let s: Synthesized;
  let queueId: string;
  let dlqId: string;
  beforeAll(() => {
    s = synth();
    queueId = logicalIdOf(s.stack.ingest.queue);
    dlqId = logicalIdOf(s.stack.ingest.deadLetterQueue);
  });

  it('redrives to the DLQ after maxReceiveCount (5) receives, and keeps dead letters 14 days', () => {
    expect(INGEST_QUEUE_DESIGN.maxReceiveCount).toBe(5);
    const queue = s.json.Resources[queueId]?.Properties;
    expect(queue?.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(s.json.Resources[dlqId]?.Properties?.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it('encrypts both queues and denies them to requests without TLS', () => {
    for (const id of [queueId, dlqId]) {
      expect(s.json.Resources[id]?.Properties?.SqsManagedSseEnabled).toBe(true);
    }
    for (const id of [queueId, dlqId]) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('has a visibility timeout of at least 6 x the processor timeout', () => {
    const visibility = s.json.Resources[queueId]?.Properties?.VisibilityTimeout as number;
    const timeout = s.json.Resources[logicalIdOf(s.stack.processor.function)]?.Properties?.Timeout as number;
    expect(timeout).toBe(60);
    expect(visibility).toBeGreaterThanOrEqual(INGEST_QUEUE_DESIGN.visibilityTimeoutFactor * timeout);
  });

  it('receives only ObjectCreated notifications for keys under uploads/', () => {
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(s.stack.storage.bucket) },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            QueueArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('alarms when any message reaches the DLQ and when the oldest message waits too long', () => {
    // Every declared queue's DLQ alarm (the webhooks', test/infra/webhooks.test.ts; the trash's, trash.test.ts), and
    // the ingest queue's oldest-message alarm besides.
    s.template.resourceCountIs('AWS::CloudWatch::Alarm', declaredFor(parseDeploymentSettings({})).queues.length + 1);
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    s.template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: Match.anyValue() }, 0);
  });

  it('sends both alarms and their recoveries to an alarm topic when one is given', () => {
    const stack = new Stack(testApp(), 'Alarms');
    const topic = new Topic(stack, 'Topic');
    const storage = new ImageStorage(stack, 'Storage');
    new IngestQueue(stack, 'Ingest', {
      bucket: storage.bucket,
      processorTimeout: Duration.seconds(30),
      alarmTopic: topic,
    });
    const template = Template.fromStack(stack);
    const topicRef = [{ Ref: logicalIdOf(topic) }];
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: topicRef, OKActions: topicRef }, 2);
  });

  it('sizes the visibility timeout from the processor timeout and batching window it is given', () => {
    const stack = new Stack(testApp(), 'Visibility');
    const storage = new ImageStorage(stack, 'Storage');
    const ingest = new IngestQueue(stack, 'Ingest', {
      bucket: storage.bucket,
      processorTimeout: Duration.seconds(100),
      maxBatchingWindow: Duration.seconds(7),
    });
    expect(ingest.visibilityTimeout.toSeconds()).toBe(607);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 607 });
  });
});
