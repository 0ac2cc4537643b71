import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The floors of lambdas/ (dependency-cruiser run on trees it is given) are in test/integration/architecture.test.ts. */
const ROOT = path.resolve(__dirname, '../..');

/** The files under `dir` (relative to the root) whose name matches `pattern`, skipping `skip` folders. */
function filesUnder(dir: string, pattern: RegExp, skip: string[] = []): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return skip.includes(entry.name) ? [] : filesUnder(file, pattern, skip);
    return pattern.test(entry.name) ? [file] : [];
  });
}

/** Every product file, as `wc -l` counts its lines. */
function productFiles(): [file: string, lines: number][] {
  return ['lambdas', 'lib', 'bin', 'web/src']
    .flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|mjs|cjs)$/, ['node_modules', 'dist', 'models']))
    .map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1]);
}

describe('every product file', () => {
  it('is a short read: at most 300 lines (past that it does two jobs)', () => {
    const files = productFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(([, lines]) => lines > 300)).toEqual([]);
  });
});

/**
 * What starts a process, a server or an emulator. test/support/jest/no-io.ts refuses these only when a test runs
 * them; this also finds them in a test that is skipped on this machine or a helper no test calls yet.
 */
const STARTS: [what: string, pattern: RegExp][] = [
  ['imports child_process', /['"](node:)?child_process['"]/],
  ['listens', /\.listen\(/],
  ['creates a server', /\bcreateServer\b/],
  ['starts the emulator', /\bstartEmulator\b/],
  ['starts a runner', /\bstartRunner\b/],
  ['starts moto', /\bspawnMoto\b/],
  ['runs the CLI', /\brun-cli\b/],
];

describe('every file under test/unit', () => {
  it('starts no process, server or emulator: those tests are in test/integration', () => {
    const here = path.relative(ROOT, __filename);
    const starts = filesUnder('test/unit', /\.(ts|tsx|js|mjs|cjs)$/)
      .filter((file) => file !== here)
      .flatMap((file) => {
        const source = readFileSync(path.join(ROOT, file), 'utf8');
        return STARTS.filter(([, pattern]) => pattern.test(source)).map(([what]) => `${file} ${what}`);
      });
    expect(starts).toEqual([]);
  });
});
