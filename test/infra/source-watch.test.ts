import { AwsSolutionsChecks } from 'cdk-nag';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { flattenReference } from './support/iam';
import { logicalIdOf, type Synthesized, synth } from './support/synth';

const WATCHED = { sourceBuckets: 'old-photos/2019/=studio,archive.example=archivist', watchSourceBuckets: 'true' };

// The source buckets' rules: the trash's daily sweep (a declared schedule, lib/constructs/declared.ts) is a rule of its own, on its queue.
const rulesOf = (s: Synthesized) =>
  Object.entries(s.json.Resources)
    .filter(([id, resource]) => resource.Type === 'AWS::Events::Rule' && !id.startsWith('TrashSweep'))
    .map(([id, resource]) => ({ id, properties: resource.Properties ?? {} }));

/** A template value with every reference in it written `<Id>` or `<Id.Arn>`, however deep. */
function flattened(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattened);
  if (!value || typeof value !== 'object') return value;
  if ('Ref' in value || 'Fn::GetAtt' in value || 'Fn::Join' in value) return flattenReference(value);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, flattened(item)]));
}

/** Every statement of the queue policies naming a queue, references as `<Id>`. */
function queueStatements(s: Synthesized, queueId: string) {
  return Object.values(s.json.Resources)
    .filter((resource) => resource.Type === 'AWS::SQS::QueuePolicy')
    .filter((resource) => JSON.stringify(resource.Properties?.Queues).includes(`"${queueId}"`))
    .flatMap(
      (resource) =>
        (resource.Properties?.PolicyDocument as { Statement?: Record<string, unknown>[] } | undefined)?.Statement ?? [],
    )
    .map((statement) => flattened(statement) as Record<string, unknown>);
}

describe('watchSourceBuckets', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(WATCHED);
  });

  it('puts one rule per source entry on the default bus, for S3 Object Created events of its bucket and prefix', () => {
    const rules = rulesOf(s).filter(({ properties }) => JSON.stringify(properties).includes('Object Created'));
    expect(rules).toHaveLength(2);
    const patterns = rules.map(({ properties }) => properties.EventPattern);
    expect(patterns).toEqual(
      expect.arrayContaining([
        {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: { bucket: { name: ['old-photos'] }, object: { key: [{ prefix: '2019/' }] } },
        },
        // No prefix: the whole bucket, so no key in the pattern at all.
        { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['archive.example'] } } },
      ]),
    );
    for (const { properties } of rules) {
      expect(properties.EventBusName).toBeUndefined();
      expect(properties.State).toBe('ENABLED');
    }
  });

  it('targets the ingest queue with the event whole, a dead-letter queue and a day of retries', () => {
    const queue = logicalIdOf(s.stack.ingest.queue);
    const dlq = logicalIdOf(s.stack.ingest.deadLetterQueue);
    for (const { properties } of rulesOf(s)) {
      const targets = properties.Targets as Record<string, unknown>[];
      expect(targets).toHaveLength(1);
      const [target] = targets;
      expect(flattened(target)).toMatchObject({
        Arn: `<${queue}.Arn>`,
        DeadLetterConfig: { Arn: `<${dlq}.Arn>` },
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400 },
      });
      expect(target).not.toHaveProperty('Input');
      expect(target).not.toHaveProperty('InputTransformer');
    }
  });

  it('lets EventBridge send to the ingest queue and its DLQ for these rules only', () => {
    const rules = rulesOf(s).map(({ id }) => `<${id}.Arn>`);
    for (const queue of [s.stack.ingest.queue, s.stack.ingest.deadLetterQueue]) {
      const fromEvents = queueStatements(s, logicalIdOf(queue)).filter(
        (statement) => JSON.stringify(statement.Principal) === '{"Service":"events.amazonaws.com"}',
      );
      expect(fromEvents).toHaveLength(rules.length);
      for (const statement of fromEvents) {
        expect(statement.Effect).toBe('Allow');
        expect([statement.Action].flat()).toContain('sqs:SendMessage');
        expect(rules).toContain(
          (statement.Condition as { ArnEquals: Record<string, string> }).ArnEquals['aws:SourceArn'],
        );
      }
    }
  });

  it("leaves the source buckets alone: no notification configuration, no policy on a bucket that is not the stack's", () => {
    const touched = Object.values(s.json.Resources).filter((resource) =>
      ['Custom::S3BucketNotifications', 'AWS::S3::BucketPolicy'].includes(resource.Type),
    );
    expect(JSON.stringify(touched)).not.toMatch(/old-photos|archive\.example/);
  });

  it('keeps the processor told of the sources, as the setting writes them, for the owners of watched objects', () => {
    const fn = s.json.Resources[logicalIdOf(s.stack.processor.function)]?.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(fn.Environment.Variables.SOURCE_BUCKETS).toBe('old-photos/2019/=studio,archive.example=archivist');
  });

  it('leaves cdk-nag nothing to report', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(findings).toEqual([]);
  });

  it('makes no rule by default, with source buckets but without the setting', () => {
    const plain = synth({ sourceBuckets: WATCHED.sourceBuckets });
    expect(plain.stack.sourceWatch).toBeUndefined();
    expect(JSON.stringify(rulesOf(plain))).not.toContain('aws.s3');
  });

  it('refuses the setting without source buckets: nothing to watch', () => {
    expect(() => parseDeploymentSettings({ watchSourceBuckets: 'true' })).toThrow(
      'watchSourceBuckets needs sourceBuckets',
    );
  });
});
