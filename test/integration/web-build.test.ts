import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '../..');
const exec = promisify(execFile);

/**
 * `vite build` run under jest, whose NODE_ENV is `test`: the app it makes is the production one `npm run build:web`
 * makes, byte for byte, and names no path of the machine. A development build named its chunks differently, so a page
 * loaded from web/dist asked for chunks a rebuild had removed (a CI run's 404).
 */
describe('the web app build', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'image-intel-web-build-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is the production build whatever NODE_ENV says, and names no path of the machine', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    await exec(
      path.join(ROOT, 'node_modules/.bin/vite'),
      ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test' }, timeout: 120_000 },
    );
    const assets = readdirSync(path.join(outDir, 'assets')).sort();
    expect(assets).toEqual(readdirSync(path.join(ROOT, 'web/dist/assets')).sort());
    const naming = assets.filter((file) => readFileSync(path.join(outDir, 'assets', file), 'utf8').includes(ROOT));
    expect(naming).toEqual([]);
  });
});
