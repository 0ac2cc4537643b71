import path from 'node:path';
import { build } from 'esbuild';
import { apiFunctionsFor, handlerModule } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { REPO_ROOT } from '../../../lib/constructs/node-function';

/**
 * What esbuild puts in each function's bundle, as the stack bundles it. Here, not in test/infra: esbuild runs as a
 * process of its own, and a synth test starts none (test/integration/test-layers.test.ts).
 */
/** The place step's runtime: it runs in the processor alone, which carries the data (processor.test.ts). */
const PLACE_STEP_RUNTIME = 'lambdas/places/steps/place.ts';

describe('the places data in function assets', () => {
  // Every API function a deployment can have: people (face grouping) and webhooks on.
  const ALL_ROUTES = parseDeploymentSettings({ faceGrouping: 'true', webhooks: 'true' });

  it('is in the asset of each API function whose bundle reads it (openGeocoder), and of no other', async () => {
    // openGeocoder reads the file at run time: the functions whose bundle has it must have the file beside it.
    const reads: string[] = [];
    for (const fn of apiFunctionsFor(ALL_ROUTES)) {
      const { metafile } = await build({
        entryPoints: [path.join(REPO_ROOT, 'lambdas', `${handlerModule(fn, ALL_ROUTES)}.ts`)],
        absWorkingDir: REPO_ROOT,
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        logLevel: 'silent',
        external: ['@aws-sdk/*', 'sharp', 'onnxruntime-node'],
      });
      // The processor's place step (places/steps/place.ts) reads it too: a function that runs a room's cleanups has
      // every room's manifest, and with it the steps' runtimes bundled, which only the processor runs.
      const readers = Object.entries(metafile.inputs)
        .filter(([, input]) => input.imports.some((one) => one.path === 'lambdas/places/open.ts'))
        .map(([file]) => file);
      if (readers.some((file) => file !== PLACE_STEP_RUNTIME)) reads.push(fn.route(ALL_ROUTES).operationId);
    }
    const declared = apiFunctionsFor(ALL_ROUTES)
      .filter((fn) => 'bundledData' in fn && fn.bundledData === 'places')
      .map((fn) => fn.route(ALL_ROUTES).operationId);
    // A resolve of near-duplicates names a place it carries from a copy (lambdas/duplicates/carry-over.ts).
    expect(reads.sort()).toEqual(['correct-place', 'reset-place', 'resolve-duplicates', 'suggest-places']);
    expect(declared.sort()).toEqual(reads);
  }, 120_000);
});
