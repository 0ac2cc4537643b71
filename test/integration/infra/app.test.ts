import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CDK_JSON_CONTEXT } from '../../infra/support/synth';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');

/**
 * Run `bin/app.ts` the way the CDK CLI does: context in CDK_CONTEXT_JSON, output directory in CDK_OUTDIR, the
 * Region it deploys to in CDK_DEFAULT_REGION (the CLI always sets it, us-east-1 without a configured one).
 */
function runApp(context: Record<string, unknown>, outdir: string, region: string | null = 'eu-west-1') {
  const { CDK_DEFAULT_REGION: _ignored, ...environment } = process.env;
  return spawnSync(TSX, ['bin/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    // About 20 s alone; with cdk-nag over every room's stack, beside a full run's workers, past 60 s.
    timeout: 240_000,
    env: {
      ...environment,
      ...(region === null ? {} : { CDK_DEFAULT_REGION: region }),
      CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context }),
      CDK_OUTDIR: outdir,
    },
  });
}

describe('bin/app.ts', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'image-intel-app-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  it('fails with the name of a bad context key and writes no template', () => {
    const result = runApp({ inference: 'gpu', thumbnailSizes: '128,0' }, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('invalid deployment settings');
    expect(result.stderr).toMatch(/inference: /);
    expect(result.stderr).toMatch(/thumbnailSizes\.1: /);
    expect(existsSync(path.join(outdir, 'ImageIntel.template.json'))).toBe(false);
  });

  it('fails saying so without a Region', () => {
    const result = runApp({ inference: 'none', auth: 'apikey' }, outdir, null);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no Region to deploy to: run the app through the CDK CLI');
  });

  it('refuses API clients given as text that is not a valid list, naming the setting', () => {
    const result = runApp({ auth: 'apikey', apiClients: '[{"name":"Web App"}]' }, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/invalid deployment settings: apiClients\.0\.name: /);
  });

  it('reads a setting under its old name too, refusing it beside a different value under the new, naming both', () => {
    const result = runApp({ semanticSearch: 'titan', searchByMeaning: 'nova' }, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'invalid deployment settings: semanticSearch=titan and searchByMeaning=nova disagree: semanticSearch is the old ' +
        'name of searchByMeaning; give searchByMeaning alone',
    );
  });

  it('refuses a stack name CloudFormation would refuse, naming the setting', () => {
    const result = runApp({ stackName: 'image_intel' }, outdir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/stackName: a letter, then up to 127 letters, digits or hyphens/);
  });
});

/**
 * One synth for what a successful run shows (about 19 s of CPU each: the CloudFormation validation and cdk-nag run in
 * it): a stack name, a Region, API clients as JSON text, and the cdk-nag plugin.
 */
describe('bin/app.ts, synthesizing', () => {
  // `-c apiClients='[...]'` arrives as JSON text.
  const apiClients = '[{"name":"web","admin":true},{"name":"batch","quotaPerDay":500000}]';
  const outdir = mkdtempSync(path.join(tmpdir(), 'image-intel-app-'));
  let result: ReturnType<typeof runApp>;
  const json = (file: string) => JSON.parse(readFileSync(path.join(outdir, file), 'utf8'));
  beforeAll(() => {
    result = runApp(
      { inference: 'none', auth: 'apikey', stackName: 'ImageIntelDev', apiClients },
      outdir,
      'ap-southeast-2',
    );
  }, 300_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('succeeds with nothing said on stderr', () => {
    expect(result.stderr).not.toMatch(/Error|ERROR/);
    expect(result.status).toBe(0);
  });

  it('names the stacks from stackName, so dev and prod can share an account', () => {
    expect(existsSync(path.join(outdir, 'ImageIntelDev.template.json'))).toBe(true);
    expect(existsSync(path.join(outdir, 'ImageIntelDev-waf.template.json'))).toBe(true);
    expect(existsSync(path.join(outdir, 'ImageIntel.template.json'))).toBe(false);
  });

  it('puts the pipeline in the CLI’s Region and its web ACL in us-east-1', () => {
    const manifest = json('manifest.json') as { artifacts: Record<string, { environment?: string }> };
    expect(manifest.artifacts.ImageIntelDev?.environment).toBe('aws://unknown-account/ap-southeast-2');
    expect(manifest.artifacts['ImageIntelDev-waf']?.environment).toBe('aws://unknown-account/us-east-1');
  });

  it('makes a key per API client given in context, and names every output in docs/deploy.md', () => {
    const template = json('ImageIntelDev.template.json');
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types.filter((type) => type === 'AWS::ApiGateway::ApiKey')).toHaveLength(2);
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['ApiKeyIdWeb', 'ApiKeyIdBatch']));
    // docs/deploy.md names every output the stack has (its API keys as `ApiKeyId...`).
    const deploy = readFileSync(path.join(REPO_ROOT, 'docs/deploy.md'), 'utf8');
    const outputs = deploy.slice(deploy.indexOf('### Outputs'), deploy.indexOf('### What the stack sets up'));
    const waf = json('ImageIntelDev-waf.template.json');
    // Less the outputs the CDK adds itself to pass the web ACL's ARN across Regions.
    const names = [...Object.keys(template.Outputs), ...Object.keys(waf.Outputs ?? {})]
      .filter((name) => !/^(PublishOutput|ExportsOutput)/.test(name))
      .map((name) => (name.startsWith('ApiKeyId') ? 'ApiKeyId...' : name));
    expect(names).toContain('BucketName');
    expect(names.filter((name) => !outputs.includes(`\`${name}\``))).toEqual([]);
  });

  it('runs the cdk-nag plugin, which finds nothing to report', () => {
    expect(json('validation-report.json').pluginReports).toEqual([]);
  });
});
