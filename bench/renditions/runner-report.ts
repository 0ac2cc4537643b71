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

export interface RunnerSample {
  round: number;
  contender: 'ours' | 'baseline' | 'reference';
  format: RunnerSource;
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
}

/** Issue 57's goals: the camera-like JPEG (and the corpus's baseline JPEG), and the mix in geometric mean. */
export const GOALS = { jpeg: 1.5, mix: 4 };

/** Median ms per format and contender, and each side's speed-up over the reference. */
export function runnerFigures(samples: RunnerSample[]) {
  const formats = RUNNER_SOURCES.filter((format) => samples.some((s) => s.format === format));
  const ms = (format: RunnerSource, contender: RunnerSample['contender']) => {
    const times_ = samples.filter((s) => s.format === format && s.contender === contender && s.ms !== undefined);
    return times_.length > 0 ? median(times_.map((s) => s.ms as number)) : undefined;
  };
  const rows = formats.map((format) => {
    const ours = ms(format, 'ours');
    const baseline = ms(format, 'baseline');
    const reference = ms(format, 'reference');
    const error = samples.find((s) => s.format === format && s.contender === 'reference' && s.error)?.error;
    const over = (side?: number) => (side && reference ? reference / side : undefined);
    return { format, ours, baseline, reference, speedup: over(ours), baselineSpeedup: over(baseline), error };
  });
  // The mix: the corpus's formats (b) can read; the camera-like JPEG is its own goal.
  const mix = rows.filter((r) => r.format !== 'jpeg-camera');
  const mean = (pick: (r: (typeof rows)[number]) => number | undefined) => {
    const values = mix.flatMap((r) => (pick(r) === undefined ? [] : [pick(r) as number]));
    return values.length > 0 ? geometricMean(values) : Number.NaN;
  };
  const cells = mix.filter((r) => r.speedup !== undefined).length;
  return { rows, mean: mean((r) => r.speedup), baselineMean: mean((r) => r.baselineSpeedup), cells };
}

/** The targets with what was measured, and the figures the guard compares with the baseline. */
export function runnerChecks(input: RunnerReportInput) {
  const { rows, mean, baselineMean, cells } = runnerFigures(input.samples);
  const speedupOf = (format: RunnerSource) => rows.find((r) => r.format === format)?.speedup ?? Number.NaN;
  const camera = speedupOf('jpeg-camera');
  const jpeg = speedupOf('jpeg-baseline');
  const notMisses = input.samples.filter((s) => s.contender !== 'reference' && !s.error && s.source !== 'rendered');
  const errors = input.samples.filter((s) => s.error && s.contender !== 'reference');
  const targets = [
    {
      target: `ours >= ${GOALS.jpeg}x (b) for the camera-like JPEG`,
      measured: times(camera),
      ok: camera >= GOALS.jpeg,
    },
    {
      target: `ours >= ${GOALS.jpeg}x (b) for the corpus's baseline JPEG`,
      measured: times(jpeg),
      ok: jpeg >= GOALS.jpeg,
    },
    {
      target: `ours >= ${GOALS.mix}x (b), geometric mean over the ${cells} formats (b) can read`,
      measured: times(mean),
      ok: mean >= GOALS.mix,
    },
    {
      target: 'every timed GET a miss (x-rendition-source: rendered)',
      measured: `${notMisses.length} were not`,
      ok: notMisses.length === 0,
    },
    { target: 'no GET of ours or the baseline failed', measured: `${errors.length} failed`, ok: errors.length === 0 },
  ];
  const guard: GuardFigure[] = [
    ...rows.flatMap((r) =>
      r.ours !== undefined && r.baseline !== undefined
        ? [
            {
              figure: `${r.format}, first GET`,
              unit: 'ms',
              baseline: r.baseline,
              ours: r.ours,
              better: 'lower' as const,
            },
          ]
        : [],
    ),
    ...(Number.isFinite(baselineMean)
      ? [{ figure: 'vs (b), geometric mean', unit: 'x', baseline: baselineMean, ours: mean, better: 'higher' as const }]
      : []),
  ];
  return { rows, targets, errors, guard, regressed: regressions(guard, input.tolerance) };
}

/** Whether `--check` fails the run: a target missed or a figure regressed. */
export function runnerCheckFails(input: RunnerReportInput): boolean {
  const { targets, regressed } = runnerChecks(input);
  return targets.some((t) => !t.ok) || regressed.length > 0;
}

export function renderRunnerReport(input: RunnerReportInput): string {
  const { rows, targets, errors, guard, regressed } = runnerChecks(input);
  const cannot = rows.filter((r) => r.reference === undefined && r.error);
  return [
    '# Renditions through the local runner: the first GET of an issued URL, this tree and the baseline vs (b)',
    '',
    `Command: \`${input.command}\` (${input.rounds} rounds after a warm-up round), 2 cores, moto on loopback.`,
    "Times are medians, in ms, of the client's wait from sending the GET to its last byte: ours is the render",
    "function as this tree's runner serves it (its function URL; the record's GetItem, the look-up, the source read",
    `and the store are HTTP requests to moto), the baseline the same as the runner of ${input.baseline ?? '(none)'} serves it,`,
    'in a moto of its own, and (b) the reference handler (`bench/renditions/dit.ts`) in the bench process behind an HTTP',
    "server of its own, reading the same original from this tree's moto. The three alternate request by request. Before",
    "every GET the image's stored renditions are deleted, so each is a miss, as a first request is. The request: a",
    '400x225 WebP cover at q80 from a 12 MP original. moto moves bytes at memory speed, which favours (b): it reads the',
    'whole original, ours a stored copy. `jpeg-camera` is a camera-like JPEG of photos no bench tuned on',
    '(bench/support/camera-corpus.ts: EXIF, orientation 6, q92).',
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      targets.map((t) => [t.target, t.measured, t.ok ? 'PASS' : 'FAIL']),
    ),
    '',
    '## Per source',
    '',
    table(
      ['source (12 MP)', 'original MB', 'ours ms', 'baseline ms', '(b) ms', 'ours vs (b)', 'baseline vs (b)'],
      rows.map((r) => [
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
    ...cannot.map((r) => `- (b) cannot read ${r.format}: ${r.error}`),
    ...errors.slice(0, 5).map((s) => `- ${s.contender} from ${s.format}, round ${s.round}: ${s.error}`),
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
