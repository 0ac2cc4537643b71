import { Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AslState, AslStates } from '../../lambdas/backfill/definition';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { flattenedTemplate } from './support/flatten';
import { actionsOf, flattenReference, identityPolicies, type Permission, permissionsOfRole } from './support/iam';
import { logicalIdOf, type Synthesized, synth, testApp, WEB_FIXTURE } from './support/synth';

const SOURCES = { sourceBuckets: 'old-photos/2019/=studio,archive.example' };

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of every policy attached to a role, its resources flattened (`<Id.Arn>/backfills/*`). */
function statementsOf(s: Synthesized, roleId: string) {
  return identityPolicies(s.json)
    .filter((policy) => policy.roles.includes(roleId))
    .flatMap((policy) => policy.document.Statement as Statement[])
    .map((statement) => ({
      actions: [statement.Action].flat().sort(),
      resources: [statement.Resource].flat().map(flattenReference).sort(),
      condition: statement.Condition,
    }));
}

const resourcesFor = (permissions: readonly Permission[], action: string) =>
  permissions
    .filter((permission) => permission.action === action)
    .map((permission) => permission.resource)
    .sort();

/** The backfill's state machine, its definition (references as `<Id>`) and its role's permissions. */
function backfillOf(s: Synthesized) {
  const { backfill } = s.stack;
  const id = logicalIdOf(backfill.stateMachine);
  const properties = s.json.Resources[id]?.Properties ?? {};
  const definition = JSON.parse(flattenReference(properties.DefinitionString)) as AslStates;
  const roleId = logicalIdOf(backfill.stateMachine.role);
  return {
    id,
    properties,
    definition,
    map: definition.States.Objects as AslState,
    child: ((definition.States.Objects as AslState).ItemProcessor as AslStates).States,
    roleId,
    permissions: permissionsOfRole(s.json, roleId),
    statements: statementsOf(s, roleId),
    bucket: `<${logicalIdOf(s.stack.storage.bucket)}.Arn>`,
    table: `<${logicalIdOf(s.stack.table.table)}.Arn>`,
    queue: `<${logicalIdOf(s.stack.ingest.queue)}.Arn>`,
    executions: `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${id}.Name>:*`,
  };
}

describe('the backfill state machine', () => {
  let s: Synthesized;
  let b: ReturnType<typeof backfillOf>;
  beforeAll(() => {
    s = synth();
    b = backfillOf(s);
  });

  it('is a STANDARD workflow logging every event, without execution data, to its own log group, traced', () => {
    expect(b.properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdOf(s.stack.backfill.logGroup), 'Arn'] },
            },
          },
        ],
      },
    });
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lists the bucket of the input with a Distributed Map, in batches of ten, EXPRESS children, results written', () => {
    expect(b.map).toMatchObject({
      Type: 'Map',
      ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2' },
      ItemBatcher: { MaxItemsPerBatch: 10 },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
      MaxConcurrency: 100,
      ToleratedFailurePercentage: 5,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: `<${logicalIdOf(s.stack.storage.bucket)}>`, Prefix: 'backfills/' },
      },
    });
  });

  it('sends to the ingest queue and counts in the results table, by their deployed names', () => {
    expect(b.child.Send).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sqs:sendMessageBatch',
      Parameters: { QueueUrl: `<${logicalIdOf(s.stack.ingest.queue)}>` },
    });
    expect(b.child.Count).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { TableName: `<${logicalIdOf(s.stack.table.table)}>`, UpdateExpression: 'ADD queued :n' },
    });
  });

  it('takes its concurrency and tolerated failures from the settings', () => {
    const tuned = backfillOf(synth({ backfillMaxConcurrency: '1000', backfillToleratedFailurePercentage: '0.5' }));
    expect(tuned.map).toMatchObject({ MaxConcurrency: 1000, ToleratedFailurePercentage: 0.5 });
  });

  it('gives its role exactly the actions it uses', () => {
    expect(actionsOf(b.permissions)).toEqual(
      [
        // Log delivery and X-Ray, which Step Functions' logging and tracing need, on "*".
        'logs:CreateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:DescribeLogGroups',
        'logs:DescribeResourcePolicies',
        'logs:GetLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:UpdateLogDelivery',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        // The ItemReader.
        's3:ListBucket',
        // The ResultWriter.
        's3:AbortMultipartUpload',
        's3:GetObject',
        's3:ListMultipartUploadParts',
        's3:PutObject',
        // The child's two tasks.
        'sqs:SendMessage',
        'dynamodb:UpdateItem',
        // The Distributed Map's child executions.
        'states:DescribeExecution',
        'states:StartExecution',
        'states:StopExecution',
      ].sort(),
    );
    expect(b.permissions.filter((p) => p.resource === '*').map((p) => p.action)).toEqual(
      expect.arrayContaining(['xray:PutTraceSegments', 'logs:CreateLogDelivery']),
    );
    expect(b.permissions.filter((p) => p.resource === '*' && !/^(logs|xray):/.test(p.action))).toEqual([]);
  });

  it('scopes each action to its one resource: the queue, run items, uploads/ to list, backfills/ to write, itself', () => {
    expect(resourcesFor(b.permissions, 'sqs:SendMessage')).toEqual([b.queue]);
    expect(resourcesFor(b.permissions, 'dynamodb:UpdateItem')).toEqual([b.table]);
    expect(resourcesFor(b.permissions, 's3:ListBucket')).toEqual([b.bucket]);
    for (const action of ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']) {
      expect(resourcesFor(b.permissions, action)).toEqual([`${b.bucket}/backfills/*`]);
    }
    expect(resourcesFor(b.permissions, 'states:StartExecution')).toEqual([`<${b.id}>`]);
    expect(resourcesFor(b.permissions, 'states:DescribeExecution')).toEqual([b.executions]);
    expect(resourcesFor(b.permissions, 'states:StopExecution')).toEqual([b.executions]);

    expect(b.statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['dynamodb:UpdateItem'],
          resources: [b.table],
          condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['backfill#*'] } },
        },
        {
          actions: ['s3:ListBucket'],
          resources: [b.bucket],
          condition: { StringLike: { 's3:prefix': ['uploads/*'] } },
        },
      ]),
    );
  });

  it('keeps its own executions out of the default policy, which the state machine waits for (no circle)', () => {
    const defaultPolicy = logicalIdOf(s.stack.backfill.stateMachine.role.node.tryFindChild('DefaultPolicy') as never);
    expect(s.json.Resources[b.id]?.DependsOn).toEqual(expect.arrayContaining([defaultPolicy]));
    // The state machine's own role's policies: the API functions' roles name it too, but it does not wait for them.
    const role = logicalIdOf(s.stack.backfill.stateMachine.role);
    const selfReferencing = Object.entries(s.json.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes(b.id))
      .filter(([, r]) => ((r.Properties?.Roles ?? []) as { Ref: string }[]).some((attached) => attached.Ref === role))
      .map(([id]) => id);
    expect(selfReferencing).toHaveLength(1);
    expect(selfReferencing).not.toContain(defaultPolicy);
    expect(s.json.Resources[b.id]?.DependsOn).not.toContain(selfReferencing[0]);
  });

  it('expires the results under backfills/ after 30 days', () => {
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'AbortIncompleteMultipartUploads',
            Status: 'Enabled',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
          { Id: 'ExpireBackfillResults', Prefix: 'backfills/', ExpirationInDays: 30, Status: 'Enabled' },
        ],
      },
    });
  });

  it('names the state machine in the stack outputs', () => {
    expect(s.json.Outputs?.BackfillStateMachineArn).toMatchObject({ Value: { Ref: b.id } });
  });
});

describe('sourceBuckets', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(SOURCES);
  });
  const arn = (resource: string) => `arn:<AWS::Partition>:s3:::${resource}`;

  it('names the source buckets in the stack outputs, as the setting writes them', () => {
    expect(JSON.parse((s.json.Outputs?.BackfillSources as { Value?: string } | undefined)?.Value ?? 'null')).toEqual([
      'old-photos/2019/=studio',
      'archive.example',
    ]);
  });

  it('lets the state machine list each source bucket, under its prefix when it has one', () => {
    const { statements, permissions, bucket } = backfillOf(s);
    expect(resourcesFor(permissions, 's3:ListBucket')).toEqual([bucket, arn('archive.example'), arn('old-photos')]);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:ListBucket'],
          resources: [arn('old-photos')],
          condition: { StringLike: { 's3:prefix': ['2019/*'] } },
        },
        { actions: ['s3:ListBucket'], resources: [arn('archive.example')], condition: undefined },
      ]),
    );
    // Listing is all it may do there: reading the objects is the processor's.
    expect(permissions.filter((p) => p.resource.includes('old-photos') && p.action !== 's3:ListBucket')).toEqual([]);
  });

  it('lets the processor read the objects under each prefix, and list there, and nothing else of those buckets', () => {
    const processorRole = logicalIdOf(s.stack.processor.function.role as never);
    const permissions = permissionsOfRole(s.json, processorRole);
    const sources = permissions.filter((p) => /old-photos|archive\.example/.test(p.resource));
    expect(sources.sort((x, y) => `${x.action}${x.resource}`.localeCompare(`${y.action}${y.resource}`))).toEqual([
      { action: 's3:GetObject', resource: arn('archive.example/*') },
      { action: 's3:GetObject', resource: arn('old-photos/2019/*') },
      { action: 's3:ListBucket', resource: arn('archive.example') },
      { action: 's3:ListBucket', resource: arn('old-photos') },
    ]);
    expect(statementsOf(s, processorRole)).toEqual(
      expect.arrayContaining([
        {
          actions: ['s3:ListBucket'],
          resources: [arn('old-photos')],
          condition: { StringLike: { 's3:prefix': ['2019/*'] } },
        },
      ]),
    );
  });

  it('lets the render function and get-image read the originals there too: renditions and links come from them', () => {
    const roles = [s.stack.renditions.renderFunction.role, s.stack.api.handlers.named('get-image').role];
    for (const role of roles) {
      const sources = permissionsOfRole(s.json, logicalIdOf(role as never)).filter((p) =>
        /old-photos|archive\.example/.test(p.resource),
      );
      expect(
        sources
          .filter((p) => p.action === 's3:GetObject')
          .map((p) => p.resource)
          .sort(),
      ).toEqual([arn('archive.example/*'), arn('old-photos/2019/*')]);
      expect(sources.every((p) => p.action === 's3:GetObject' || p.action === 's3:ListBucket')).toBe(true);
    }
  });

  it('grants nothing outside the pipeline without them', () => {
    const plain = synth();
    const processor = permissionsOfRole(plain.json, logicalIdOf(plain.stack.processor.function.role as never));
    expect(processor.filter((p) => p.resource.startsWith('arn:'))).toEqual([]);
    expect(backfillOf(plain).permissions.filter((p) => p.resource.includes(':s3:::'))).toEqual([]);
  });
});

describe('grantStart', () => {
  /** A fresh stack (the cached ones stay as synthesized) with a role that may run backfills. */
  function withCaller() {
    const app = testApp();
    const stack = new ImagePipelineStack(app, 'Test', {
      settings: parseDeploymentSettings({}),
      webAppDirectory: WEB_FIXTURE,
    });
    const caller = new Role(stack, 'Caller', { assumedBy: new AccountRootPrincipal() });
    stack.backfill.grantStart(caller);
    const template = Template.fromJSON(flattenedTemplate(stack));
    return { app, stack, caller, json: template.toJSON() as Synthesized['json'] };
  }

  it('lets a caller start backfills and follow them and their map runs, nothing more', () => {
    const { stack, caller, json } = withCaller();
    const id = logicalIdOf(stack.backfill.stateMachine);
    const permissions = permissionsOfRole(json, logicalIdOf(caller));
    const prefix = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';
    expect(permissions.sort((x, y) => x.action.localeCompare(y.action))).toEqual([
      { action: 'states:DescribeExecution', resource: `${prefix}:execution:<${id}.Name>:*` },
      { action: 'states:DescribeMapRun', resource: `${prefix}:mapRun:<${id}.Name>/*` },
      { action: 'states:ListExecutions', resource: `<${id}>` },
      { action: 'states:ListMapRuns', resource: `${prefix}:execution:<${id}.Name>:*` },
      { action: 'states:StartExecution', resource: `<${id}>` },
    ]);
  });

  it('leaves cdk-nag nothing to report on the caller', () => {
    const { app } = withCaller();
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(findings.filter((finding) => finding.includes('Caller'))).toEqual([]);
    expect(findings).toEqual([]);
  });
});
