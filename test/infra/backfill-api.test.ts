import { AwsSolutionsChecks } from 'cdk-nag';
import { routes } from './support/api';
import { identityPolicies, type Permission, permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

/** The actions beyond logging and tracing, each with its resources, sorted. */
function ownPermissions(s: Synthesized, name: string): Permission[] {
  return permissionsOfFunction(s.json, logicalIdOf(s.stack.api.handlers.named(name)))
    .filter((permission) => !BASE.includes(permission.action))
    .sort((a, b) => a.action.localeCompare(b.action));
}

describe('the backfill routes', () => {
  let s: Synthesized;
  let machine: string;
  const arn = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';
  beforeAll(() => {
    s = synth({ sourceBuckets: 'old-photos,archive.example/2019/=alice' });
    machine = logicalIdOf(s.stack.backfill.stateMachine);
  });

  it('are POST /backfills, GET /backfills and GET /backfills/{id}, each a Lambda proxy to its own function', () => {
    const deployed = routes(s);
    const target = (route: string) => JSON.stringify(deployed.get(route)?.Integration);
    expect(target('POST /backfills')).toContain(logicalIdOf(s.stack.api.handlers.named('start-backfill')));
    expect(target('GET /backfills')).toContain(logicalIdOf(s.stack.api.handlers.named('list-backfills')));
    expect(target('GET /backfills/{id}')).toContain(logicalIdOf(s.stack.api.handlers.named('get-backfill')));
    expect(deployed.get('GET /backfills/{id}')?.RequestParameters).toEqual({ 'method.request.path.id': true });
  });

  it('let POST start executions, and read the runs, their inputs and counters to refuse an overlapping one', () => {
    expect(ownPermissions(s, 'start-backfill')).toEqual([
      { action: 'dynamodb:BatchGetItem', resource: `<${logicalIdOf(s.stack.table.table)}.Arn>` },
      { action: 'dynamodb:UpdateItem', resource: `<${logicalIdOf(s.stack.table.table)}.Arn>` },
      { action: 'states:DescribeExecution', resource: `${arn}:execution:<${machine}.Name>:*` },
      { action: 'states:ListExecutions', resource: `<${machine}>` },
      { action: 'states:StartExecution', resource: `<${machine}>` },
    ]);
  });

  it('let GET /backfills list its executions, and nothing else', () => {
    expect(ownPermissions(s, 'list-backfills')).toEqual([
      { action: 'states:ListExecutions', resource: `<${machine}>` },
    ]);
  });

  it("let GET /backfills/{id} describe its executions and their map runs, and read the run items' counters", () => {
    expect(ownPermissions(s, 'get-backfill')).toEqual([
      { action: 'dynamodb:BatchGetItem', resource: `<${logicalIdOf(s.stack.table.table)}.Arn>` },
      { action: 'states:DescribeExecution', resource: `${arn}:execution:<${machine}.Name>:*` },
      { action: 'states:DescribeMapRun', resource: `${arn}:mapRun:<${machine}.Name>/*` },
      { action: 'states:ListMapRuns', resource: `${arn}:execution:<${machine}.Name>:*` },
    ]);
  });

  it.each([
    ['get-backfill', ['dynamodb:BatchGetItem']],
    ['start-backfill', ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem']],
  ] as const)(
    '%s reads (and, for the start lease, writes) only run items of the results table (backfill#...), never an image',
    (name, actions) => {
      const role = logicalIdOf(s.stack.api.handlers.named(name).role as never);
      const statements = identityPolicies(s.json)
        .filter((policy) => policy.roles.includes(role))
        .flatMap((policy) => policy.document.Statement as unknown as Record<string, unknown>[])
        .filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'));
      for (const statement of statements) {
        expect(statement.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['backfill#*'] } });
      }
      expect(statements.flatMap((statement) => statement.Action).sort()).toEqual(actions);
    },
  );

  it('give POST the state machine, the pipeline bucket and the sources as the setting writes them', () => {
    expect(environmentOf(s, s.stack.api.handlers.named('start-backfill'))).toMatchObject({
      BACKFILL_STATE_MACHINE_ARN: { Ref: machine },
      BUCKET_NAME: { Ref: logicalIdOf(s.stack.storage.bucket) },
      SOURCE_BUCKETS: 'old-photos,archive.example/2019/=alice',
      POWERTOOLS_SERVICE_NAME: 'image-intel-start-backfill',
    });
    expect(environmentOf(s, s.stack.api.handlers.named('get-backfill'))).toMatchObject({
      BACKFILL_STATE_MACHINE_ARN: { Ref: machine },
      TABLE_NAME: { Ref: logicalIdOf(s.stack.table.table) },
    });
    expect(environmentOf(s, s.stack.api.handlers.named('list-backfills'))).toMatchObject({
      BACKFILL_STATE_MACHINE_ARN: { Ref: machine },
    });
  });

  it('leave cdk-nag nothing to report on their functions', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(s.app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(findings.filter((finding) => /Backfills?\//.test(finding))).toEqual([]);
    expect(findings).toEqual([]);
  });
});
