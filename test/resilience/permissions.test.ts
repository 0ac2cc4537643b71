import path from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import type { LocalAuthMode } from '../../lambdas/local/local-auth';
import { queueDrained } from '../e2e/support';
import { logicalIdOf } from '../infra/support/synth';
import { roleOf } from '../support/permissions/policies';
import {
  checkRunner,
  describeDenials,
  type PermissionsReport,
  readCalls,
  stackFor,
  unusedGrants,
} from '../support/permissions/stack-check';
import { type CfnTemplate, policyDocuments } from '../support/permissions/template';
import { exerciseEveryRoute } from '../support/permissions/workload';
import type { RunnerReady } from '../support/runner-process';
import { CALLS_FILE, fileUser, type ProfileName, profileDir, profileRunner } from '../support/runner-profiles';

/**
 * moto enforces no IAM: every AWS call the functions make in the runner is checked against what the synthesized
 * stack grants them (test/support/permissions), for each auth mode the runner has, with face grouping and without,
 * with every route exercised. The runners are the run's shared ones (test/support/runner-profiles.ts), which record
 * every call: this file exercises every route on each as users of its own, then checks every call the runner recorded
 * (other files' among them: more calls checked, never fewer). The e2e suite's run (jwt, no inference) is
 * checked by its teardown.
 */
// A case waits for its shared runner (up to READY_TIMEOUT_MS, 180 s, in runner-profiles.ts) before its workload runs:
// on a full run's 2 busy cores the offline-faces case went past 240 s with nothing wrong.
jest.setTimeout(480_000);

/** The profile, its auth, and face grouping (its people routes, and its grants to the processor and delete-image). */
const COMBINATIONS: [ProfileName, LocalAuthMode, boolean][] = [
  ['open', 'none', false],
  ['apikey', 'apikey', false],
  ['offline-faces', 'jwt', true],
];

/**
 * The functions of the stack that make no AWS call of their own in these runs, each with why: every other function
 * the stack has (the manifest's routes and functions for the runner's settings, each declared queue's consumer) must
 * make one, so a function the workload (workload.ts) does not reach fails the check by name.
 */
function callsNone(auth: LocalAuthMode): Record<string, string> {
  return {
    vision: 'invoked with its thumbnail inline, it makes no AWS call of its own (explained.ts)',
    'rotate-rendition-key': "Secrets Manager's rotation, which moto cannot drive: its calls are declared (declared.ts)",
    ...(auth !== 'apikey' && {
      'suggest-places': "it reads only the places data beside its bundle; with API keys, also the clients' parameter",
    }),
  };
}

const runs: { ready: RunnerReady; calls: AwsCall[]; report: PermissionsReport }[] = [];

async function record(profile: ProfileName, auth: LocalAuthMode, faceGrouping: boolean) {
  const runner = await profileRunner(profile);
  const file = path.join(profileDir(profile), CALLS_FILE);
  try {
    const token = auth === 'jwt' ? await runner.token({ user: fileUser('probe') }) : undefined;
    const admin =
      auth === 'jwt' ? { bearerToken: await runner.token({ user: fileUser('root'), admin: true }) } : undefined;
    const caller = { apiKey: runner.ready.apiKey, bearerToken: token };
    // A second owner, who reads the probe's library as their partner.
    const partner =
      auth === 'jwt'
        ? {
            owner: fileUser('partner'),
            bearerToken: await runner.token({ user: fileUser('partner') }),
            grantor: fileUser('probe'),
          }
        : undefined;
    const sqs = new SQSClient({
      endpoint: runner.ready.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    // Empty, the queue holds none of this file's messages either: other files' uploads only make it wait longer.
    const settled = async () => {
      await queueDrained(sqs, runner.ready.queueUrl, 180_000);
    };
    await exerciseEveryRoute(runner.ready.apiUrl, caller, { admin, faceGrouping, partner, settled }).finally(() =>
      sqs.destroy(),
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nrunner log:\n${runner.log()}`);
  }
  // The runner records each distinct call once, whichever file made it first: all of them are this file's to check.
  return { ready: runner.ready, calls: readCalls(file) };
}

/** The template with `action` taken out of every statement of `fn`'s role whose resource matches `resource`. */
function without(ready: RunnerReady, fn: string, action: string, resource: RegExp = /.*/) {
  const { functions, template } = stackFor(ready);
  const roleId = roleOf(template, functions[fn] as string).id;
  return (json: CfnTemplate): CfnTemplate => {
    for (const document of policyDocuments(json, roleId)) {
      document.Statement = document.Statement.flatMap((statement) => {
        if (!resource.test(JSON.stringify(statement.Resource))) return [statement];
        const actions = [statement.Action].flat().filter((granted) => granted !== action);
        return actions.length ? [{ ...statement, Action: actions }] : [];
      });
    }
    return json;
  };
}

/** The template with a customer managed key whose policy trusts the account (CDK's default), and `encrypt` using it. */
function withKey(ready: RunnerReady, encrypt: (json: CfnTemplate, key: unknown, name: (id: string) => string) => void) {
  const { template } = stackFor(ready);
  return (json: CfnTemplate): CfnTemplate => {
    json.Resources.CustomerKey = {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    };
    encrypt(json, { 'Fn::GetAtt': ['CustomerKey', 'Arn'] }, (id) => template.ref(id));
    return json;
  };
}

/**
 * The grants no call used, but those on a profile's source buckets: the workload backfills the pipeline's own
 * bucket, and another file's (e2e/backfill-newcomer's) use of a source bucket is not this file's to make.
 */
function unusedOutsideSources(reports: PermissionsReport[]): Record<string, string[]> {
  const sources = runs.flatMap((run) => run.ready.settings.sourceBuckets.map(({ bucket }) => `arn:aws:s3:::${bucket}`));
  const onSource = (grant: string) =>
    sources.some((arn) => grant.endsWith(` on ${arn}`) || grant.includes(` on ${arn}/`));
  const unused = Object.entries(unusedGrants(reports)).map(
    ([fn, grants]) => [fn, grants.filter((grant) => !onSource(grant))] as const,
  );
  return Object.fromEntries(unused.filter(([, grants]) => grants.length > 0));
}

const keyDenials = (report: PermissionsReport) =>
  [...new Set(report.denied.map(({ fn, action }) => `${fn} ${action}`))].sort();

describe.each(COMBINATIONS)('on the %s runner (auth %s, face grouping %s)', (profile, auth, faceGrouping) => {
  it('every call each function made is allowed by its role and the resource policies', async () => {
    const { ready, calls } = await record(profile, auth, faceGrouping);
    const report = await checkRunner(ready, calls);
    runs.push({ ready, calls, report });
    expect(describeDenials(report)).toBe('');
    const byFunction = new Set(calls.map((call) => call.fn));
    const none = callsNone(auth);
    const expected = Object.keys(stackFor(ready).functions).filter((fn) => !(fn in none));
    expect([...byFunction].filter(Boolean).sort()).toEqual(expected.sort());
  });
});

describe('least privilege', () => {
  it('leaves no grant that no call used, other than those explained beside their grant', () => {
    expect(runs).toHaveLength(COMBINATIONS.length);
    expect(unusedOutsideSources(runs.map((run) => run.report))).toEqual({});
  });

  it('fails naming a write grant added to a route that only reads, and one added to a route that writes', async () => {
    const last = runs.at(-1);
    if (!last) throw new Error('no recorded run');
    const { ready, calls } = last;
    const { template, functions, stack } = stackFor(ready);
    const table = stack.stack.people?.table;
    if (!table) throw new Error('the last run has no people table');
    const people = { 'Fn::GetAtt': [logicalIdOf(table), 'Arn'] };
    const added = (json: CfnTemplate): CfnTemplate => {
      for (const [fn, action] of [
        ['get-person', 'dynamodb:PutItem'],
        ['rename-person', 'dynamodb:DeleteItem'],
      ] as const) {
        const roleId = roleOf(template, functions[fn] as string).id;
        json.Resources[`Added${roleId}`] = {
          Type: 'AWS::IAM::Policy',
          Properties: {
            PolicyName: 'added',
            Roles: [{ Ref: roleId }],
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: action, Resource: people }],
            },
          },
        };
      }
      return json;
    };
    const report = await checkRunner(ready, calls, added);
    expect(report.denied).toEqual([]);
    const others = runs.slice(0, -1).map((run) => run.report);
    expect(unusedOutsideSources([...others, report])).toEqual({
      'get-person': [`dynamodb:PutItem on <${logicalIdOf(table)}.Arn>`],
      'rename-person': [`dynamodb:DeleteItem on <${logicalIdOf(table)}.Arn>`],
    });
  });
});

describe('a grant taken away', () => {
  const run = () => {
    const last = runs.at(-1);
    if (!last) throw new Error('no recorded run');
    return last;
  };

  it("fails naming the processor's UpdateItem calls on the results table, and nothing else", async () => {
    const { ready, calls } = run();
    const report = await checkRunner(ready, calls, without(ready, 'processor', 'dynamodb:UpdateItem', /ResultsTable/));
    expect(report.denied.length).toBeGreaterThan(0);
    for (const denial of report.denied) {
      expect(denial).toMatchObject({
        fn: 'processor',
        action: 'dynamodb:UpdateItem',
        resource: `arn:aws:dynamodb:us-east-1:123456789012:table/${ready.table}`,
        result: 'ImplicitlyDenied',
      });
      expect(denial.call).toMatch(/^DynamoDB UpdateItem /);
    }
    // The hint says where the action is still allowed, if anywhere: with face grouping, on the people table.
    const hint = describeDenials(report);
    if (!ready.tables.people) expect(hint).toContain('no statement of');
    else {
      expect(hint).toContain('no statement allows it on this resource;');
      expect(hint).toContain(`allows it on arn:aws:dynamodb:us-east-1:123456789012:table/${ready.tables.people}`);
    }
  });

  it("fails naming the render function's PutObject of each rendition it stored, and nothing else", async () => {
    const { ready, calls } = run();
    const edit = without(ready, 'render-image', 's3:PutObject', /renditions/);
    const report = await checkRunner(ready, calls, edit);
    const stored = calls.filter((call) => call.fn === 'render-image' && call.operation === 'PutObject');
    expect(stored.length).toBeGreaterThan(0);
    expect(report.denied).toHaveLength(stored.length);
    for (const denial of report.denied) {
      expect(`${denial.fn} ${denial.action}`).toBe('render-image s3:PutObject');
      expect(denial.resource).toMatch(new RegExp(`^arn:aws:s3:::${ready.bucket}/renditions/[0-9A-Z]{26}/`));
    }
    expect(report.services).toEqual([]);
  });

  it('fails naming kms:Decrypt and kms:GenerateDataKey for each function reading or writing objects once the bucket is encrypted with a customer key the roles may not use', async () => {
    const { ready, calls } = run();
    const edit = withKey(ready, (json, key, name) => {
      for (const resource of Object.values(json.Resources)) {
        if (resource.Type !== 'AWS::S3::Bucket') continue;
        const id = Object.keys(json.Resources).find((k) => json.Resources[k] === resource) as string;
        if (name(id) !== ready.bucket) continue;
        (resource.Properties as Record<string, unknown>).BucketEncryption = {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key } },
          ],
        };
      }
    });
    const report = await checkRunner(ready, calls, edit);
    const reads = new Set(calls.filter((c) => c.service === 'S3' && c.operation === 'GetObject').map((c) => c.fn));
    const writes = new Set(calls.filter((c) => c.service === 'S3' && c.operation === 'PutObject').map((c) => c.fn));
    expect(keyDenials(report)).toEqual(
      [...[...reads].map((fn) => `${fn} kms:Decrypt`), ...[...writes].map((fn) => `${fn} kms:GenerateDataKey`)].sort(),
    );
    expect(keyDenials(report)).toEqual(
      expect.arrayContaining([
        'create-upload kms:GenerateDataKey',
        'processor kms:Decrypt',
        'render-image kms:GenerateDataKey',
      ]),
    );
    for (const denial of report.denied)
      expect(denial.resource).toBe('arn:aws:kms:us-east-1:123456789012:key/unbound-customerkey');

    // With the key granted to every role, the same calls pass.
    const granted = await checkRunner(ready, calls, (json) => {
      const edited = edit(json);
      for (const document of policyDocuments(edited)) {
        document.Statement.push({
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': ['CustomerKey', 'Arn'] },
        });
      }
      return edited;
    });
    expect(granted.denied).toEqual([]);
  });

  it('fails naming S3 and the processor when the ingest queue is encrypted with a key whose policy lets neither use it', async () => {
    const { ready, calls } = run();
    const queue = ready.queueUrl.split('/').at(-1);
    const report = await checkRunner(
      ready,
      calls,
      withKey(ready, (json, key, name) => {
        for (const [id, resource] of Object.entries(json.Resources)) {
          if (resource.Type === 'AWS::SQS::Queue' && name(id).split('/').at(-1) === queue) {
            (resource.Properties as Record<string, unknown>).KmsMasterKeyId = key;
          }
        }
      }),
    );
    // The processor reads the queue; a re-own (reown-image), a rotation (rotate-image) and a crop and its undoing
    // (crop-image, uncrop-image) send to it: the key's policy lets none use the key.
    expect(keyDenials(report)).toEqual([
      'crop-image kms:Decrypt',
      'crop-image kms:GenerateDataKey',
      'processor kms:Decrypt',
      'reown-image kms:Decrypt',
      'reown-image kms:GenerateDataKey',
      'rotate-image kms:Decrypt',
      'rotate-image kms:GenerateDataKey',
      'uncrop-image kms:Decrypt',
      'uncrop-image kms:GenerateDataKey',
    ]);
    expect(report.services.map((denial) => `${denial.fn} ${denial.action}`).sort()).toEqual([
      's3.amazonaws.com kms:Decrypt',
      's3.amazonaws.com kms:GenerateDataKey',
    ]);
  });

  it("fails naming CloudFront when the render function's URL no longer lets its distribution in", async () => {
    const { ready, calls } = run();
    const report = await checkRunner(ready, calls, (json) => {
      for (const [id, resource] of Object.entries(json.Resources)) {
        if (
          resource.Type === 'AWS::Lambda::Permission' &&
          resource.Properties?.Principal === 'cloudfront.amazonaws.com'
        ) {
          delete json.Resources[id];
        }
      }
      return json;
    });
    expect(report.denied).toEqual([]);
    expect(report.services.map((denial) => `${denial.fn} ${denial.action}`).sort()).toEqual([
      'cloudfront.amazonaws.com lambda:InvokeFunction',
      'cloudfront.amazonaws.com lambda:InvokeFunctionUrl',
    ]);
  });
});
