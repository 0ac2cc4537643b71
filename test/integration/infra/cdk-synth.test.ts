import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiRoutesFor } from '../../../lambdas/manifest/routes';
import { cdkSynth } from '../../support/cdk-synth';

/**
 * What a user runs, with real bundling: the CDK CLI, esbuild for the functions and npm for the linux-arm64 sharp
 * layer, and no docker and no AWS account.
 */
describe('npx cdk synth', () => {
  it('synthesizes offline with real bundling, the arm64 sharp layer and no docker', () => {
    const { out, resources } = cdkSynth('inference=onnx', 'auth=apikey');
    const layer = resources.find(
      (resource) =>
        resource.Type === 'AWS::Lambda::LayerVersion' &&
        String(resource.Metadata?.['aws:cdk:path']).endsWith('/Processor/SharpLayer/Resource'),
    );
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
    // The processor's steps are bundled with the processor only (STEPS_ELSEWHERE, lambdas/kit/room.ts): the trash's
    // functions read the rooms' manifests for their cleanups, and delete-image once carried the whole processor with
    // them (6.4 MB, the HEIC decoder among it).
    const bundleOf = (cdkPath: string) => {
      const fn = functions.find((resource) => String(resource.Metadata?.['aws:cdk:path']).endsWith(cdkPath));
      return readFileSync(path.join(out, fn?.Metadata?.['aws:asset:path'] as string, 'index.js'), 'utf8');
    };
    expect(bundleOf('/Processor/Function/Resource')).toContain('libheif');
    expect(bundleOf('/TrashRoom/DeleteImage/Resource')).not.toContain('libheif');
    // The inference image is an asset directory with the Dockerfile, built only by `cdk deploy`.
    expect(assets.some((name) => existsSync(path.join(out, name, 'lambdas/vision/functions/vision/Dockerfile')))).toBe(
      true,
    );
    // Each bundle loads as Lambda loads it (no node_modules above it, no environment): every module it bundled runs
    // its top level, and the only way it may stop is the handler's own check of its environment, naming the
    // function; the processor's sharp comes from the layer. A bundle that lost a module, or kept an ES module's
    // syntax, fails here and not at its first cold start.
    const loads = bundles.map((name) => {
      const { stdout, stderr } = spawnSync(
        process.execPath,
        [
          '-e',
          `try { require(${JSON.stringify(path.join(out, name, 'index.js'))}); } catch (e) { console.log(e.message); }`,
        ],
        { cwd: out, encoding: 'utf8', env: { PATH: process.env.PATH } },
      );
      return { name, outcome: `${stdout}${stderr}`.split('\n')[0] ?? '' };
    });
    expect(
      loads.filter(
        ({ outcome }) =>
          outcome !== '' &&
          !/^invalid environment for [a-z-]+: /.test(outcome) &&
          outcome !== "Cannot find module 'sharp'",
      ),
    ).toEqual([]);
    // Every function bundled by one esbuild build per set of options (lib/constructs/function-bundles.ts).
  }, 900_000);
});
