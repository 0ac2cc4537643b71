import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { filesUnder, ROOT } from '../support/source-files';

/**
 * What starts a process, a server or an emulator. test/support/jest/no-io.ts refuses these only when a unit or models
 * test runs them; this also finds them in a test that is skipped on this machine or a helper no test calls yet. It
 * reads files only, but it lives here: the names it looks for would make it a match of its own under test/unit.
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

describe('every file under test/unit and test/models', () => {
  it('starts no process, server or emulator: those tests are in test/integration', () => {
    const files = ['test/unit', 'test/models'].flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|mjs|cjs)$/));
    const starts = files.flatMap((file) => {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      return STARTS.filter(([, pattern]) => pattern.test(source)).map(([what]) => `${file} ${what}`);
    });
    expect(starts).toEqual([]);
  });

  it('is checked: a unit file that imports child_process or starts a runner is named', () => {
    const named = (source: string) => STARTS.filter(([, pattern]) => pattern.test(source)).map(([what]) => what);
    expect(named("import { spawn } from 'node:child_process';")).toEqual(['imports child_process']);
    expect(named('await startRunner({});')).toEqual(['starts a runner']);
    expect(named("import { filesUnder } from '../support/source-files';")).toEqual([]);
  });
});
