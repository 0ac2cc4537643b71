import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { DECLARED_QUEUES, DECLARED_TABLES } from '../../lambdas/manifest/resources';
import { parseDeploymentSettings } from '../../lambdas/settings';
import type { QueueDeclaration, TableDeclaration } from '../../lambdas/settings/resources';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { identityPolicies } from './support/iam';
import { type TemplateJson, testApp, WEB_FIXTURE } from './support/synth';

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
  const template = Template.fromStack(stack);

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

  it('refuses two resources of one name, which a use could not tell apart', () => {
    const clash = () =>
      new ImagePipelineStack(testApp(), 'Clash', {
        settings: parseDeploymentSettings({ inference: 'none' }),
        webAppDirectory: WEB_FIXTURE,
        declared: {
          tables: [...DECLARED_TABLES, MEMOS_TABLE],
          queues: [...DECLARED_QUEUES, { ...MEMOS_QUEUE, name: 'memos' }],
        },
      });
    expect(clash).toThrow(/two resources are named memos/);
  });
});
