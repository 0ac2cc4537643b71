import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { apiRoutesFor } from '../../../lambdas/manifest/routes';
import { workerScript } from '../../../lambdas/provenance/c2pa-reader';
import type { WorkerMessage } from '../../../lambdas/provenance/c2pa-worker';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../../lambdas/provenance/wasm-contract';
import { lockedSharpVersion } from '../../../layers/sharp/build';
import { C2PA_WASM_FILE } from '../../../lib/constructs/provenance-bundling';
import { credentialFixtures } from '../../support/provenance';

const ROOT = path.join(__dirname, '../../..');

interface SynthResource {
  Type: string;
  Properties?: { Environment?: { Variables?: Record<string, unknown> }; [key: string]: unknown };
  Metadata?: Record<string, string>;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const out of outdirs) rmSync(out, { recursive: true, force: true });
});

/**
 * `npx cdk synth` with these context values, as a user runs it, with real bundling and no docker (the inference
 * image is only built at deploy time): where it wrote the assembly, and the stack's template. It must succeed with
 * nothing on stderr.
 */
function cdkSynth(...context: string[]): { out: string; resources: SynthResource[] } {
  const out = mkdtempSync(path.join(tmpdir(), 'image-intel-synth-'));
  outdirs.push(out);
  const result = spawnSync(
    path.join(ROOT, 'node_modules/.bin/cdk'),
    ['synth', '--quiet', '--output', out, ...context.flatMap((value) => ['-c', value])],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } },
  );
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
    status: 0,
    stderr: '',
  });
  const template = JSON.parse(readFileSync(path.join(out, 'ImageIntel.template.json'), 'utf8')) as {
    Resources: Record<string, SynthResource>;
  };
  return { out, resources: Object.values(template.Resources) };
}

/** A signed image read by the worker thread's script given, with the module given, as the C2PA reader starts it. */
async function readInThread(script: string, wasm: string): Promise<WorkerMessage> {
  const { generated } = await credentialFixtures(readFileSync(path.join(ROOT, 'test/fixtures/photos/pier.jpg')));
  const worker = new Worker(script);
  try {
    const next = () =>
      new Promise<WorkerMessage>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    worker.postMessage({ module: await WebAssembly.compile(readFileSync(wasm)) });
    expect(await next()).toEqual({ kind: 'ready' });
    worker.postMessage({ mediaType: 'image/jpeg', bytes: generated, context: '{}' });
    return await next();
  } finally {
    await worker.terminate();
  }
}

/**
 * What a user runs, with real bundling: the CDK CLI, esbuild for the functions and npm for the linux-arm64 sharp
 * layer, and no docker and no AWS account.
 */
describe('npx cdk synth', () => {
  it('synthesizes offline with real bundling, the arm64 sharp layer and no docker', () => {
    const { out, resources } = cdkSynth('inference=onnx', 'auth=apikey');
    const layer = resources.find((resource) => resource.Type === 'AWS::Lambda::LayerVersion');
    const layerDir = path.join(out, layer?.Metadata?.['aws:asset:path'] as string, 'nodejs/node_modules/@img');
    expect(readdirSync(layerDir).sort()).toEqual(['colour', 'sharp-libvips-linux-arm64', 'sharp-linux-arm64']);

    const assets = readdirSync(out).filter((name) => name.startsWith('asset.'));
    const bundles = assets.filter((name) => existsSync(path.join(out, name, 'index.js')));
    // The processor, the render, the key rotation, the webhook delivery, the trash purge and the deleted albums'
    // members functions and each route's function (webhooks on, face grouping off: the defaults), each bundled by
    // esbuild.
    expect(bundles).toHaveLength(6 + apiRoutesFor({ faceGrouping: false, webhooks: true }).length);
    // The rendition settings are compiled into the code of the functions that read them (lambdas/settings/env.ts),
    // not left in their 4 KB environment: the bundle holds the JSON and no longer the identifier esbuild replaced.
    const functions = resources.filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Metadata?.['aws:asset:path'],
    );
    const render = functions.find((fn) =>
      JSON.stringify(fn.Properties?.Environment).includes('image-intel-render-image'),
    );
    expect(render?.Properties?.Environment?.Variables).not.toHaveProperty('RENDITION_SETTINGS');
    const code = readFileSync(path.join(out, render?.Metadata?.['aws:asset:path'] as string, 'index.js'), 'utf8');
    expect(code).toContain('RENDITION_SETTINGS');
    expect(code).toContain('renditionPresets');
    expect(code).not.toContain('IMAGE_INTEL_COMPILED_ENVIRONMENT');
    // The inference image is an asset directory with the Dockerfile, built only by `cdk deploy`.
    expect(assets.some((name) => existsSync(path.join(out, name, 'lambdas/vision/functions/vision/Dockerfile')))).toBe(
      true,
    );
  }, 480_000);
});

/** `npx cdk synth` with real bundling (esbuild, npm), the way `npm run deploy:local` synthesizes without a token. */
describe('npx cdk synth -c sharpPackaging=bundle', () => {
  it('puts sharp and only its linux-arm64 binaries in the processor asset, beside the bundle that requires it', async () => {
    const { out, resources } = cdkSynth('sharpPackaging=bundle', 'auth=apikey', 'inference=none');
    // No sharp layer: the only one is CDK's AWS CLI layer of the web app's bucket deployment.
    expect(
      resources
        .filter((resource) => resource.Type === 'AWS::Lambda::LayerVersion')
        .map((resource) => resource.Metadata?.['aws:cdk:path']),
    ).toEqual(['ImageIntel/Web/DeployAssets/AwsCliLayer/Resource']);
    const processor = resources.find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'image-intel-processor',
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
    // The data files its steps read beside the bundle: c2pa-rs's module (provenance), as the package ships it.
    expect(readFileSync(path.join(asset, C2PA_WASM_ASSET_PATH)).equals(readFileSync(C2PA_WASM_FILE))).toBe(true);
    // And the C2PA reader's worker thread's own bundle, which the reader finds there, and which reads a signed image
    // with that module and nothing else of the asset's.
    expect(workerScript(asset)).toBe(path.join(asset, C2PA_WORKER_ASSET_PATH));
    expect(await readInThread(workerScript(asset), path.join(asset, C2PA_WASM_ASSET_PATH))).toMatchObject({
      kind: 'store',
      json: expect.stringContaining('Imagine Test Signer'),
    });
    // cdk-nag found nothing to report.
    expect(JSON.parse(readFileSync(path.join(out, 'validation-report.json'), 'utf8')).pluginReports).toEqual([]);
  }, 480_000);
});
