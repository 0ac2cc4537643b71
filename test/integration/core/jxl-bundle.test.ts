import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { JXL_WASM_ASSET_PATH } from '../../../lambdas/core/jxl-contract';
import { JXL_WASM_FILE } from '../../../lib/constructs/jxl-bundling';

const ROOT = path.join(__dirname, '../../..');
let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The JPEG XL decoder as Lambda runs it: bundled by esbuild as the stack bundles the processor and the render function
 * (CommonJS, ESM @jsquash/jxl turned into it), in a folder no node_modules is above, with libjxl's module where
 * lib/constructs/jxl-bundling.ts copies it. It must find the module beside its bundle.
 */
it("decodes a JPEG XL from an esbuild bundle, with libjxl's module beside it", () => {
  dir = mkdtempSync(path.join(tmpdir(), 'jxl-bundle-'));
  const asset = path.join(dir, 'asset');
  buildSync({
    entryPoints: [path.join(ROOT, 'lambdas/core/analysis/jxl.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: path.join(asset, 'index.js'),
    logLevel: 'silent',
  });
  mkdirSync(path.join(asset, path.dirname(JXL_WASM_ASSET_PATH)), { recursive: true });
  copyFileSync(JXL_WASM_FILE, path.join(asset, JXL_WASM_ASSET_PATH));
  copyFileSync(path.join(ROOT, 'test/fixtures/formats/cups.jxl'), path.join(dir, 'cups.jxl'));
  const run = spawnSync(
    process.execPath,
    [
      '-e',
      "require('./asset/index.js').decodeJxl(require('fs').readFileSync('cups.jxl')).then((p) => console.log(JSON.stringify([p.width, p.height, p.data.length])))",
    ],
    { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } },
  );
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual([640, 400, 640 * 400 * 4]);
});
