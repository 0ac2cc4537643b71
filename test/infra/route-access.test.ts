import { Template } from 'aws-cdk-lib/assertions';
import { ALL_API_ROUTES } from '../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { isWriteAction } from '../../lib/constructs/read-only';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { identityPolicies, type Permission, permissionsOfFunction, roleOfFunction } from './support/iam';
import { logicalIdOf, type Synthesized, synth, type TemplateJson, testApp, WEB_FIXTURE } from './support/synth';

/**
 * Grants by what a route does (issue 38): a route whose `route.ts` says `access: 'read'` holds no grant that writes,
 * on anything, in any deployment. The stack refuses to synthesize one (lib/constructs/read-only.ts); this checks the
 * templates themselves, every policy of each role. Which writes a write route holds is the least-privilege check's
 * (test/resilience/permissions.test.ts: no grant that no call of the recorded workload used).
 */
const SETTINGS = parseDeploymentSettings({});
const ROUTES = ALL_API_ROUTES.map((route) => route(SETTINGS));
const READ_ROUTES = ROUTES.filter((route) => route.access === 'read').map((route) => route.operationId);

const DEPLOYMENTS: Record<string, Record<string, string>> = {
  'face grouping, Rekognition, API keys, source buckets': {
    inference: 'rekognition',
    faceGrouping: 'true',
    auth: 'apikey',
    sourceBuckets: 'old-photos/2019/=studio,archive.example',
  },
  'face grouping, offline models': { inference: 'offline', faceGrouping: 'true' },
  'the defaults': {},
};

/** Each granted write of each read route's role in the template: `<route> <action> <resource>`. */
function writesOfReadRoutes(s: Synthesized, json: TemplateJson = s.json): string[] {
  return Object.entries(s.stack.api.handlers.byName)
    .filter(([name]) => READ_ROUTES.includes(name))
    .flatMap(([name, fn]) =>
      permissionsOfFunction(json, logicalIdOf(fn))
        .filter((permission) => isWriteAction(permission.action))
        .map((permission) => `${name} ${permission.action} ${permission.resource}`),
    );
}

describe('the access each route declares', () => {
  it('is read for every GET but a share link, which counts its views, and for no other method', () => {
    for (const route of ROUTES) {
      if (route.method !== 'GET') continue;
      const access = route.operationId === 'get-shared' ? 'write' : 'read';
      expect([route.operationId, route.access]).toEqual([route.operationId, access]);
    }
    // A read is a GET (a reviewer of a new GET sees it here and in its room's manifest): no other method reads.
    const gets = ROUTES.filter((route) => route.method === 'GET' && route.operationId !== 'get-shared');
    expect([...READ_ROUTES].sort()).toEqual(gets.map((route) => route.operationId).sort());
    expect(READ_ROUTES).toEqual(expect.arrayContaining(['get-image', 'list-images', 'similar-images', 'list-people']));
  });

  it('counts as a write every action that may change something, wildcards and unknown verbs included', () => {
    const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    writes.push('dynamodb:ConditionCheckItem', 's3:PutObject', 's3:*', 'dynamodb:*', '*', 'states:StartExecution');
    writes.push('events:PutEvents', 'sqs:SendMessage', 'secretsmanager:PutSecretValue', 'rekognition:IndexFaces');
    const reads = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 's3:GetObject', 's3:ListBucket'];
    reads.push('s3:Get*', 'secretsmanager:GetSecretValue', 'ssm:GetParameter', 'states:DescribeExecution');
    reads.push('states:ListExecutions', 'rekognition:SearchFaces', 'kms:Decrypt');
    // The runtime's own: the function's log lines and traces.
    reads.push('logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords');
    expect(writes.filter((action) => !isWriteAction(action))).toEqual([]);
    expect(reads.filter(isWriteAction)).toEqual([]);
  });
});

describe.each(Object.entries(DEPLOYMENTS))('read routes, with %s', (_name, context) => {
  it('hold no write grant on anything', () => {
    const s = synth(context);
    expect(READ_ROUTES.filter((name) => s.stack.api.handlers.byName[name]).length).toBeGreaterThanOrEqual(5);
    expect(writesOfReadRoutes(s)).toEqual([]);
  });
});

describe('the people read routes', () => {
  const WRITES = /^dynamodb:(PutItem|UpdateItem|DeleteItem|ConditionCheckItem|BatchWriteItem|\*)$/;

  it.each(['list-people', 'get-person'])(
    '%s may not put, update, delete or check an item of the people table',
    (name) => {
      const s = synth(DEPLOYMENTS['face grouping, Rekognition, API keys, source buckets']);
      const fn = s.stack.api.handlers.byName[name];
      if (!fn || !s.stack.people) throw new Error(`no ${name} or no people table`);
      const table = logicalIdOf(s.stack.people.table);
      const onPeople = (granted: Permission[]) => granted.filter((p) => p.resource.includes(table));
      const granted = onPeople(permissionsOfFunction(s.json, logicalIdOf(fn)));
      expect(granted.length).toBeGreaterThan(0);
      expect(granted.filter((p) => WRITES.test(p.action))).toEqual([]);
      // The same, as CloudFormation will see it: no statement of the role names such an action on the table.
      const role = roleOfFunction(s.json, logicalIdOf(fn));
      const policies = identityPolicies(s.json).filter((policy) => policy.roles.includes(role));
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        for (const statement of policy.document.Statement) {
          if (!JSON.stringify(statement.Resource).includes(table)) continue;
          expect([statement.Action].flat().filter((action) => WRITES.test(action))).toEqual([]);
        }
      }
    },
  );
});

describe('a write grant added to a read route', () => {
  it('is refused when the stack is synthesized, naming the route and the action', () => {
    const stack = new ImagePipelineStack(testApp(), 'Test', {
      settings: parseDeploymentSettings({ inference: 'none', faceGrouping: 'true' }),
      webAppDirectory: WEB_FIXTURE,
    });
    const { people, api } = stack;
    const [rename, get] = [api.handlers.byName['rename-person'], api.handlers.byName['get-person']];
    if (!people || !rename || !get) throw new Error('no people table, or no people routes');
    // Allowed to a route that writes: rename-person updates people.
    people.grantItems(rename, 'UpdateItem', 'DeleteItem');
    people.grantItems(get, 'PutItem');
    expect(() => Template.fromStack(stack)).toThrow(
      /get-person reads only \(access: 'read' in its route\.ts\) but is granted dynamodb:PutItem/,
    );
  });

  it('is found in a template by the check above, whichever policy of the role holds it', () => {
    const s = synth(DEPLOYMENTS['face grouping, offline models']);
    const json = structuredClone(s.json);
    const fn = s.stack.api.handlers.byName['list-images'];
    if (!fn) throw new Error('no list-images');
    const role = roleOfFunction(json, logicalIdOf(fn));
    json.Resources.Added = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'added',
        Roles: [{ Ref: role }],
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: '*' }] },
      },
    };
    expect(writesOfReadRoutes(s, json)).toEqual(['list-images dynamodb:DeleteItem *']);
  });
});
