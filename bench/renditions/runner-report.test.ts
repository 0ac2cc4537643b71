import { type RunnerSample, renderRunnerReport, runnerCheckFails, runnerFigures } from './runner-report';

const sample = (contender: RunnerSample['contender'], format: RunnerSample['format'], ms: number): RunnerSample => ({
  round: 1,
  contender,
  format,
  ms,
  source: contender === 'reference' ? undefined : 'rendered',
});

describe('the renditions bench through the runner', () => {
  const samples = [
    sample('ours', 'jpeg-baseline', 40),
    sample('ours', 'jpeg-baseline', 60),
    sample('ours', 'jpeg-baseline', 50),
    sample('baseline', 'jpeg-baseline', 100),
    sample('reference', 'jpeg-baseline', 45),
    sample('ours', 'png', 50),
    sample('baseline', 'png', 50),
    sample('reference', 'png', 400),
    sample('ours', 'heic', 70),
    { round: 1, contender: 'reference', format: 'heic', error: 'heif: Unsupported feature' } as RunnerSample,
    sample('ours', 'jpeg-camera', 40),
    sample('reference', 'jpeg-camera', 80),
  ];
  const input = { samples, rounds: 1, command: 'npx tsx bench/renditions/runner.ts', corpus: [], tolerance: 0.1 };

  it('takes medians per source and the geometric mean over the formats the reference can read, camera aside', () => {
    const { rows, mean, baselineMean, cells } = runnerFigures(samples);
    expect(rows.map((r) => [r.format, r.ours, r.baseline, r.reference])).toEqual([
      ['jpeg-baseline', 50, 100, 45],
      ['png', 50, 50, 400],
      ['heic', 70, undefined, undefined],
      ['jpeg-camera', 40, undefined, 80],
    ]);
    expect(cells).toBe(2);
    expect(mean).toBeCloseTo(Math.sqrt(0.9 * 8), 9);
    expect(baselineMean).toBeCloseTo(Math.sqrt(0.45 * 8), 9);
  });

  it('fails a goal it misses, and says which GETs were not misses', () => {
    const report = renderRunnerReport({
      ...input,
      samples: [...samples, { ...sample('ours', 'png', 5), source: 'stored' }],
    });
    expect(report).toContain("| ours >= 1.5x (b) for the corpus's baseline JPEG | 0.90x | FAIL |");
    expect(report).toContain('| ours >= 1.5x (b) for the camera-like JPEG | 2.00x | PASS |');
    expect(report).toContain('| every timed GET a miss (x-rendition-source: rendered) | 1 were not | FAIL |');
    expect(report).toContain('- (b) cannot read heic: heif: Unsupported feature');
  });

  it('says how far each figure moved from the baseline, and --check fails on a regression alone', () => {
    const report = renderRunnerReport(input);
    expect(report).toContain('| jpeg-baseline, first GET | 100 ms | 50 ms | -50.0 % | better |');
    expect(report).toContain('| png, first GET | 50 ms | 50 ms | +0.0 % | same (within noise) |');

    const fast = samples.map((s) => (s.contender === 'reference' ? { ...s, ms: (s.ms ?? 0) * 10 } : s));
    expect(runnerCheckFails({ ...input, samples: fast })).toBe(false);
    const slower = [...fast, sample('ours', 'png', 80), sample('ours', 'png', 80)];
    expect(renderRunnerReport({ ...input, samples: slower })).toContain('**png, first GET**');
    expect(runnerCheckFails({ ...input, samples: slower })).toBe(true);
  });
});
