/** bench/renditions/runner-results.md: the first request of a rendition through the local runner, ours vs (b). */
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { SOURCE_FORMATS, type SourceFormat } from './corpus';
import { f0, times } from './report-checks';
import { geometricMean } from './stats';

export interface RunnerSample {
  round: number;
  contender: 'ours' | 'reference';
  format: SourceFormat;
  /** Client time from the request to the last byte. */
  ms?: number;
  bytes?: number;
  /** Ours: `x-rendition-source` (every timed GET must be `rendered`: a miss). */
  source?: string;
  error?: string;
}

export interface RunnerReportInput {
  samples: RunnerSample[];
  rounds: number;
  command: string;
  corpus: { format: SourceFormat; bytes: number; width: number; height: number }[];
}

/** Median ms per format and contender, and ours' speed-up over the reference. */
export function runnerFigures(samples: RunnerSample[]) {
  const formats = SOURCE_FORMATS.filter((format) => samples.some((s) => s.format === format));
  const ms = (format: SourceFormat, contender: RunnerSample['contender']) => {
    const times_ = samples.filter((s) => s.format === format && s.contender === contender && s.ms !== undefined);
    return times_.length > 0 ? median(times_.map((s) => s.ms as number)) : undefined;
  };
  const rows = formats.map((format) => {
    const ours = ms(format, 'ours');
    const reference = ms(format, 'reference');
    const error = samples.find((s) => s.format === format && s.contender === 'reference' && s.error)?.error;
    return { format, ours, reference, speedup: ours && reference ? reference / ours : undefined, error };
  });
  const speedups = rows.flatMap((r) => (r.speedup === undefined ? [] : [r.speedup]));
  return { rows, mean: geometricMean(speedups), cells: speedups.length };
}

export function renderRunnerReport(input: RunnerReportInput): string {
  const { rows, mean, cells } = runnerFigures(input.samples);
  const jpeg = rows.find((r) => r.format === 'jpeg-baseline')?.speedup ?? Number.NaN;
  const notMisses = input.samples.filter((s) => s.contender === 'ours' && !s.error && s.source !== 'rendered').length;
  const errors = input.samples.filter((s) => s.error && s.contender === 'ours');
  const cannot = rows.filter((r) => r.reference === undefined && r.error);
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    '# Renditions through the local runner: the first GET of an issued URL, ours vs (b)',
    '',
    `Command: \`${input.command}\` (${input.rounds} rounds after a warm-up round), 2 cores, moto on loopback.`,
    "Times are medians, in ms, of the client's wait from sending the GET to its last byte: ours is the render",
    "function as the runner serves it (its function URL; the record's GetItem, the look-up, the source read and the",
    'store are HTTP requests to moto), (b) the reference handler (`bench/renditions/dit.ts`) in the bench process',
    'behind an HTTP server of its own, reading the same original from the same moto. Before every GET the',
    "image's stored renditions are deleted, so each is a miss, as a first request is. The request: a 400x225 WebP",
    'cover at q80 from a 12 MP original. moto moves bytes at memory speed, which favours (b): it reads the whole',
    'original, ours a stored copy.',
    '',
    '## Targets',
    '',
    table(
      ['target', 'measured', 'result'],
      [
        ['ours no slower than (b) for a baseline JPEG', times(jpeg), pass(jpeg >= 1)],
        [`ours >= 3.5x (b), geometric mean over the ${cells} formats (b) can read`, times(mean), pass(mean >= 3.5)],
        [
          'every timed GET of ours a miss (x-rendition-source: rendered)',
          `${notMisses} were not`,
          pass(notMisses === 0),
        ],
        ['no GET of ours failed', `${errors.length} failed`, pass(errors.length === 0)],
      ],
    ),
    '',
    '## Per source format',
    '',
    table(
      ['source (12 MP)', 'original MB', 'ours ms', '(b) ms', 'ours vs (b)'],
      rows.map((r) => [
        r.format,
        ((input.corpus.find((c) => c.format === r.format)?.bytes ?? 0) / 1e6).toFixed(1),
        f0(r.ours),
        r.reference === undefined ? (r.error ? 'cannot' : '-') : f0(r.reference),
        times(r.speedup),
      ]),
    ),
    '',
    ...cannot.map((r) => `- (b) cannot read ${r.format}: ${r.error}`),
    ...errors.slice(0, 5).map((s) => `- ours from ${s.format}, round ${s.round}: ${s.error}`),
    '',
  ].join('\n');
}
