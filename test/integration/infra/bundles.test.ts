import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { apiFunctionsFor, handlerModule } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { REPO_ROOT } from '../../../lib/constructs/node-function';

/**
 * What esbuild puts in each function's bundle, as the stack bundles it. Here, not in test/infra: esbuild runs as a
 * process of its own, and a synth test starts none (test/integration/test-layers.test.ts).
 */
/** The place step's runtime: it runs in the processor alone, which carries the data (processor.test.ts). */
const PLACE_STEP_RUNTIME = 'lambdas/places/steps/place.ts';

/**
 * The files a bundle of `entry` would hold: every input reached from it through the imports esbuild resolved (those it
 * left external aside), which is what the metafile of a build of that entry alone lists. One build of every entry
 * parses each shared module (the AWS SDK, Powertools, the manifest) once, where a build per function parsed them
 * again for each of about fifty.
 */
function bundledFiles(metafile: Metafile, entry: string): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const one of metafile.inputs[file]?.imports ?? []) if (!one.external) visit(one.path);
  };
  visit(entry);
  return reached;
}

describe('the places data in function assets', () => {
  // Every API function a deployment can have: people (face grouping) and webhooks on.
  const ALL_ROUTES = parseDeploymentSettings({ faceGrouping: 'true', webhooks: 'true' });

  it('is in the asset of each API function whose bundle reads it (openGeocoder), and of no other', async () => {
    const entries = apiFunctionsFor(ALL_ROUTES).map((fn) => ({
      operationId: fn.route(ALL_ROUTES).operationId,
      entry: `lambdas/${handlerModule(fn, ALL_ROUTES)}.ts`,
    }));
    const { metafile } = await build({
      entryPoints: entries.map(({ entry }) => path.join(REPO_ROOT, entry)),
      absWorkingDir: REPO_ROOT,
      bundle: true,
      write: false,
      // Each entry its own bundle, as each function has: no chunks shared between them.
      outdir: 'out',
      metafile: true,
      platform: 'node',
      logLevel: 'silent',
      // The packages left out: what reads the data is the project's own code, and no package imports it, so the
      // project's files each bundle reaches are the same with them (with them in, this one build made about 200 MB
      // of code that nothing reads).
      packages: 'external',
    });
    // openGeocoder reads the file at run time: the functions whose bundle has it must have the file beside it.
    const reads: string[] = [];
    for (const { operationId, entry } of entries) {
      expect(metafile.inputs).toHaveProperty([entry]);
      // The processor's place step (places/steps/place.ts) reads it too: a function that runs a room's cleanups has
      // every room's manifest, and with it the steps' runtimes bundled, which only the processor runs.
      const readers = [...bundledFiles(metafile, entry)].filter((file) =>
        metafile.inputs[file]?.imports.some((one) => one.path === 'lambdas/places/open.ts'),
      );
      if (readers.some((file) => file !== PLACE_STEP_RUNTIME)) reads.push(operationId);
    }
    const declared = apiFunctionsFor(ALL_ROUTES)
      .filter((fn) => 'bundledData' in fn && fn.bundledData === 'places')
      .map((fn) => fn.route(ALL_ROUTES).operationId);
    // A resolve of near-duplicates names a place it carries from a copy (lambdas/duplicates/carry-over.ts).
    expect(reads.sort()).toEqual(['correct-place', 'reset-place', 'resolve-duplicates', 'suggest-places']);
    expect(declared.sort()).toEqual(reads);
  }, 120_000);
});
