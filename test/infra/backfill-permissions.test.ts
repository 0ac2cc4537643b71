import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { AslStates } from '../../lambdas/backfill/definition';
import { planBackfill } from '../../lambdas/backfill/plan';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { isWriteAction } from '../../lib/constructs/read-only';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { checkCalls } from '../support/permissions/check';
import { callsOfDefinition } from '../support/permissions/state-machine';
import { type CfnTemplate, ResolvedTemplate } from '../support/permissions/template';
import { flattenedTemplate } from './support/flatten';
import { logicalIdOf, type Synthesized, synth, testApp, WEB_FIXTURE } from './support/synth';

/**
 * The backfill state machine's own calls (the ItemReader's listing, the children's SendMessageBatch and UpdateItem
 * of the run item, the ResultWriter's PutObject, the children started), derived from its synthesized definition
 * (test/support/permissions/state-machine.ts), checked against its synthesized role with the permissions tests'
 * checker: IAM's evaluation, conditions included (`s3:prefix`, `dynamodb:LeadingKeys`).
 */
const SOURCES = 'old-photos/2019/=studio,archive.example';
const { sourceBuckets } = parseDeploymentSettings({ sourceBuckets: SOURCES });
const PLACE = { region: 'us-east-1', account: '123456789012' };
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Backfill';
const FN = 'backfill-state-machine';

/**
 * The write grants of the state machine's role that no call of its definition makes: Step Functions sends them
 * itself, for the features the construct turns on (lib/constructs/backfill.ts); its traces' X-Ray writes, as every
 * function's, are not counted as writes (read-only.ts). Anything else unused fails.
 */
const SERVICE_WRITES = [
  ...['CreateLogDelivery', 'DeleteLogDelivery', 'PutResourcePolicy', 'UpdateLogDelivery'].map((name) => ({
    action: `logs:${name}`,
    why: "the state machine's logging: Step Functions sets up the delivery of its execution logs to the log group",
  })),
  {
    action: 's3:AbortMultipartUpload',
    why: "the map's ResultWriter writes its results as a multipart upload, aborted if the run fails",
  },
  { action: 'states:StopExecution', why: 'the distributed map stops its child executions when the run fails' },
];

/** The template with names bound, as a deployment would have them, after `edit`. */
function bound(s: Synthesized, edit: (json: CfnTemplate) => CfnTemplate = (json) => json) {
  const { stack } = s;
  const names = {
    [logicalIdOf(stack.storage.bucket)]: 'images-bucket',
    [logicalIdOf(stack.table.table)]: 'images-table',
    [logicalIdOf(stack.ingest.queue)]: 'ingest',
    [logicalIdOf(stack.backfill.stateMachine)]: STATE_MACHINE,
  };
  return new ResolvedTemplate(edit(structuredClone(s.json) as CfnTemplate), PLACE, names);
}

/** What a run over each place the deployment may backfill from would call, from the definition in `template`. */
function derivedCalls(s: Synthesized, template: ResolvedTemplate): AwsCall[] {
  const properties = template.resolve(
    template.template.Resources[logicalIdOf(s.stack.backfill.stateMachine)]?.Properties,
  ) as { DefinitionString: string };
  const definition = JSON.parse(properties.DefinitionString) as AslStates;
  const scope = { pipelineBucket: 'images-bucket', sources: sourceBuckets };
  const requests = [
    { bucket: 'images-bucket', reprocess: true },
    // An entry naming no owner is backfilled under one the run names (planBackfill refuses none).
    ...sourceBuckets.map(({ bucket, prefix, owner }) => ({ bucket, prefix, owner: owner ?? 'archivist' })),
  ];
  return requests.flatMap((request) =>
    callsOfDefinition(definition, planBackfill(request, scope), {
      fn: FN,
      stateMachineArn: STATE_MACHINE,
      executionName: '01JD3W7Q1ZK7Y6G5S4R3P2N1M0',
    }),
  );
}

async function check(s: Synthesized, edit?: (json: CfnTemplate) => CfnTemplate, calls?: AwsCall[]) {
  const template = bound(s, edit);
  const id = logicalIdOf(s.stack.backfill.stateMachine);
  return checkCalls(template, { [FN]: id }, calls ?? derivedCalls(s, template));
}

/** The template with `action` taken out of every statement of the state machine's role. */
const without =
  (s: Synthesized, action: string) =>
  (json: CfnTemplate): CfnTemplate => {
    const role = logicalIdOf(s.stack.backfill.stateMachine.role);
    for (const resource of Object.values(json.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      if (!JSON.stringify(resource.Properties?.Roles).includes(`"${role}"`)) continue;
      const document = resource.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] };
      document.Statement = document.Statement.flatMap((statement) => {
        const actions = [statement.Action].flat().filter((granted) => granted !== action);
        return actions.length ? [{ ...statement, Action: actions }] : [];
      });
    }
    return json;
  };

describe("the backfill state machine's own calls", () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ sourceBuckets: SOURCES });
  });

  it('are derived from the definition: the listing, the batch send, the run count, the results, the children', () => {
    const calls = derivedCalls(s, bound(s));
    const operations = [...new Set(calls.map((call) => `${call.service} ${call.operation}`))].sort();
    expect(operations).toEqual([
      'DynamoDB UpdateItem',
      'S3 ListObjectsV2',
      'S3 PutObject',
      'SFN StartExecution',
      'SQS SendMessageBatch',
    ]);
    const listings = calls.filter((call) => call.operation === 'ListObjectsV2').map((call) => call.input);
    expect(listings).toEqual([
      { Bucket: 'images-bucket', Prefix: 'uploads/' },
      { Bucket: 'old-photos', Prefix: '2019/' },
      { Bucket: 'archive.example', Prefix: '' },
    ]);
    const count = calls.find((call) => call.operation === 'UpdateItem');
    expect(count?.input).toMatchObject({
      TableName: 'images-table',
      Key: { imageId: { S: 'backfill#01JD3W7Q1ZK7Y6G5S4R3P2N1M0' } },
    });
  });

  it("are each allowed by the state machine's role, conditions weighed with the values the calls use", async () => {
    const report = await check(s);
    expect(report.unknown).toEqual([]);
    expect(report.denied).toEqual([]);
    // Three listings (a prefix each); one send, count, results file and child start: the same for every run.
    expect(report.checked).toBe(7);
  });

  it('leave no write grant unused but those Step Functions itself uses, each named with why', async () => {
    const report = await check(s);
    const unusedWrites = Object.entries(report.grants[FN] ?? {})
      .filter(([grant, used]) => !used && isWriteAction(grant.split(' ')[0] as string))
      .map(([grant]) => grant.split(' on ')[0])
      .sort();
    expect(unusedWrites).toEqual(SERVICE_WRITES.map(({ action }) => action).sort());
  });

  it.each([
    ['sqs:SendMessage', 'SQS SendMessageBatch', 'arn:aws:sqs:us-east-1:123456789012:ingest'],
    ['dynamodb:UpdateItem', 'DynamoDB UpdateItem', 'arn:aws:dynamodb:us-east-1:123456789012:table/images-table'],
    ['s3:PutObject', 'S3 PutObject', 'arn:aws:s3:::images-bucket/backfills/map-run-id/manifest.json'],
    ['states:StartExecution', 'SFN StartExecution', STATE_MACHINE],
  ])('are refused once %s is taken from the role, naming %s', async (action, call, resource) => {
    const report = await check(s, without(s, action));
    expect(report.denied.length).toBeGreaterThan(0);
    for (const denial of report.denied) {
      expect(denial).toMatchObject({ fn: FN, action, resource, result: 'ImplicitlyDenied' });
      expect(denial.call.startsWith(call)).toBe(true);
    }
  });

  it("are refused a listing outside a source's prefix (s3:prefix)", async () => {
    const outside: AwsCall = {
      fn: FN,
      service: 'S3',
      operation: 'ListObjectsV2',
      input: { Bucket: 'old-photos', Prefix: '2018/' },
    };
    const report = await check(s, undefined, [outside]);
    expect(report.denied.map((denial) => denial.resource)).toEqual(['arn:aws:s3:::old-photos']);
  });

  it('are refused an update of an item that is no run item (dynamodb:LeadingKeys)', async () => {
    const template = bound(s);
    const image = derivedCalls(s, template)
      .filter((call) => call.operation === 'UpdateItem')
      .map((call) => ({ ...call, input: { ...call.input, Key: { imageId: { S: '01JD3W7Q1ZK7Y6G5S4R3P2N1M0' } } } }));
    const report = await check(s, undefined, image);
    expect(report.denied).toHaveLength(1);
    expect(report.denied[0]).toMatchObject({ action: 'dynamodb:UpdateItem', result: 'ImplicitlyDenied' });
  });
});

describe('Step Functions calls of a function granted grantStart (the API, the CLI)', () => {
  /** A fresh stack with a function that may run backfills, its names bound; its calls checked as recorded ones. */
  function caller() {
    const stack = new ImagePipelineStack(testApp(), 'Test', {
      settings: parseDeploymentSettings({}),
      webAppDirectory: WEB_FIXTURE,
    });
    const fn = new LambdaFunction(stack, 'Caller', {
      runtime: Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: Code.fromInline('exports.handler = async () => {}'),
      // A role of its own, without the managed logging policy, which the check cannot read.
      role: new Role(stack, 'CallerRole', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }),
    });
    stack.backfill.grantStart(fn);
    const json = flattenedTemplate(stack) as unknown as CfnTemplate;
    const template = new ResolvedTemplate(json, PLACE, { [logicalIdOf(stack.backfill.stateMachine)]: STATE_MACHINE });
    return (calls: AwsCall['input'][], operations: string[]) =>
      checkCalls(
        template,
        { api: logicalIdOf(fn) },
        calls.map((input, i) => ({ fn: 'api', service: 'SFN', operation: operations[i] as string, input })),
      );
  }

  // The ARNs as Step Functions (and the runner's local Step Functions API) write them.
  const execution = (machine: string, run: string) => `${machine.replace(':stateMachine:', ':execution:')}:${run}`;
  const mapRun = (machine: string, run: string) => `${machine.replace(':stateMachine:', ':mapRun:')}/Objects:${run}`;
  const OPERATIONS = ['StartExecution', 'ListExecutions', 'DescribeExecution', 'ListMapRuns', 'DescribeMapRun'];
  const inputsFor = (machine: string) => [
    { stateMachineArn: machine, name: 'run-1' },
    { stateMachineArn: machine, maxResults: 20 },
    { executionArn: execution(machine, 'run-1') },
    { executionArn: execution(machine, 'run-1') },
    { mapRunArn: mapRun(machine, 'run-1') },
  ];

  it('maps each to its action on its ARN, all allowed on the backfill state machine and its runs', async () => {
    const report = await caller()(inputsFor(STATE_MACHINE), OPERATIONS);
    expect(report.unknown).toEqual([]);
    expect(report.denied).toEqual([]);
    expect(report.checked).toBe(5);
  });

  it('refuses each on another state machine and its runs', async () => {
    const other = STATE_MACHINE.replace(/Backfill$/, 'Other');
    const report = await caller()(inputsFor(other), OPERATIONS);
    expect(report.denied.map((denial) => denial.action)).toEqual(OPERATIONS.map((operation) => `states:${operation}`));
  });
});
