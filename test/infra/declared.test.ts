import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DECLARED_QUEUES, DECLARED_SCHEDULES, DECLARED_TABLES } from '../../lambdas/manifest/resources';
import { parseDeploymentSettings } from '../../lambdas/settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../../lambdas/settings/resources';
import { declaredTargets } from '../../lib/constructs/declared';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { flattenedTemplate } from './support/flatten';
import { identityPolicies } from './support/iam';
import { logicalIdOf, type TemplateJson, testApp, WEB_FIXTURE } from './support/synth';

/** A table as a new room would declare it: no construct of its own. */
const MEMOS_TABLE: TableDeclaration = {
  name: 'memos',
  design: {
    partitionKey: 'owner',
    sortKey: 'noteId',
    indexes: { byTag: { indexName: 'byTag', partitionKey: 'tag', sortKey: 'noteId', projection: 'KEYS_ONLY' } },
    timeToLiveAttribute: 'expiresAt',
  },
  wiring: (memosTableName) => ({ memosTableName }),
  output: { name: 'MemosTableName', description: 'Memos, by owner' },
};

/** Its queue, fed to a function of the manifest (the processor stands in for the room's own). */
const MEMOS_QUEUE: QueueDeclaration = {
  name: 'memos-index',
  redrive: { maxReceiveCount: 3, dlqRetentionDays: 7 },
  consumer: {
    function: 'processor',
    timeoutSeconds: () => 20,
    batchSize: () => 5,
    visibilityTimeoutSeconds: () => 120,
  },
  wiring: (memosQueueUrl) => ({ memosQueueUrl }),
  outputs: { deadLetterQueue: { name: 'MemosDlqUrl', description: 'Memos that could not be indexed' } },
};

const OFF_TABLE: TableDeclaration = { ...MEMOS_TABLE, name: 'off', when: () => false };

describe('the resources rooms declare without a construct of their own', () => {
  const stack = new ImagePipelineStack(testApp(), 'Declared', {
    settings: parseDeploymentSettings({ inference: 'none' }),
    webAppDirectory: WEB_FIXTURE,
    declared: { tables: [...DECLARED_TABLES, MEMOS_TABLE, OFF_TABLE], queues: [...DECLARED_QUEUES, MEMOS_QUEUE] },
  });
  const table = stack.declaredTables.find((made) => made.declaration.name === 'memos');
  const queue = stack.declaredQueues.find((made) => made.declaration.name === 'memos-index');
  const reader = new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  table?.grantUse(reader, { resource: 'memos', kind: 'declared-items', actions: ['GetItem'] });
  table?.grantUse(reader, { resource: 'memos', kind: 'declared-query', on: ['byTag'] });
  queue?.grantUse(reader, { resource: 'memos-index', kind: 'declared-send' });
  const template = Template.fromJSON(flattenedTemplate(stack));

  it('makes each declared table with its keys, index and TTL, and none a setting turns off', () => {
    const names = stack.declaredTables.map((made) => made.declaration.name);
    expect(names).toContain('memos');
    expect(names).not.toContain('off');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'owner', KeyType: 'HASH' },
        { AttributeName: 'noteId', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byTag', Projection: { ProjectionType: 'KEYS_ONLY' } })],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('makes each declared queue with its DLQ and redrive, and its consumer fed by an event source', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 120,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 7 * 24 * 3600 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 20,
      // What the manifest says the function does, not what invokes it.
      Description: 'Analyses each upload, writes thumbnails and the record, publishes the outcome',
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'image-intel-processor' }) },
    });
  });

  it('names in a stack output what a declaration asks for, as the runner does, and nothing a setting turns off', () => {
    const outputs = template.findOutputs('*');
    expect(outputs.MemosTableName).toMatchObject({
      Description: 'Memos, by owner',
      Value: { Ref: expect.any(String) },
    });
    expect(outputs.MemosDlqUrl).toMatchObject({ Description: 'Memos that could not be indexed' });
    expect(Object.keys(outputs).filter((name) => name.startsWith('Memos'))).toEqual(['MemosTableName', 'MemosDlqUrl']);
    // The resources with constructs of their own keep the outputs they had.
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['TableName', 'SearchTableName', 'QueueUrl', 'DlqUrl']),
    );
  });

  it('grants exactly what a use says: items, a Query on the named index, SendMessage', () => {
    const statements = identityPolicies(template.toJSON() as TemplateJson)
      .filter((policy) => policy.roles.some((role) => role.includes('Reader')))
      .flatMap((policy) => policy.document.Statement);
    expect(statements.map((statement) => statement.Action)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'sqs:SendMessage',
    ]);
    expect(JSON.stringify(statements[1])).toContain('/index/byTag');
  });

  it('refuses a use of an index the table does not declare', () => {
    expect(() => table?.grantUse(reader, { resource: 'memos', kind: 'declared-query', on: ['byNothing'] })).toThrow(
      /no index byNothing in the declaration of memos/,
    );
  });

  it('refuses a declaration named as a resource of its own construct, which a use could not tell apart', () => {
    const clash = () =>
      new ImagePipelineStack(testApp(), 'Clash', {
        settings: parseDeploymentSettings({ inference: 'none' }),
        webAppDirectory: WEB_FIXTURE,
        declared: { tables: [...DECLARED_TABLES, { ...MEMOS_TABLE, name: 'storage' }], queues: DECLARED_QUEUES },
      });
    expect(clash).toThrow(/two resources are named storage/);
  });
});

describe('a table and a queue of one name, and a schedule on the queue', () => {
  const MEMOS_DIGEST: ScheduleDeclaration = {
    name: 'memos-digest',
    description: 'Hourly: a digest of the memos',
    queue: 'memos',
    message: { kind: 'digest' },
    every: 'rate(1 hour)',
    localEveryMs: 3600 * 1000,
    localPath: '/_local/memos/digest',
  };
  const declared = (schedules: ScheduleDeclaration[]) => ({
    tables: [...DECLARED_TABLES, MEMOS_TABLE],
    queues: [...DECLARED_QUEUES, { ...MEMOS_QUEUE, name: 'memos' }],
    schedules: [...DECLARED_SCHEDULES, ...schedules],
  });
  const stack = new ImagePipelineStack(testApp(), 'Pair', {
    settings: parseDeploymentSettings({ inference: 'none' }),
    webAppDirectory: WEB_FIXTURE,
    declared: declared([MEMOS_DIGEST]),
  });
  const table = stack.declaredTable('memos');
  const queue = stack.declaredQueue('memos');
  const target = declaredTargets(stack.declaredTables, stack.declaredQueues, []).memos;
  const writer = new Role(stack, 'Writer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  target?.grantUse(writer, { resource: 'memos', kind: 'declared-items', actions: ['PutItem'] });
  target?.grantUse(writer, { resource: 'memos', kind: 'declared-send' });
  const json = flattenedTemplate(stack);

  it('sends each use to the one that grants it: items to the table, SendMessage to the queue', () => {
    const statements = identityPolicies(json)
      .filter((policy) => policy.roles.some((role) => role.includes('Writer')))
      .flatMap((policy) => policy.document.Statement);
    expect(statements.map((statement) => [statement.Action, JSON.stringify(statement.Resource)])).toEqual([
      ['dynamodb:PutItem', expect.stringContaining(logicalIdOf(table.table))],
      ['sqs:SendMessage', expect.stringContaining(logicalIdOf(queue.queue))],
    ]);
  });

  it("refuses a second queue of the table's name, which the first's uses could not be told from", () => {
    expect(() => declaredTargets(stack.declaredTables, [queue, queue], [])).toThrow(
      'two declared tables or two declared queues are named memos',
    );
  });

  it("puts a declared schedule's message on its queue by a rule in the queue's construct", () => {
    const [id, rule] =
      Object.entries(json.Resources).find(
        ([, one]) => one.Type === 'AWS::Events::Rule' && JSON.stringify(one.Properties).includes('digest'),
      ) ?? [];
    expect(id).toMatch(/^MemosQueueMemosDigestSchedule/);
    expect(rule?.Properties).toMatchObject({
      Description: 'Hourly: a digest of the memos',
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        { Arn: { 'Fn::GetAtt': [logicalIdOf(queue.queue), 'Arn'] }, Input: JSON.stringify({ kind: 'digest' }) },
      ],
    });
  });

  it('refuses a schedule on a queue no generic construct makes', () => {
    const orphan = () =>
      new ImagePipelineStack(testApp(), 'Orphan', {
        settings: parseDeploymentSettings({ inference: 'none' }),
        webAppDirectory: WEB_FIXTURE,
        declared: declared([{ ...MEMOS_DIGEST, queue: 'nowhere' }]),
      });
    expect(orphan).toThrow(/no declared queue nowhere/);
  });
});
