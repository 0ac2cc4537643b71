import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../../lambdas/provenance/wasm-contract';
import { C2PA_WASM_FILE, workerBundleCommand } from '../../../lib/constructs/provenance-bundling';
import { credentialFixtures } from '../../support/provenance';

const ROOT = path.join(__dirname, '../../..');
let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The reader as Lambda runs it: bundled by esbuild as the stack bundles the processor (CommonJS, sharp external), in a
 * folder no node_modules is above, with c2pa-rs's module where lib/constructs/provenance-bundling.ts copies it and its
 * worker thread's script where that file's command bundles it. It must find both beside its bundle, not in the
 * project's node_modules or sources.
 */
it("reads Content Credentials from an esbuild bundle, with c2pa-rs's module and its thread's bundle beside it", async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'provenance-bundle-'));
  const asset = path.join(dir, 'asset');
  buildSync({
    entryPoints: [path.join(ROOT, 'lambdas/provenance/read-provenance.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['sharp'],
    outfile: path.join(asset, 'index.js'),
    logLevel: 'silent',
  });
  mkdirSync(path.join(asset, path.dirname(C2PA_WASM_ASSET_PATH)), { recursive: true });
  copyFileSync(C2PA_WASM_FILE, path.join(asset, C2PA_WASM_ASSET_PATH));
  // The command the processor's bundling runs, through a shell as NodejsFunction's does.
  const worker = spawnSync(workerBundleCommand(path.join(asset, C2PA_WORKER_ASSET_PATH)), {
    shell: true,
    encoding: 'utf8',
  });
  expect({ status: worker.status, stderr: worker.stderr }).toEqual({ status: 0, stderr: '' });
  // The thread's bundle holds c2pa-rs's glue: nothing for it to require from a node_modules.
  expect(readFileSync(path.join(asset, C2PA_WORKER_ASSET_PATH), 'utf8')).not.toMatch(/require\("@contentauth/);
  // sharp alone, as the layer gives it; nothing else of node_modules.
  const modules = path.join(dir, 'layer');
  mkdirSync(modules);
  for (const name of ['sharp', '@img', 'detect-libc', 'semver']) {
    symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
  }
  const { generated } = await credentialFixtures(readFileSync(path.join(ROOT, 'test/fixtures/photos/pier.jpg')));
  writeFileSync(path.join(dir, 'signed.jpg'), generated);
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      "require('./asset/index.js').readProvenance(require('fs').readFileSync('signed.jpg'), 'jpeg').then((p) => console.log(JSON.stringify(p)))",
    ],
    { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_PATH: modules } },
  );
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toMatchObject({
    summary: 'ai-generated',
    generator: 'Imagine 3.1',
    credentials: { validation: 'untrusted' },
  });
});
