import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { lockedSharpVersion } from '../../../layers/sharp/build';

/** `npx cdk synth` with real bundling (esbuild, npm), the way `npm run deploy:local` synthesizes without a token. */
describe('npx cdk synth -c sharpPackaging=bundle', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'image-intel-bundle-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('puts sharp and only its linux-arm64 binaries in the processor asset, beside the bundle that requires it', () => {
    const result = spawnSync(
      path.join(__dirname, '../../../node_modules/.bin/cdk'),
      ['synth', '--quiet', '--output', out, '-c', 'sharpPackaging=bundle', '-c', 'auth=apikey', '-c', 'inference=none'],
      {
        cwd: path.join(__dirname, '../../..'),
        encoding: 'utf8',
        env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
      },
    );
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      status: 0,
      stderr: '',
    });

    const template = JSON.parse(readFileSync(path.join(out, 'ImageIntel.template.json'), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, string> }
      >;
    };
    const resources = Object.values(template.Resources);
    // No sharp layer: the only one is CDK's AWS CLI layer of the web app's bucket deployment.
    expect(
      resources
        .filter((resource) => resource.Type === 'AWS::Lambda::LayerVersion')
        .map((resource) => resource.Metadata?.['aws:cdk:path']),
    ).toEqual(['ImageIntel/Web/DeployAssets/AwsCliLayer/Resource']);
    const processor = resources.find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
          ?.POWERTOOLS_SERVICE_NAME === 'image-intel-processor',
    );
    const asset = path.join(out, processor?.Metadata?.['aws:asset:path'] as string);
    expect(readdirSync(path.join(asset, 'node_modules/@img')).sort()).toEqual([
      'colour',
      'sharp-libvips-linux-arm64',
      'sharp-linux-arm64',
    ]);
    expect(JSON.parse(readFileSync(path.join(asset, 'node_modules/sharp/package.json'), 'utf8')).version).toBe(
      lockedSharpVersion(),
    );
    // sharp is external: the bundle requires it by name, and from the asset that name resolves to this copy.
    expect(readFileSync(path.join(asset, 'index.js'), 'utf8')).toContain('require("sharp")');
    expect(require.resolve('sharp', { paths: [asset] })).toBe(path.join(asset, 'node_modules/sharp/lib/index.js'));
    // cdk-nag found nothing to report.
    expect(JSON.parse(readFileSync(path.join(out, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  }, 240_000);
});
