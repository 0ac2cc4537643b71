import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_ROUTES } from '../../../lambdas/functions/routes';

const ROOT = path.join(__dirname, '../../..');

/**
 * What a user runs, with real bundling: the CDK CLI, esbuild for the functions and npm for the linux-arm64 sharp
 * layer, and no docker (the inference image is only built at deploy time) and no AWS account.
 */
describe('npx cdk synth', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'image-intel-synth-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('synthesizes offline with real bundling, the arm64 sharp layer and no docker', () => {
    const result = spawnSync(
      path.join(ROOT, 'node_modules/.bin/cdk'),
      ['synth', '--quiet', '--output', out, '-c', 'inference=onnx', '-c', 'auth=apikey'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } },
    );
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      status: 0,
      stderr: '',
    });

    const template = JSON.parse(readFileSync(path.join(out, 'ImageIntel.template.json'), 'utf8'));
    const layer = Object.values(
      template.Resources as Record<string, { Type: string; Metadata?: Record<string, string> }>,
    ).find((resource) => resource.Type === 'AWS::Lambda::LayerVersion');
    const layerDir = path.join(out, layer?.Metadata?.['aws:asset:path'] as string, 'nodejs/node_modules/@img');
    expect(readdirSync(layerDir).sort()).toEqual(['colour', 'sharp-libvips-linux-arm64', 'sharp-linux-arm64']);

    const assets = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const bundles = assets.filter((name) => existsSync(path.join(out, name, 'index.js')));
    // The processor, the render and the key rotation functions and each route's function, each bundled by esbuild.
    expect(bundles).toHaveLength(3 + API_ROUTES.length);
    // The rendition settings are compiled into the code of the functions that read them (lambdas/settings/env.ts),
    // not left in their 4 KB environment: the bundle holds the JSON and no longer the identifier esbuild replaced.
    const functions = Object.values(
      template.Resources as Record<
        string,
        { Type: string; Metadata?: Record<string, string>; Properties: { Environment?: { Variables: object } } }
      >,
    ).filter((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['aws:asset:path']);
    const render = functions.find((fn) =>
      JSON.stringify(fn.Properties.Environment).includes('image-intel-render-image'),
    );
    expect(render?.Properties.Environment?.Variables).not.toHaveProperty('RENDITION_SETTINGS');
    const code = readFileSync(path.join(out, render?.Metadata?.['aws:asset:path'] as string, 'index.js'), 'utf8');
    expect(code).toContain('RENDITION_SETTINGS');
    expect(code).toContain('renditionPresets');
    expect(code).not.toContain('IMAGE_INTEL_COMPILED_ENVIRONMENT');
    // The inference image is an asset directory with the Dockerfile, built only by `cdk deploy`.
    expect(assets.some((name) => existsSync(path.join(out, name, 'lambdas/functions/vision/Dockerfile')))).toBe(true);
  }, 180_000);
});
