import { type RunnerSample, renderRunnerReport, runnerCheckFails, runnerFigures } from './runner-report';

const sample = (
  contender: RunnerSample['contender'],
  format: RunnerSample['format'],
  ms: number,
  size: RunnerSample['size'] = 'card',
): RunnerSample => ({
  round: 1,
  contender,
  format,
  size,
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
    {
      round: 1,
      contender: 'reference',
      format: 'heic',
      size: 'card',
      error: 'heif: Unsupported feature',
    } as RunnerSample,
    sample('ours', 'jpeg-camera', 40),
    sample('reference', 'jpeg-camera', 80),
  ];
  const input = { samples, rounds: 1, command: 'npx tsx bench/renditions/runner.ts', corpus: [], tolerance: 0.1 };

  it('takes medians per source and the geometric mean over the sources the reference can read, portrait in', () => {
    const { rows, mean, baselineMean, cells } = runnerFigures(samples);
    expect(rows.map((r) => [r.format, r.ours, r.baseline, r.reference])).toEqual([
      ['jpeg-baseline', 50, 100, 45],
      ['png', 50, 50, 400],
      ['heic', 70, undefined, undefined],
      ['jpeg-camera', 40, undefined, 80],
    ]);
    expect(cells).toBe(3);
    expect(mean).toBeCloseTo(Math.cbrt(0.9 * 8 * 2), 9);
    expect(baselineMean).toBeCloseTo(Math.sqrt(0.45 * 8), 9);
  });

  it('counts a sample written before there were sizes as a card', () => {
    const { size: _, ...old } = sample('ours', 'png', 50);
    expect(runnerFigures([old, sample('ours', 'png', 10, 'page')], 'card').rows[0]?.ours).toBe(50);
  });

  it('fails a goal it misses, a source behind the reference among them, and says which GETs were not misses', () => {
    const report = renderRunnerReport({
      ...input,
      samples: [...samples, { ...sample('ours', 'png', 5), source: 'stored' }],
    });
    expect(report).toContain(
      "| card (400x225 WebP cover): ours >= 1.5x (b) for the corpus's baseline JPEG | 0.90x | FAIL |",
    );
    expect(report).toContain(
      '| card (400x225 WebP cover): ours >= 1.5x (b) for the portrait (camera-like JPEG, orientation 6) | 2.00x | PASS |',
    );
    expect(report).toContain(
      '| card (400x225 WebP cover): no source slower than (b) | slowest jpeg-baseline 0.90x | FAIL |',
    );
    expect(report).toContain('| every timed GET a miss (x-rendition-source: rendered) | 1 were not | FAIL |');
    expect(report).toContain('- (b) cannot read heic: heif: Unsupported feature');
  });

  it('holds the page to its own goals: the portrait 1.2x and the mix 2x', () => {
    const page = [
      sample('ours', 'jpeg-baseline', 50, 'page'),
      sample('reference', 'jpeg-baseline', 150, 'page'),
      sample('ours', 'jpeg-camera', 100, 'page'),
      sample('reference', 'jpeg-camera', 110, 'page'),
    ];
    const report = renderRunnerReport({ ...input, samples: [...samples, ...page] });
    expect(report).toContain(
      '| page (1200 px wide JPEG): ours >= 1.2x (b) for the portrait (camera-like JPEG, orientation 6) | 1.10x | FAIL |',
    );
    expect(report).toContain(
      '| page (1200 px wide JPEG): ours >= 2x (b), geometric mean over the 2 sources (b) can read | 1.82x | FAIL |',
    );
    expect(report).toContain('## Per source: page (1200 px wide JPEG)');
    const faster = page.map((s) => (s.contender === 'ours' ? { ...s, ms: (s.ms ?? 0) / 2 } : s));
    expect(renderRunnerReport({ ...input, samples: [...samples, ...faster] })).toContain(
      '| page (1200 px wide JPEG): ours >= 1.2x (b) for the portrait (camera-like JPEG, orientation 6) | 2.20x | PASS |',
    );
  });

  it('says how far each figure moved from the baseline, and --check fails on a regression alone', () => {
    const report = renderRunnerReport(input);
    expect(report).toContain('| card, jpeg-baseline, first GET | 100 ms | 50 ms | -50.0 % | better |');
    expect(report).toContain('| card, png, first GET | 50 ms | 50 ms | +0.0 % | same (within noise) |');

    const fast = samples.map((s) => (s.contender === 'reference' ? { ...s, ms: (s.ms ?? 0) * 10 } : s));
    expect(runnerCheckFails({ ...input, samples: fast })).toBe(false);
    const slower = [...fast, sample('ours', 'png', 80), sample('ours', 'png', 80)];
    expect(renderRunnerReport({ ...input, samples: slower })).toContain('**card, png, first GET**');
    expect(runnerCheckFails({ ...input, samples: slower })).toBe(true);
  });
});
