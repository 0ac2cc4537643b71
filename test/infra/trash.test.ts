import { usesOf } from '../../lambdas/manifest/manifest';
import { TRASH_QUEUE, TRASH_QUEUE_DESIGN } from '../../lambdas/trash/functions/purge-trash/contract';
import { logicalIdOf, synth } from './support/synth';

const s = synth();

describe('the trash', () => {
  const trash = s.stack.declaredQueue(TRASH_QUEUE.name);
  const queue = logicalIdOf(trash.queue);
  const dlq = logicalIdOf(trash.deadLetterQueue);

  it('sweeps daily: a scheduled rule that puts a sweep message on the trash queue', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: TRASH_QUEUE_DESIGN.sweepEvery,
      Targets: [{ Arn: { 'Fn::GetAtt': [queue, 'Arn'] }, Input: JSON.stringify({ kind: 'sweep' }) }],
    });
  });

  it('keeps a failing message in a DLQ after maxReceiveCount receives, encrypted, under an alarm', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
    });
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
    });
  });

  it('feeds purge-trash from the queue in batches, with partial batch failures', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: logicalIdOf(trash.function) },
      BatchSize: TRASH_QUEUE_DESIGN.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('declares the purge with the delete-image uses and the trash queue (the grants follow the manifest)', () => {
    const kinds = usesOf('purge-trash').map((use) => `${use.resource} ${use.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'results results-query',
        'results results-items',
        'storage objects',
        'trash declared-send',
      ]),
    );
  });
});
