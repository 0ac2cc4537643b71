import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fixturePath } from '../../fixtures';

/**
 * The CLI installed as a user outside the checkout installs it (docs/local.md#installing-the-cli): packed with
 * `npm pack` and installed globally from the tarball, or installed globally from a clone, each into a prefix of its
 * own, then run by name from a directory that is not the checkout, with the compiled code only (no TypeScript
 * runtime). Nothing here uses the network: the tarball's dependencies would come from the registry, so its unpacked
 * folder is given the checkout's node_modules as they (the same versions the lock file names) and installed from
 * there; what the test holds the tarball to is that it carries everything of its own the command needs.
 */
const ROOT = join(__dirname, '../../..');
const exec = promisify(execFile);
const COMMANDS = [
  'analyze',
  'render',
  'upload',
  'search',
  'similar',
  'smoke',
  'backfill',
  'token',
  'people',
  'webhooks',
];
let dir: string;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/lambdas/cli/main.js')))
    throw new Error('run `npm run build` first: dist/ is packed');
  dir = mkdtempSync(join(tmpdir(), 'image-intel-install-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm` with no audit, no funding notice, no network. */
function npm(args: string[], cwd: string) {
  return exec('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, timeout: 120_000 });
}

/** `image-intel ...args` as the installed command, by name on PATH, from a directory of its own. */
async function runInstalled(prefix: string, ...args: string[]) {
  const elsewhere = mkdtempSync(join(dir, 'elsewhere-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
  delete env.NODE_OPTIONS;
  return exec('image-intel', args, { cwd: elsewhere, env, timeout: 120_000 });
}

function expectEveryCommand(help: string) {
  expect(help).toContain('Usage: image-intel [options] [command]');
  for (const command of COMMANDS) expect(help).toMatch(new RegExp(`^ {2}${command} `, 'm'));
}

describe('installing the CLI outside the checkout', () => {
  it('npm pack makes a tarball with the command and its compiled code, and nothing of the tests or docs', async () => {
    await npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const [tarball] = readdirSync(dir).filter((name) => /^image-intel-.*\.tgz$/.test(name));
    expect(tarball).toBeDefined();
    const { stdout } = await exec('tar', ['tzf', join(dir, tarball as string)], { maxBuffer: 16 * 1024 * 1024 });
    const files = stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/bin/image-intel.js',
        'package/dist/lambdas/cli/main.js',
        'package/dist/lambdas/vision/models/blazeface-back-256.onnx',
      ]),
    );
    expect(files.filter((file) => /^package\/(test|docs|bench|lib|web|lambdas)\//.test(file))).toEqual([]);
  });

  it('installs from the tarball into a prefix, and runs by name from another directory', async () => {
    const [tarball] = readdirSync(dir).filter((name) => /^image-intel-.*\.tgz$/.test(name));
    const unpacked = join(dir, 'unpacked');
    mkdirSync(unpacked);
    await exec('tar', ['xzf', join(dir, tarball as string), '-C', unpacked]);
    symlinkSync(join(ROOT, 'node_modules'), join(unpacked, 'package/node_modules'));
    const prefix = join(dir, 'from-tarball');
    await npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', join(unpacked, 'package')], dir);

    const help = await runInstalled(prefix, '--help');
    expectEveryCommand(help.stdout);
    // The compiled core runs from there: a real analysis of a real photo.
    const analysed = await runInstalled(prefix, 'analyze', fixturePath('photos/kite.jpg'));
    expect(JSON.parse(analysed.stdout)).toMatchObject({ status: 'PROCESSED', analysis: { metadata: { width: 1280 } } });
    // The places data is packed beside the compiled code: a photo with GPS gets its place.
    const located = await runInstalled(prefix, 'analyze', fixturePath('formats/exif-gps.jpg'));
    expect(JSON.parse(located.stdout)).toMatchObject({ place: { country: { code: 'FR' }, source: 'gps' } });
  });

  it('tells users to install the tarball with --ignore-scripts, everywhere it says how', async () => {
    // Outside the checkout npm reads no allowScripts of ours: without the flag onnxruntime-node's postinstall fetches
    // CUDA libraries from api.nuget.org on linux-x64, and fails where only the npm registry is reachable.
    const help = await exec(process.execPath, [join(ROOT, 'bin/image-intel.js'), '--help']);
    const sources = {
      'README.md': readFileSync(join(ROOT, 'README.md'), 'utf8'),
      'docs/local.md': readFileSync(join(ROOT, 'docs/local.md'), 'utf8'),
      'image-intel --help': help.stdout.replace(/\n(?!\n)/g, ' '),
    };
    for (const [source, text] of Object.entries(sources)) {
      const installs = text.match(/npm install -g [^`#\n(]*\.tgz/g) ?? [];
      expect({ source, installs }).toEqual({ source, installs: [expect.anything(), ...installs.slice(1)] });
      for (const install of installs)
        expect({ source, install }).toEqual({ source, install: expect.stringContaining('--ignore-scripts') });
    }
  });

  it('installs from a clone with npm install -g . and runs by name from another directory', async () => {
    const prefix = join(dir, 'from-clone');
    await npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', '.'], ROOT);
    expectEveryCommand((await runInstalled(prefix, '--help')).stdout);
  });
});
