/**
 * `npm run test:changed [-- --since <commit>]`: the checks a change needs, in minutes rather than the full run's
 * twenty. What changed is the working tree against `--since`: by default HEAD when there are uncommitted changes,
 * else the last commit (HEAD~1). Then, each step timed and all of them run even when one fails:
 * 1. lint (biome) of the changed files, and the typecheck (incremental, the whole program: a change can break a caller);
 * 2. the in-process layers (unit, models, infra, integration, bench) for what changed: `jest --changedSince`, which
 *    follows the imports from each changed file to the tests that reach it (a change that reaches the models runs
 *    the accuracy regression over every photo of its evaluation half, where `npm test` runs a sample);
 * 3. the process-level suites (e2e, browser, resilience, docs) of the changed rooms, from the declared map in
 *    rooms.ts, after `npm run build` (their runners run the compiled code, as `npm test`'s do).
 * `npm test` is still what CI runs: this picks what a change can break, not everything it can.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { PROCESS_LAYERS, suitesFor } from './rooms';

const ROOT = path.join(__dirname, '../../..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const lines = (text: string) => text.split('\n').filter(Boolean);
const LINTED = /\.(ts|tsx|js|cjs|mjs|json|jsonc|css)$/;
const PATCHED_MOTO = /^bench\/search-scale\/(moto|moto-patch|patched-moto\.[a-z.]+)\.[jt]s$/;

/** Every process-level suite, as a path under test/. */
export function processSuites(root = ROOT): string[] {
  return PROCESS_LAYERS.flatMap((layer) =>
    (readdirSync(path.join(root, 'test', layer), { recursive: true }) as string[])
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `${layer}/${file.split(path.sep).join('/')}`),
  ).sort();
}

function changedSince(since: string): string[] {
  return [
    ...new Set([
      ...lines(git('diff', '--name-only', since)),
      ...lines(git('ls-files', '--others', '--exclude-standard')),
    ]),
  ].sort();
}

interface Step {
  name: string;
  ms: number;
  ok: boolean;
}

function run(name: string, command: string, args: string[], steps: Step[], env: NodeJS.ProcessEnv = {}): boolean {
  process.stderr.write(`\n== ${name}: ${command} ${args.join(' ')}\n`);
  const started = performance.now();
  const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  steps.push({ name, ms: performance.now() - started, ok: status === 0 });
  return status === 0;
}

function main(): void {
  const options = new Command()
    .option('--since <commit>', 'what the working tree is compared with (default: HEAD if it has changes, else HEAD~1)')
    .parse()
    .opts<{ since?: string }>();
  const since = options.since ?? (git('status', '--porcelain') === '' ? 'HEAD~1' : 'HEAD');
  const changed = changedSince(since);
  if (changed.length === 0) {
    process.stderr.write(`nothing changed since ${since}\n`);
    return;
  }
  const suites = suitesFor(changed, processSuites());
  process.stderr.write(
    `${changed.length} files changed since ${since}; process-level suites: ${suites.length === 0 ? 'none' : suites.join(', ')}\n`,
  );
  const steps: Step[] = [];
  const npx = path.join(ROOT, 'node_modules/.bin');
  const linted = changed.filter((file) => LINTED.test(file) && existsSync(path.join(ROOT, file)));
  if (linted.length > 0) {
    run(
      'lint',
      path.join(npx, 'biome'),
      ['check', '--error-on-warnings', '--no-errors-on-unmatched', ...linted],
      steps,
    );
  }
  run('typecheck', 'npm', ['run', '--silent', 'typecheck'], steps);
  run(
    'in-process layers',
    path.join(npx, 'jest'),
    [
      '--changedSince',
      since,
      '--passWithNoTests',
      '--maxWorkers=2',
      '--selectProjects',
      'unit',
      'models',
      'infra',
      'integration',
      'bench',
    ],
    steps,
    // A change that reaches the models checks the whole evaluation half against the recorded predictions, not
    // npm test's sample (bench/accuracy/regression.test.ts).
    { IMAGE_INTEL_ACCURACY_CHECK: 'all' },
  );
  // The search-scale bench's patched moto is checked outside npm test (bench/search-scale/patched-moto.jest.config.js).
  if (changed.some((file) => PATCHED_MOTO.test(file))) {
    run('the patched moto', 'npm', ['run', '--silent', 'bench:search-scale:moto'], steps);
  }
  if (suites.length > 0 && run('build', 'npm', ['run', '--silent', 'build'], steps)) {
    const paths = suites.map((suite) => `test/${suite}`);
    run(
      'process-level suites',
      path.join(npx, 'jest'),
      [...paths, '--maxWorkers=2', '--selectProjects', ...PROCESS_LAYERS],
      steps,
    );
  }
  process.stderr.write('\n| step | time | result |\n| --- | --- | --- |\n');
  for (const step of steps)
    process.stderr.write(`| ${step.name} | ${(step.ms / 1000).toFixed(0)} s | ${step.ok ? 'ok' : 'FAILED'} |\n`);
  const total = steps.reduce((sum, step) => sum + step.ms, 0);
  process.stderr.write(`| total | ${(total / 1000).toFixed(0)} s | ${steps.every((s) => s.ok) ? 'ok' : 'FAILED'} |\n`);
  if (!steps.every((step) => step.ok)) process.exitCode = 1;
}

if (require.main === module) main();
