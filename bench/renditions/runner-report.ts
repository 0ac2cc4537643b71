/**
 * bench/renditions/runner-results.md: the first request of a rendition through the local runner, ours (this tree)
 * and the baseline commit's, each against (b).
 */
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { type GuardFigure, guardTable, regressions } from '../support/guard';
import { f0, times } from './report-checks';
import { geometricMean } from './stats';

/** The source files in table order: the corpus's formats, then the camera-like JPEG of held-out photos. */
export const RUNNER_SOURCES = ['jpeg-baseline', 'jpeg-progressive', 'png', 'heic', 'avif', 'jpeg-camera'] as const;
export type RunnerSource = (typeof RUNNER_SOURCES)[number];

/**
 * The two first requests of a photo: a card (400x225 WebP cover, the grid's) and a page (1200 px wide JPEG, the
 * viewer's first look), issue 79's.
 */
export const RUNNER_SIZES = ['card', 'page'] as const;
export type RunnerSize = (typeof RUNNER_SIZES)[number];
export const SIZE_LABELS: Record<RunnerSize, string> = {
  card: '400x225 WebP cover',
  page: '1200 px wide JPEG',
};

export interface RunnerSample {
  round: number;
  contender: 'ours' | 'baseline' | 'reference';
  format: RunnerSource;
  /** Which request; samples written before issue 79 have none and were all cards. */
  size?: RunnerSize;
  /** Client time from the request to the last byte. */
  ms?: number;
  bytes?: number;
  /** Ours and the baseline: `x-rendition-source` (every timed GET must be `rendered`: a miss). */
  source?: string;
  error?: string;
}

export interface RunnerReportInput {
  samples: RunnerSample[];
  rounds: number;
  command: string;
  corpus: { format: RunnerSource; bytes: number; width: number; height: number }[];
  /** The baseline commit, as the report names it; none when the run had no baseline. */
  baseline?: string;
  tolerance: number;
  /** Settings this tree's runner was started with (`--ours-config`), for the report's heading. */
  oursConfig?: string[];
}

/**
 * The goals, per size: issue 57's for cards (the corpus's baseline JPEG), issue 79's for both (the portrait, the
 * geometric mean over the mix with the portrait in it, and no source behind the reference).
 */
export const GOALS: Record<RunnerSize, { portrait: number; mix: number; jpeg?: number }> = {
  card: { portrait: 1.5, mix: 4, jpeg: 1.5 },
  page: { portrait: 1.2, mix: 2 },
};
/** No source slower than the reference, at any size. */
export const EVERY_SOURCE = 1;

const sizeOf = (sample: RunnerSample): RunnerSize => sample.size ?? 'card';

/** Median ms per size, format and contender, and each side's speed-up over the reference. */
export function runnerFigures(samples: RunnerSample[], size: RunnerSize = 'card') {
  const ofSize = samples.filter((s) => sizeOf(s) === size);
  const formats = RUNNER_SOURCES.filter((format) => ofSize.some((s) => s.format === format));
  const ms = (format: RunnerSource, contender: RunnerSample['contender']) => {
    const times_ = ofSize.filter((s) => s.format === format && s.contender === contender && s.ms !== undefined);
    return times_.length > 0 ? median(times_.map((s) => s.ms as number)) : undefined;
  };
  const rows = formats.map((format) => {
    const ours = ms(format, 'ours');
    const baseline = ms(format, 'baseline');
    const reference = ms(format, 'reference');
    const error = ofSize.find((s) => s.format === format && s.contender === 'reference' && s.error)?.error;
    const over = (side?: number) => (side && reference ? reference / side : undefined);
    return { size, format, ours, baseline, reference, speedup: over(ours), baselineSpeedup: over(baseline), error };
  });
  // The mix: every source (b) can read, the portrait included (issue 79: most phone photos are portraits).
  const mean = (pick: (r: (typeof rows)[number]) => number | undefined) => {
    const values = rows.flatMap((r) => (pick(r) === undefined ? [] : [pick(r) as number]));
    return values.length > 0 ? geometricMean(values) : Number.NaN;
  };
  const cells = rows.filter((r) => r.speedup !== undefined).length;
  return { rows, mean: mean((r) => r.speedup), baselineMean: mean((r) => r.baselineSpeedup), cells };
}

/** The sizes the samples have, in table order. */
function sizesIn(samples: RunnerSample[]): RunnerSize[] {
  return RUNNER_SIZES.filter((size) => samples.some((s) => sizeOf(s) === size));
}

/** The targets with what was measured, and the figures the guard compares with the baseline. */
export function runnerChecks(input: RunnerReportInput) {
  const sizes = sizesIn(input.samples).map((size) => ({ size, ...runnerFigures(input.samples, size) }));
  const notMisses = input.samples.filter((s) => s.contender !== 'reference' && !s.error && s.source !== 'rendered');
  const errors = input.samples.filter((s) => s.error && s.contender !== 'reference');
  const targets = sizes.flatMap(({ size, rows, mean, cells }) => {
    const goal = GOALS[size];
    const speedupOf = (format: RunnerSource) => rows.find((r) => r.format === format)?.speedup ?? Number.NaN;
    const measured = rows.filter((r) => r.speedup !== undefined);
    const slowest = measured.reduce<(typeof rows)[number] | undefined>(
      (worst, r) => (worst === undefined || (r.speedup as number) < (worst.speedup as number) ? r : worst),
      undefined,
    );
    const label = `${size} (${SIZE_LABELS[size]})`;
    return [
      {
        target: `${label}: ours >= ${goal.portrait}x (b) for the portrait (camera-like JPEG, orientation 6)`,
        measured: times(speedupOf('jpeg-camera')),
        ok: speedupOf('jpeg-camera') >= goal.portrait,
      },
      ...(goal.jpeg === undefined
        ? []
        : [
            {
              target: `${label}: ours >= ${goal.jpeg}x (b) for the corpus's baseline JPEG`,
              measured: times(speedupOf('jpeg-baseline')),
              ok: speedupOf('jpeg-baseline') >= goal.jpeg,
            },
          ]),
      {
        target: `${label}: ours >= ${goal.mix}x (b), geometric mean over the ${cells} sources (b) can read`,
        measured: times(mean),
        ok: mean >= goal.mix,
      },
      {
        target: `${label}: no source slower than (b)`,
        measured: slowest ? `slowest ${slowest.format} ${times(slowest.speedup)}` : '-',
        ok: measured.length > 0 && measured.every((r) => (r.speedup as number) >= EVERY_SOURCE),
      },
    ];
  });
  targets.push(
    {
      target: 'every timed GET a miss (x-rendition-source: rendered)',
      measured: `${notMisses.length} were not`,
      ok: notMisses.length === 0,
    },
    { target: 'no GET of ours or the baseline failed', measured: `${errors.length} failed`, ok: errors.length === 0 },
  );
  const guard: GuardFigure[] = sizes.flatMap(({ size, rows, mean, baselineMean }) => [
    ...rows.flatMap((r) =>
      r.ours !== undefined && r.baseline !== undefined
        ? [
            {
              figure: `${size}, ${r.format}, first GET`,
              unit: 'ms',
              baseline: r.baseline,
              ours: r.ours,
              better: 'lower' as const,
            },
          ]
        : [],
    ),
    ...(Number.isFinite(baselineMean)
      ? [
          {
            figure: `${size}, vs (b), geometric mean`,
            unit: 'x',
            baseline: baselineMean,
            ours: mean,
            better: 'higher' as const,
          },
        ]
      : []),
  ]);
  const rows = sizes.flatMap((s) => s.rows);
  return { rows, sizes, targets, errors, guard, regressed: regressions(guard, input.tolerance) };
}

/** Whether `--check` fails the run: a target missed or a figure regressed. */
export function runnerCheckFails(input: RunnerReportInput): boolean {
  const { targets, regressed } = runnerChecks(input);
  return targets.some((t) => !t.ok) || regressed.length > 0;
}

export function renderRunnerReport(input: RunnerReportInput): string {
  const { rows, sizes, targets, errors, guard, regressed } = runnerChecks(input);
  const cannot = rows.filter((r) => r.reference === undefined && r.error && r.size === sizes[0]?.size);
  const config = input.oursConfig?.length
    ? ` This tree's runner was started with \`${input.oursConfig.join(' ')}\`.`
    : '';
  return [
    '# Renditions through the local runner: the first GET of an issued URL, this tree and the baseline vs (b)',
    '',
    `Command: \`${input.command}\` (${input.rounds} rounds after a warm-up round), 2 cores shared with other work, moto on loopback.`,
    "Times are medians, in ms, of the client's wait from sending the GET to its last byte: ours is the render",
    "function as this tree's runner serves it (its function URL; the record's GetItem, the look-up, the source read",
    `and the store are HTTP requests to moto), the baseline the same as the runner of ${input.baseline ?? '(none)'} serves it,`,
    'in a moto of its own, and (b) the reference handler (`bench/renditions/dit.ts`) in the bench process behind an HTTP',
    "server of its own, reading the same original from this tree's moto. The three alternate request by request, so a",
    "load the machine is under falls on all three alike and the ratios hold. Before every GET the image's stored",
    'renditions are deleted, so each is a miss, as a first request is. Two requests from each 12 MP original: a card',
    `(${SIZE_LABELS.card}, q80) and a page (${SIZE_LABELS.page}, q80, \`fit=inside\`). moto moves bytes at memory`,
    'speed, which favours (b): it reads the whole original, ours a stored copy when one is big enough. `jpeg-camera` is',
    'the portrait: a camera-like JPEG of photos no bench tuned on, stored sideways with EXIF orientation 6, as phones',
    'write portraits (bench/support/camera-corpus.ts, q92). (b) does not turn it: it keeps the orientation tag and',
    `resizes the sideways pixels, so its page is 1200x900 (shown 900x1200), ours upright 1200x1600.${config}`,
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      targets.map((t) => [t.target, t.measured, t.ok ? 'PASS' : 'FAIL']),
    ),
    '',
    ...sizes.flatMap(({ size, rows: sized, mean, baselineMean }) => [
      `## Per source: ${size} (${SIZE_LABELS[size]})`,
      '',
      table(
        ['source (12 MP)', 'original MB', 'ours ms', 'baseline ms', '(b) ms', 'ours vs (b)', 'baseline vs (b)'],
        sized.map((r) => [
          r.format,
          ((input.corpus.find((c) => c.format === r.format)?.bytes ?? 0) / 1e6).toFixed(1),
          f0(r.ours),
          f0(r.baseline),
          r.reference === undefined ? (r.error ? 'cannot' : '-') : f0(r.reference),
          times(r.speedup),
          times(r.baselineSpeedup),
        ]),
      ),
      '',
      `Geometric mean over the sources (b) can read: ours ${times(mean)}, the baseline ${times(baselineMean)}.`,
      '',
    ]),
    ...cannot.map((r) => `- (b) cannot read ${r.format}: ${r.error}`),
    ...errors.slice(0, 5).map((s) => `- ${s.contender} ${sizeOf(s)} from ${s.format}, round ${s.round}: ${s.error}`),
    '',
    ...(guard.length > 0
      ? [
          '## Against the baseline',
          '',
          guardTable(guard, { baseline: `baseline (${input.baseline})`, ours: 'this tree' }, input.tolerance),
          '',
          `Regression: worse by more than ${(input.tolerance * 100).toFixed(0)} %. ${regressed.length === 0 ? 'None.' : `**${regressed.map((f) => f.figure).join('; ')}**.`}`,
          '',
        ]
      : []),
  ].join('\n');
}
