import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AwsCall } from '../../lambdas/local/aws-calls';
import type { LocalAuthMode } from '../../lambdas/local/local-auth';
import { roleOf } from '../support/permissions/policies';
import {
  checkRunner,
  describeDenials,
  type PermissionsReport,
  readCalls,
  stackFor,
  unusedGrants,
} from '../support/permissions/stack-check';
import type { CfnTemplate } from '../support/permissions/template';
import { exerciseEveryRoute } from '../support/permissions/workload';
import { type RunnerReady, startRunner } from '../support/runner-process';

/**
 * moto enforces no IAM: every AWS call the functions make in the runner is checked against what the synthesized
 * stack grants them (test/support/permissions), for each auth mode and both inferences the runner has, with every
 * route exercised. The e2e suite's own run (jwt, no inference) is checked by its teardown.
 */
jest.setTimeout(240_000);

const COMBINATIONS: [LocalAuthMode, 'none' | 'offline'][] = [
  ['none', 'none'],
  ['apikey', 'offline'],
  ['jwt', 'offline'],
];

const runs: { ready: RunnerReady; calls: AwsCall[]; report: PermissionsReport }[] = [];

async function record(auth: LocalAuthMode, inference: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'image-intel-calls-')), 'calls.jsonl');
  const runner = await startRunner({ auth, args: ['--inference', inference, '--record-calls', file] });
  try {
    const token = auth === 'jwt' ? await runner.token({ user: 'probe' }) : undefined;
    const admin = auth === 'jwt' ? { bearerToken: await runner.token({ user: 'root', admin: true }) } : undefined;
    await exerciseEveryRoute(runner.ready.apiUrl, { apiKey: runner.ready.apiKey, bearerToken: token }, admin);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nrunner log:\n${runner.log()}`);
  } finally {
    await runner.stop();
  }
  return { ready: runner.ready, calls: readCalls(file) };
}

/** The template with `action` taken out of every statement of `fn`'s role whose resource matches `resource`. */
function without(ready: RunnerReady, fn: string, action: string, resource: RegExp = /.*/) {
  const { functions, template } = stackFor(ready);
  const roleId = roleOf(template, functions[fn] as string).id;
  return (json: CfnTemplate): CfnTemplate => {
    for (const policy of Object.values(json.Resources)) {
      if (policy.Type !== 'AWS::IAM::Policy') continue;
      const roles = (policy.Properties?.Roles ?? []) as { Ref?: string }[];
      if (!roles.some((role) => role.Ref === roleId)) continue;
      const document = policy.Properties?.PolicyDocument as {
        Statement: { Action: string | string[]; Resource: unknown }[];
      };
      document.Statement = document.Statement.flatMap((statement) => {
        if (!resource.test(JSON.stringify(statement.Resource))) return [statement];
        const actions = [statement.Action].flat().filter((granted) => granted !== action);
        return actions.length ? [{ ...statement, Action: actions }] : [];
      });
    }
    return json;
  };
}

describe.each(COMBINATIONS)('with auth %s and inference %s', (auth, inference) => {
  it('every call each function made is allowed by its role and the resource policies', async () => {
    const { ready, calls } = await record(auth, inference);
    const report = await checkRunner(ready, calls);
    runs.push({ ready, calls, report });
    expect(describeDenials(report)).toBe('');
    const byFunction = new Set(calls.map((call) => call.fn));
    const expected = ['create-upload', 'processor', 'get-image', 'list-images', 'similar-images', 'correct-labels'];
    const more = ['create-rendition', 'render-image', 'delete-image', ...(inference === 'offline' ? ['vision'] : [])];
    expect([...byFunction].filter(Boolean).sort()).toEqual([...expected, ...more].sort());
  });
});

describe('least privilege', () => {
  it('leaves no grant that no call used, other than those explained beside their grant', () => {
    expect(runs).toHaveLength(COMBINATIONS.length);
    expect(unusedGrants(runs.map((run) => run.report))).toEqual({});
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
    const report = await checkRunner(ready, calls, without(ready, 'processor', 'dynamodb:UpdateItem'));
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
    expect(describeDenials(report)).toContain(`no statement of`);
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
