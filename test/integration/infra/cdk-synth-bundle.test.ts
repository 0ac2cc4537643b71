import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workerScript } from '../../../lambdas/provenance/c2pa-reader';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../../lambdas/provenance/wasm-contract';
import { lockedSharpVersion } from '../../../layers/sharp/build';
import { C2PA_WASM_FILE } from '../../../lib/constructs/provenance-bundling';
import { cdkSynth, readInThread } from '../../support/cdk-synth';

/** `npx cdk synth` with real bundling (esbuild, npm), the way `npm run deploy:local` synthesizes without a token. */
describe('npx cdk synth -c sharpPackaging=bundle', () => {
  it('puts sharp and only its linux-arm64 binaries in the processor asset, beside the bundle that requires it', async () => {
    const { out, resources } = cdkSynth('sharpPackaging=bundle', 'auth=apikey', 'inference=none');
    // No sharp layer: the only one is CDK's AWS CLI layer of the web app's bucket deployment.
    expect(
      resources
        .filter((resource) => resource.Type === 'AWS::Lambda::LayerVersion')
        .map((resource) => resource.Metadata?.['aws:cdk:path']),
    ).toEqual(['ImageIntel/WebFilesRoom/DeployAssets/AwsCliLayer/Resource']);
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
    // 250 s alone on 2 cores; beside a full run's other workers it passed 480 s (every room's function bundled).
  }, 900_000);
});
