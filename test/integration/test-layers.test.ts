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
/** What a synth test must not do either: esbuild's build API runs its binary as a service process. */
const INFRA_STARTS: [what: string, pattern: RegExp][] = [
  ...STARTS.filter(([what]) => what !== 'runs the CLI'),
  ['runs esbuild', /from ['"]esbuild['"]/],
];
/** A runner, even a shared one, is a process the local pipeline runs in: its suites are e2e, browser or resilience. */
const RUNNER: [what: string, pattern: RegExp][] = [['starts or shares a runner', /\b(startRunner|profileRunner)\b/]];

function startsIn(dirs: string[], patterns: [string, RegExp][]): string[] {
  return dirs
    .flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|mjs|cjs)$/))
    .filter((file) => file !== 'test/integration/test-layers.test.ts')
    .flatMap((file) => {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      return patterns.filter(([, pattern]) => pattern.test(source)).map(([what]) => `${file} ${what}`);
    });
}

describe('every file under test/unit and test/models', () => {
  it('starts no process, server or emulator: those tests are in test/integration', () => {
    expect(startsIn(['test/unit', 'test/models'], STARTS)).toEqual([]);
  });

  it('is checked: a unit file that imports child_process or starts a runner is named', () => {
    const named = (source: string) => STARTS.filter(([, pattern]) => pattern.test(source)).map(([what]) => what);
    expect(named("import { spawn } from 'node:child_process';")).toEqual(['imports child_process']);
    expect(named('await startRunner({});')).toEqual(['starts a runner']);
    expect(named("import { filesUnder } from '../support/source-files';")).toEqual([]);
  });
});

describe('every file under test/infra', () => {
  it('synthesizes and asserts only: no process (esbuild is one), server or emulator', () => {
    expect(startsIn(['test/infra'], INFRA_STARTS)).toEqual([]);
    expect(INFRA_STARTS.filter(([, pattern]) => pattern.test("import { build } from 'esbuild';"))).toHaveLength(1);
  });
});

describe('every file under test/integration', () => {
  it('starts no local runner and shares none: a suite on one is e2e, browser or resilience', () => {
    expect(startsIn(['test/integration'], RUNNER)).toEqual([]);
    expect(RUNNER[0]?.[1].test("await profileRunner('jwt')")).toBe(true);
  });
});
