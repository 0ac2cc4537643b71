import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_SOURCE } from '../../lambdas/shared/events';
import { TABLE_DESIGN } from '../../lambdas/shared/table-design';
import { logicalIdOf, type Synthesized, synth } from './support/synth';

describe('image bucket', () => {
  let s: Synthesized;
  let bucket: Record<string, unknown>;
  beforeAll(() => {
    s = synth();
    bucket = s.json.Resources[logicalIdOf(s.stack.storage.bucket)] ?? {};
  });

  it('blocks all public access, encrypts with S3-managed keys and disables ACLs', () => {
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('denies requests without TLS or below TLS 1.2', () => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(s.stack.storage.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('aborts incomplete multipart uploads after a day and logs access to the log bucket', () => {
    expect(bucket.Properties).toMatchObject({
      LifecycleConfiguration: {
        Rules: [{ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(s.stack.storage.accessLogsBucket) } },
    });
  });

  it('retains the buckets, table and logs when the stack is deleted, by default', () => {
    for (const construct of [s.stack.storage.bucket, s.stack.storage.accessLogsBucket, s.stack.table.table]) {
      expect(s.json.Resources[logicalIdOf(construct)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    s.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('deletes them, emptying the buckets first, only with destroyOnRemove', () => {
    const destroy = synth({ destroyOnRemove: 'true' });
    for (const construct of [
      destroy.stack.storage.bucket,
      destroy.stack.storage.accessLogsBucket,
      destroy.stack.table.table,
    ]) {
      expect(destroy.json.Resources[logicalIdOf(construct)]).toMatchObject({ DeletionPolicy: 'Delete' });
    }
    destroy.template.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });
});

describe('results table', () => {
  let table: Record<string, unknown>;
  beforeAll(() => {
    const s = synth();
    table = s.json.Resources[logicalIdOf(s.stack.table.table)]?.Properties ?? {};
  });

  it('is on-demand, encrypted, with point-in-time recovery and TTL on expiresAt', () => {
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
      KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
    });
  });

  it('has exactly the indexes of TABLE_DESIGN, with string keys', () => {
    const indexes = (table.GlobalSecondaryIndexes as Record<string, unknown>[]).map((index) => ({
      name: index.IndexName,
      keys: index.KeySchema,
      projection: (index.Projection as { ProjectionType: string }).ProjectionType,
    }));
    const expected = Object.values(TABLE_DESIGN.indexes).map((index) => ({
      name: index.indexName,
      keys: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      projection: index.projection,
    }));
    expect(indexes).toEqual(expected);
    expect(expected.map((index) => `${index.name}:${index.projection}`)).toEqual([
      'byCreated:ALL',
      'byStatus:ALL',
      'bySha256:KEYS_ONLY',
    ]);
    const attributes = table.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual(['entity', 'imageId', 'sha256', 'status']);
    expect(new Set(attributes.map((a) => a.AttributeType))).toEqual(new Set(['S']));
  });
});

describe('pipeline events', () => {
  it('is a custom bus whose events with source image-intel are archived for 90 days', () => {
    const s = synth();
    s.template.resourceCountIs('AWS::Events::EventBus', 1);
    s.template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(s.stack.events.bus), 'Arn'] },
      EventPattern: { source: [EVENT_SOURCE] },
      RetentionDays: 90,
    });
    expect(EVENT_SOURCE).toBe('image-intel');
  });
});

describe('outputs', () => {
  it('names every endpoint and resource a client or operator needs', () => {
    const s = synth();
    expect(Object.keys(s.json.Outputs ?? {}).sort()).toEqual(
      [
        'ApiUrl',
        'BucketName',
        'DlqUrl',
        'EventBusName',
        'QueueUrl',
        'TableName',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
  });
});
