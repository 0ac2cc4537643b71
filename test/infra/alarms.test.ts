import { Match } from 'aws-cdk-lib/assertions';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { logicalIdOf, synth } from './support/synth';

describe('alarm notifications', () => {
  it('subscribes every alarmEmail address to a topic both ingest alarms notify, on alarm and on recovery', () => {
    const s = synth({ alarmEmail: 'ops@example.com,oncall@example.com' });
    const topic = { Ref: logicalIdOf(s.stack.alarms?.topic as never) };
    s.template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const email of ['ops@example.com', 'oncall@example.com']) {
      s.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        TopicArn: topic,
      });
    }
    for (const alarm of [s.stack.ingest.dlqDepthAlarm, s.stack.ingest.oldestMessageAlarm]) {
      expect(s.json.Resources[logicalIdOf(alarm)]?.Properties).toMatchObject({
        AlarmActions: [topic],
        OKActions: [topic],
      });
    }
  });

  it('encrypts the topic with a rotated key CloudWatch may use, and refuses requests without TLS', () => {
    const s = synth({ alarmEmail: 'ops@example.com' });
    const key = logicalIdOf(s.stack.alarms?.key as never);
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    expect(s.json.Resources[key]?.Properties).toMatchObject({ EnableKeyRotation: true });
    s.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('creates no topic without alarmEmail: the alarms then notify nobody', () => {
    const s = synth();
    expect(s.stack.alarms).toBeUndefined();
    s.template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('refuses an address that is not one, naming the setting', () => {
    expect(() => parseDeploymentSettings({ alarmEmail: 'ops@example.com,not-an-address' })).toThrow(
      /invalid deployment settings: alarmEmail\.1: /,
    );
  });
});
