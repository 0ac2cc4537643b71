import { projectFigures } from './measure';

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
