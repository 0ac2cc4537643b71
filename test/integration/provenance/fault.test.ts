import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { unreadable } from '../../support/provenance';

const ROOT = path.join(__dirname, '../../..');
const FAULT = path.join(ROOT, 'test/support/c2pa-fault.ts');
const SCRIPT = path.join(__dirname, 'support/read-after-fault.ts');

const signed = expect.objectContaining({
  summary: 'ai-generated',
  basis: 'c2pa',
  credentials: expect.objectContaining({ validation: 'untrusted' }),
});

/**
 * c2pa-rs trapping, then hanging, inside a read, in the real module (test/support/c2pa-fault.ts), as the processor and
 * the runner read: the process's own reader, with its default bounds. A trap there is thrown from the microtask that
 * polls the read's future: had the module run in the process, it would be an uncaught exception and every later read
 * left pending, and a hang would stop the process. Its own process, so that what escapes is seen.
 */
it('records the trapped and the hung read as unreadable, reads the next ones, and lets nothing escape the process', () => {
  const run = spawnSync(process.execPath, ['--require', FAULT, '--import', 'tsx', SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const reads = lines.flatMap((line) => (line.read ? [line.read] : []));
  // Each read as it was recorded, or that it had not settled, before the process's end is looked at.
  expect(reads.map(({ name, recorded }) => [name, recorded])).toEqual([
    ['trap', unreadable(/^c2pa-rs crashed reading it: RuntimeError: unreachable$/)],
    ['signed after the trap', signed],
    ['hang', unreadable(/^c2pa-rs did not finish reading it within 5 s$/)],
    ['signed after the hang', signed],
  ]);
  // The hang cost its time bound, no more.
  expect(reads[2].ms).toBeLessThan(8_000);
  expect(lines.at(-1)).toEqual({ escaped: [] });
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
    status: 0,
    signal: null,
    stderr: '',
  });
}, 120_000);
