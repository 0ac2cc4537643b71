import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseProcess, processKind, projectFigures, topFiles } from './measure';

describe('projectFigures (jest --json into per-project figures)', () => {
  const result = (name: string, startTime: number, endTime: number, statuses: string[], status = 'passed') => ({
    name: `/clone/${name}`,
    status,
    startTime,
    endTime,
    assertionResults: statuses.map((s) => ({ status: s })),
  });

  it('groups files by test/<project>/ or bench/, with wall span, file time, failures and skips', () => {
    const figures = projectFigures(
      {
        testResults: [
          result('test/unit/a.test.ts', 1_000, 3_000, ['passed', 'passed']),
          result('test/unit/b.test.ts', 2_000, 6_000, ['passed', 'pending']),
          result('test/e2e/c.test.ts', 0, 10_000, ['failed', 'passed']),
          result('bench/x/d.test.ts', 500, 1_500, [], 'failed'),
        ],
      },
      '/clone',
    );
    expect(figures).toEqual([
      { project: 'unit', suites: 2, tests: 4, failed: 0, skipped: 1, wallSeconds: 5, fileSeconds: 6 },
      { project: 'e2e', suites: 1, tests: 2, failed: 1, skipped: 0, wallSeconds: 10, fileSeconds: 10 },
      { project: 'bench', suites: 1, tests: 0, failed: 1, skipped: 0, wallSeconds: 1, fileSeconds: 1 },
    ]);
  });
});

describe('processKind (where the CPU of a run goes)', () => {
  it.each([
    ['python3 -c import copy ... from moto.server import main main(sys.argv[1:]) -H 127.0.0.1 -p 34277', 'moto'],
    ['/usr/bin/node /clone/dist/lambdas/local/main.js --port 0 --inference none', 'runners'],
    ['/clone/node_modules/.bin/tsx /clone/lambdas/local/main.ts --port 0', 'runners'],
    ['/usr/lib/chromium/chromium --type=renderer --headless', 'chromium'],
    ['/usr/bin/node /clone/node_modules/jest-worker/build/workers/processChild.js', 'jest'],
    ['node /clone/node_modules/.bin/jest --maxWorkers=4', 'jest'],
    ['node /clone/node_modules/.bin/tsc --noEmit -p .', 'checks'],
    ['/clone/node_modules/@biomejs/cli-linux-x64/biome check --error-on-warnings .', 'checks'],
    ['aws s3 ls --endpoint-url http://127.0.0.1:5000', 'other'],
  ])('%s is %s', (args, kind) => {
    expect(processKind(args)).toBe(kind);
  });
});

describe('parseProcess (a process from /proc)', () => {
  const stat = (comm: string, ppid: number, utime: number, stime: number, start: number) =>
    `4242 (${comm}) S ${ppid} 1 1 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 ${start} 123456 789`;

  it('reads the parent, the CPU ticks and the start time, with spaces and parentheses in the command name', () => {
    const sample = parseProcess('4242', stat('node (worker) 1', 4000, 250, 30, 987654), 'node\0/clone/jest\0--ci\0');
    expect(sample).toEqual({
      pid: '4242',
      ppid: '4000',
      key: '4242@987654',
      ticks: 280,
      args: 'node /clone/jest --ci',
    });
  });

  it('tells a process from a later one given the same pid', () => {
    const first = parseProcess('4242', stat('sh', 1, 0, 0, 100), 'sh\0');
    const later = parseProcess('4242', stat('sh', 1, 0, 0, 9000), 'sh\0');
    expect(first?.key).not.toBe(later?.key);
  });

  it('leaves out a kernel thread (no command line)', () => {
    expect(parseProcess('2', stat('kthreadd', 0, 0, 0, 1), '')).toBeUndefined();
  });
});

describe('topFiles (the CPU log of test/node-environment.js)', () => {
  it('ranks files by their worker and child CPU together, named from the clone', () => {
    const log = path.join(mkdtempSync(path.join(tmpdir(), 'test-loop-')), 'cpu.jsonl');
    writeFileSync(
      log,
      [
        { file: '/clone/test/unit/a.test.ts', self: 2, children: 0 },
        { file: '/clone/test/e2e/b.test.ts', self: 1, children: 5 },
        { file: '/clone/test/e2e/c.test.ts', self: 3, children: 0.5 },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    expect(topFiles(log, '/clone').map((entry) => entry.file)).toEqual([
      'test/e2e/b.test.ts',
      'test/e2e/c.test.ts',
      'test/unit/a.test.ts',
    ]);
    expect(topFiles(path.join(tmpdir(), 'no-such-log.jsonl'), '/clone')).toEqual([]);
  });
});
