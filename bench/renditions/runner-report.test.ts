import { type RunnerSample, renderRunnerReport, runnerFigures } from './runner-report';

const sample = (contender: RunnerSample['contender'], format: RunnerSample['format'], ms: number): RunnerSample => ({
  round: 1,
  contender,
  format,
  ms,
  source: contender === 'ours' ? 'rendered' : undefined,
});

describe('the renditions bench through the runner', () => {
  const samples = [
    sample('ours', 'jpeg-baseline', 40),
    sample('ours', 'jpeg-baseline', 60),
    sample('ours', 'jpeg-baseline', 50),
    sample('reference', 'jpeg-baseline', 45),
    sample('ours', 'png', 50),
    sample('reference', 'png', 400),
    sample('ours', 'heic', 70),
    { round: 1, contender: 'reference', format: 'heic', error: 'heif: Unsupported feature' } as RunnerSample,
  ];

  it('takes medians per format and the geometric mean over the formats the reference can read', () => {
    const { rows, mean, cells } = runnerFigures(samples);
    expect(rows.map((r) => [r.format, r.ours, r.reference])).toEqual([
      ['jpeg-baseline', 50, 45],
      ['png', 50, 400],
      ['heic', 70, undefined],
    ]);
    expect(cells).toBe(2);
    expect(mean).toBeCloseTo(Math.sqrt(0.9 * 8), 9);
  });

  it('fails a target it misses, and says which GETs of ours were not misses', () => {
    const report = renderRunnerReport({
      samples: [...samples, { ...sample('ours', 'png', 5), source: 'stored' }],
      rounds: 1,
      command: 'npx tsx bench/renditions/runner.ts',
      corpus: [],
    });
    expect(report).toContain('| ours no slower than (b) for a baseline JPEG | 0.90x | FAIL |');
    expect(report).toContain('| every timed GET of ours a miss (x-rendition-source: rendered) | 1 were not | FAIL |');
    expect(report).toContain('- (b) cannot read heic: heif: Unsupported feature');
  });
});
