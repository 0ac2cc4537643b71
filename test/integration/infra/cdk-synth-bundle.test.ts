import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { ASSET_RESOURCE_METADATA_ENABLED_CONTEXT } from 'aws-cdk-lib/cx-api';
import { JXL_WASM_ASSET_PATH } from '../../../lambdas/core/jxl-contract';
import { workerScript } from '../../../lambdas/provenance/c2pa-reader';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../../lambdas/provenance/wasm-contract';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { lockedSharpVersion } from '../../../layers/sharp/build';
import { processorCode } from '../../../lib/constructs/image-processor';
import { JXL_WASM_FILE } from '../../../lib/constructs/jxl-bundling';
import { NodeFunction } from '../../../lib/constructs/node-function';
import { C2PA_WASM_FILE } from '../../../lib/constructs/provenance-bundling';
import { readInThread, removedAfterAll } from '../../support/cdk-synth';

/**
 * The processor's asset as `sharpPackaging=bundle` makes it (`npm run deploy:local` synthesizes so without a
 * token), with real bundling (esbuild, npm) of that one function: the app's other functions are bundled by
 * cdk-synth.test.ts's `npx cdk synth`, and the bundle settings' template (no layer) and cdk-nag's verdict on it are
 * test/infra's (processor.test.ts, nag.test.ts).
 */
describe('the processor asset with sharpPackaging=bundle', () => {
  it('puts sharp and only its linux-arm64 binaries in the processor asset, beside the bundle that requires it', async () => {
    const out = removedAfterAll(mkdtempSync(path.join(tmpdir(), 'image-intel-synth-')));
    // The asset's folder in the template's metadata, as the CDK CLI asks for it.
    const app = new App({ outdir: out, context: { [ASSET_RESOURCE_METADATA_ENABLED_CONTEXT]: true } });
    const stack = new Stack(app, 'Processor');
    const settings = parseDeploymentSettings({ sharpPackaging: 'bundle', inference: 'none', auth: 'apikey' });
    const processor = new NodeFunction(stack, 'Function', {
      ...processorCode(stack, settings, true),
      serviceName: 'image-intel-processor',
    });
    const assembly = app.synth();
    const template = assembly.getStackByName('Processor').template as {
      Resources: Record<string, { Metadata?: Record<string, string> }>;
    };
    const logicalId = stack.getLogicalId(processor.node.defaultChild as never);
    const asset = path.join(out, template.Resources[logicalId]?.Metadata?.['aws:asset:path'] as string);
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
    // libjxl's WASM decoder, which the core's JPEG XL decode reads beside the bundle (lib/constructs/jxl-bundling.ts).
    expect(readFileSync(path.join(asset, JXL_WASM_ASSET_PATH)).equals(readFileSync(JXL_WASM_FILE))).toBe(true);
    // And the C2PA reader's worker thread's own bundle, which the reader finds there, and which reads a signed image
    // with that module and nothing else of the asset's.
    expect(workerScript(asset)).toBe(path.join(asset, C2PA_WORKER_ASSET_PATH));
    expect(await readInThread(workerScript(asset), path.join(asset, C2PA_WASM_ASSET_PATH))).toMatchObject({
      kind: 'store',
      json: expect.stringContaining('Imagine Test Signer'),
    });
  }, 300_000);
});
