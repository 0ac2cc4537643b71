import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_SOURCE } from '../../lambdas/events/vocabulary';
import { StackOutputsSchema } from '../../lambdas/local/localstack/outputs';
import { declaredFor } from '../../lambdas/manifest/resources';
import { SEARCH_TABLE_DESIGN } from '../../lambdas/search/postings-design';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { TABLE_DESIGN } from '../../lambdas/store/table-design';
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
        Rules: [
          { AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
          // The backfills' results (test/infra/backfill.test.ts).
          { Id: 'ExpireBackfillResults', Prefix: 'backfills/', ExpirationInDays: 30, Status: 'Enabled' },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(s.stack.storage.accessLogsBucket) } },
    });
  });

  it('retains the buckets, tables and logs when the stack is deleted, by default', () => {
    const { storage, table } = s.stack;
    const searchTable = s.stack.declaredTable('search');
    const cdnLogs = s.stack.renditions.logsBucket;
    for (const construct of [storage.bucket, storage.accessLogsBucket, cdnLogs, table.table, searchTable.table]) {
      expect(s.json.Resources[logicalIdOf(construct)]).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    }
    s.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('deletes them, emptying the buckets first, only with destroyOnRemove', () => {
    const destroy = synth({ destroyOnRemove: 'true' });
    const { web } = destroy.stack;
    if (!web) throw new Error('the web app is on by default');
    for (const construct of [
      destroy.stack.storage.bucket,
      destroy.stack.storage.accessLogsBucket,
      destroy.stack.renditions.logsBucket,
      web.bucket,
      destroy.stack.table.table,
      destroy.stack.declaredTable('search').table,
    ]) {
      expect(destroy.json.Resources[logicalIdOf(construct)]).toMatchObject({ DeletionPolicy: 'Delete' });
    }
    destroy.template.resourceCountIs('Custom::S3AutoDeleteObjects', 4);
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
      projection: index.Projection,
    }));
    const expected = Object.values(TABLE_DESIGN.indexes).map((index) => ({
      name: index.indexName,
      keys: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      projection:
        'nonKeyAttributes' in index
          ? { ProjectionType: index.projection, NonKeyAttributes: [...index.nonKeyAttributes] }
          : { ProjectionType: index.projection },
    }));
    expect(indexes).toEqual(expected);
    const attributes = table.AttributeDefinitions as { AttributeName: string; AttributeType: string }[];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual([
      'imageId',
      'listShard',
      'ownerSha256',
      'ownerShard',
      'ownerStatusShard',
      'statusShard',
      'takenKey',
    ]);
    expect(new Set(attributes.map((a) => a.AttributeType))).toEqual(new Set(['S']));
  });

  it('lists from four write-sharded indexes, all owners and per owner, projecting only what a list page shows', () => {
    const byName = new Map(
      (table.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => [index.IndexName, index]),
    );
    const listed = ['status', 'createdAt', 'updatedAt', 'filename', 'contentType', 'size'];
    const listIndex = (name: string, partitionKey: string) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: 'imageId', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: listed },
    });
    expect(byName.get('byCreatedSharded')).toEqual(listIndex('byCreatedSharded', 'listShard'));
    expect(byName.get('byStatusSharded')).toEqual(listIndex('byStatusSharded', 'statusShard'));
    expect(byName.get('byOwnerSharded')).toEqual(listIndex('byOwnerSharded', 'ownerShard'));
    expect(byName.get('byOwnerStatusSharded')).toEqual(listIndex('byOwnerStatusSharded', 'ownerStatusShard'));
  });

  it("keeps each owner's timeline on the owner's list shards, by date taken, projecting the date taken too", () => {
    const byName = new Map(
      (table.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => [index.IndexName, index]),
    );
    // Keyed on ownerShard: whatever takes an image out of the owner's list (the trash removes it) takes it out here.
    expect(byName.get('byOwnerTakenSharded')).toEqual({
      IndexName: 'byOwnerTakenSharded',
      KeySchema: [
        { AttributeName: 'ownerShard', KeyType: 'HASH' },
        { AttributeName: 'takenKey', KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: ['status', 'createdAt', 'updatedAt', 'filename', 'contentType', 'size', 'takenAt'],
      },
    });
  });

  it("finds duplicates within an owner's images only, by keys, and no longer across owners", () => {
    const byName = new Map(
      (table.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => [index.IndexName, index]),
    );
    expect(byName.get('byOwnerSha256')).toEqual({
      IndexName: 'byOwnerSha256',
      KeySchema: [
        { AttributeName: 'ownerSha256', KeyType: 'HASH' },
        { AttributeName: 'imageId', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
    expect([...byName.keys()].sort()).toEqual([
      'byCreatedSharded',
      'byOwnerSha256',
      'byOwnerSharded',
      'byOwnerStatusSharded',
      'byOwnerTakenSharded',
      'byStatusSharded',
    ]);
  });
});

describe('search table', () => {
  let table: Record<string, unknown>;
  beforeAll(() => {
    const s = synth();
    table = s.json.Resources[logicalIdOf(s.stack.declaredTable('search').table)]?.Properties ?? {};
  });

  it('is keyed by term and image id, both strings, as SEARCH_TABLE_DESIGN says', () => {
    expect(SEARCH_TABLE_DESIGN).toEqual({ partitionKey: 'term', sortKey: 'imageId' });
    expect(table.KeySchema).toEqual([
      { AttributeName: 'term', KeyType: 'HASH' },
      { AttributeName: 'imageId', KeyType: 'RANGE' },
    ]);
    expect(table.AttributeDefinitions).toEqual([
      { AttributeName: 'term', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
    ]);
  });

  it('is on-demand, encrypted with the AWS-managed key, with point-in-time recovery', () => {
    expect(table).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    // SSEEnabled without a key id or type is the AWS-managed key, not a customer key.
    expect(table.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it('has no secondary index and no TTL: every pattern is a Query on its own key', () => {
    expect(table).not.toHaveProperty('GlobalSecondaryIndexes');
    expect(table).not.toHaveProperty('LocalSecondaryIndexes');
    expect(table).not.toHaveProperty('TimeToLiveSpecification');
  });
});

describe('results table, migrating to the final indexes', () => {
  const indexNamesAt = (context: Record<string, unknown>) => {
    const s = synth(context);
    const props = s.json.Resources[logicalIdOf(s.stack.table.table)]?.Properties ?? {};
    return (props.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => index.IndexName);
  };
  const unsharded = ['byCreated', 'byStatus', 'bySha256'];
  const steps = [1, 2, 3, 4, 5, 6, 7, 8] as const;

  it('has the indexes the design lists at each step', () => {
    const sharded = ['bySha256', 'byCreatedSharded', 'byStatusSharded'];
    expect(steps.map((step) => indexNamesAt({ listIndexMigration: String(step) }))).toEqual([
      ['byCreated', 'byStatus', 'bySha256', 'byCreatedSharded'],
      ['byCreated', 'byStatus', 'bySha256', 'byCreatedSharded', 'byStatusSharded'],
      ['byStatus', 'bySha256', 'byCreatedSharded', 'byStatusSharded'],
      sharded,
      [...sharded, 'byOwnerSha256'],
      [...sharded, 'byOwnerSha256', 'byOwnerSharded'],
      [...sharded, 'byOwnerSha256', 'byOwnerSharded', 'byOwnerStatusSharded'],
      ['byCreatedSharded', 'byStatusSharded', 'byOwnerSha256', 'byOwnerSharded', 'byOwnerStatusSharded'],
    ]);
  });

  it('goes from the unsharded indexes to the final ones one index per deploy, as CloudFormation requires', () => {
    const sequence = [
      unsharded,
      ...steps.map((step) => indexNamesAt({ listIndexMigration: String(step) })),
      indexNamesAt({}),
    ];
    expect(sequence.at(-1)).toEqual(Object.values(TABLE_DESIGN.indexes).map((index) => index.indexName));
    for (const [i, step] of sequence.slice(1).entries()) {
      const previous = sequence[i] as string[];
      const removed = previous.filter((name) => !step.includes(name));
      const added = step.filter((name) => !previous.includes(name));
      expect({ step: i + 1, changed: removed.length + added.length }).toEqual({ step: i + 1, changed: 1 });
      // No index changes places: CloudFormation would otherwise see more than one change.
      expect(step.filter((name) => previous.includes(name))).toEqual(previous.filter((name) => step.includes(name)));
    }
  });

  it('keeps every index a step shares with the next exactly as it was deployed', () => {
    const definitions = (context: Record<string, unknown>) => {
      const s = synth(context);
      const props = s.json.Resources[logicalIdOf(s.stack.table.table)]?.Properties ?? {};
      return new Map(
        (props.GlobalSecondaryIndexes as { IndexName: string }[]).map((index) => [index.IndexName, index]),
      );
    };
    const contexts = [...steps.map((step) => ({ listIndexMigration: String(step) })), {}];
    for (const [i, context] of contexts.slice(1).entries()) {
      const previous = definitions(contexts[i] as Record<string, unknown>);
      for (const [name, index] of definitions(context)) {
        if (previous.has(name)) expect(index).toEqual(previous.get(name));
      }
    }
  });

  it('keeps the retired indexes as they were deployed: keys and projection', () => {
    const s = synth({ listIndexMigration: '2' });
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'byCreated',
          KeySchema: [
            { AttributeName: 'entity', KeyType: 'HASH' },
            { AttributeName: 'imageId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]),
    });
    synth({ listIndexMigration: '7' }).template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: 'bySha256',
          KeySchema: [
            { AttributeName: 'sha256', KeyType: 'HASH' },
            { AttributeName: 'imageId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    });
  });

  it.each(['0', '9', '2.5', 'yes'])('fails to synthesize with listIndexMigration=%s, naming the setting', (value) => {
    expect(() => indexNamesAt({ listIndexMigration: value })).toThrow(
      /invalid deployment settings: listIndexMigration: /,
    );
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
  // The outputs the tables and queues of a default deployment declare (lambdas/settings/resources.ts), each of the
  // kind of resource it names; the outputs of the other resources are listed below by hand.
  const declared = declaredFor(parseDeploymentSettings({}));
  const declaredOutputs = [
    ...declared.tables.flatMap(({ output }) => (output ? [{ ...output, type: 'AWS::DynamoDB::Table' }] : [])),
    ...declared.queues.flatMap(({ outputs }) =>
      Object.values(outputs ?? {}).map((output) => ({ ...output, type: 'AWS::SQS::Queue' })),
    ),
  ];

  it('names every endpoint and resource a client or operator needs', () => {
    const s = synth();
    expect(s.json.Outputs?.SearchTableName).toMatchObject({
      Value: { Ref: logicalIdOf(s.stack.declaredTable('search').table) },
    });
    expect(Object.keys(s.json.Outputs ?? {}).sort()).toEqual(
      [
        'ApiUrl',
        'BackfillSources',
        'BackfillStateMachineArn',
        'BucketName',
        'EventBusName',
        'RenditionsUrl',
        'RenditionSigningSecretArn',
        'UserPoolClientId',
        'UserPoolId',
        'AdminGroupName',
        'WebAppUrl',
        ...declaredOutputs.map(({ name }) => name),
      ].sort(),
    );
    // What a LocalStack deployment's e2e run reads (npm run deploy:local), whoever declares it.
    const needed = Object.entries(StackOutputsSchema.shape).filter(
      ([, schema]) => !schema.safeParse(undefined).success,
    );
    expect(Object.keys(s.json.Outputs ?? {})).toEqual(expect.arrayContaining(needed.map(([name]) => name)));
  });

  it.each(declaredOutputs.map((output) => [output.name, output] as const))(
    '%s names the table or queue that declares it, described as declared',
    (name, { description, type }) => {
      const s = synth();
      const output = s.json.Outputs?.[name] as { Description: string; Value: { Ref: string } };
      expect(output).toEqual({ Description: description, Value: { Ref: expect.any(String) } });
      expect(s.json.Resources[output.Value.Ref]?.Type).toBe(type);
      // Made by the generic constructs: that very one (a construct of its own is its own construct's test's).
      const generic = [
        ...s.stack.declaredTables.map(({ declaration, table }) => [declaration.output?.name, table] as const),
        ...s.stack.declaredQueues.flatMap(({ declaration, queue, deadLetterQueue }) => [
          [declaration.outputs?.queue?.name, queue] as const,
          [declaration.outputs?.deadLetterQueue?.name, deadLetterQueue] as const,
        ]),
      ].find(([named]) => named === name);
      if (generic) expect(output.Value.Ref).toBe(logicalIdOf(generic[1]));
    },
  );
});
