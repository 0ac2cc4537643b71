/** bench/renditions/results.md: the tables of one run of bench/renditions/main.ts, and the notes that hold for any run. */

import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { type RenditionsCorpus, SOURCE_FORMATS, type SourceFormat } from './corpus';
import type { EncoderRow } from './encoders';
import type { FidelityRow, PathFloorRow } from './fidelity';
import { IO_FLAGS, IO_MODEL_SOURCES, type IoModel, priced } from './io';
import { inTurn } from './io-trace';
import { corpusTable, encoderTable, f0, f1, f3, fidelityTable, times } from './report-checks';
import type { MixRequest } from './requests';
import type { Contender, Sample } from './run';
import { type Cell, cellOf, cellSpeedup, cells, headline, meanSpeedup, sensitivity, weakSpots } from './summary';

export interface ReportInput {
  samples: Sample[];
  model: IoModel;
  mix: MixRequest[];
  corpus: RenditionsCorpus;
  fidelity: FidelityRow[];
  pathFloor: PathFloorRow[];
  encoders: EncoderRow[];
  environment: Record<string, string>;
  rounds: number;
  /** The method section, placed before the tables. */
  method: string;
}

/** Median ms of a cell, or what the contender says it cannot do. */
function ms(cell: Cell | undefined): string {
  if (!cell) return '-';
  if (cell.n === 0) return cell.error ? 'cannot' : '-';
  return f0(cell.medianMs);
}

function formatsIn(samples: Sample[]): SourceFormat[] {
  return SOURCE_FORMATS.filter((format) => samples.some((s) => s.format === format));
}

function targets(input: ReportInput, formats: SourceFormat[]): string {
  const { ours, stored, storedSmall } = headline(input.samples, input.model, input.mix, formats);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const ssims = input.fidelity.map((r) => r.ssim);
  const fromCopy = mean(input.fidelity.map((r) => r.ssimCopyVsLossless));
  const fromOriginal = mean(input.fidelity.map((r) => r.ssimOriginalVsLossless));
  const row = (target: string, value: number, goal: number, cellsIn: number) => [
    target,
    `${times(value)} (geometric mean of ${cellsIn} cells)`,
    value >= goal ? 'PASS' : 'FAIL',
  ];
  const table_ = cells(input.samples, input.model);
  const card = cellSpeedup(table_, 'ours', 'card-400-webp', 'jpeg-baseline') ?? Number.NaN;
  return table(
    ['target', 'measured', 'result'],
    [
      [
        'ours (not yet stored, every call counted) >= 1.5x faster than (b): 12 MP baseline JPEG to a 400 px WebP',
        times(card),
        card >= 1.5 ? 'PASS' : 'FAIL',
      ],
      row(
        'ours (not yet stored) >= 4x faster than (b), outputs up to 1024 px, every source format',
        ours.value,
        4,
        ours.cells,
      ),
      row('a stored rendition >= 10x faster than (b), whole mix', stored.value, 10, stored.cells),
      row('(same, outputs up to 1024 px)', storedSmall.value, 10, storedSmall.cells),
      [
        'quality: ours from its stored copy vs the same spec from the original',
        `SSIM mean ${f3(mean(ssims))}, min ${f3(Math.min(...ssims))}; against a lossless rendering from the ` +
          `original: ${f3(fromCopy)} from the copy, ${f3(fromOriginal)} from the original`,
        'no target; see the quality table',
      ],
    ],
  );
}

function perCell(input: ReportInput, table_: Map<string, Cell>, formats: SourceFormat[]): string {
  const rows: string[][] = [];
  for (const request of input.mix) {
    for (const format of formats) {
      const cell = (c: Contender) => cellOf(table_, c, request.name, format);
      rows.push([
        request.label,
        format,
        ms(cell('ours')),
        ms(cell('stored')),
        ms(cell('dit')),
        ms(cell('pillow')),
        times(cellSpeedup(table_, 'ours', request.name, format)),
        times(cellSpeedup(table_, 'stored', request.name, format)),
        f1(cell('ours')?.perSecond),
        f1(cell('dit')?.perSecond),
        f1(cell('pillow')?.perSecond),
      ]);
    }
  }
  return table(
    [
      'request',
      'source',
      'ours ms',
      'stored ms',
      '(b) ms',
      'Pillow ms',
      'ours vs (b)',
      'stored vs (b)',
      'ours /s',
      '(b) /s',
      'Pillow /s',
    ],
    rows,
  );
}

function perFormat(input: ReportInput, table_: Map<string, Cell>, formats: SourceFormat[]): string {
  const small = input.mix.filter((r) => r.longestSide <= 1024);
  const large = input.mix.filter((r) => r.longestSide > 1024);
  const rows = formats.map((format) => {
    const mean = (c: Contender, requests: MixRequest[]) => meanSpeedup(table_, c, requests, [format], '').value;
    return [format, times(mean('ours', small)), times(mean('ours', large)), times(mean('stored', input.mix))];
  });
  return table(['source format', 'ours vs (b), up to 1024 px', 'ours vs (b), 1200 px', 'stored vs (b)'], rows);
}

function split(input: ReportInput, table_: Map<string, Cell>, formats: SourceFormat[]): string {
  const rows: string[][] = [];
  for (const request of input.mix) {
    for (const format of formats) {
      const cell = (c: Contender) => cellOf(table_, c, request.name, format);
      const part = (c: Contender) =>
        cell(c)?.n ? `${f0(cell(c)?.medianComputeMs)} + ${f0(cell(c)?.medianIoMs)}` : '-';
      rows.push([request.label, format, part('ours'), part('dit'), part('pillow')]);
    }
  }
  return table(
    ['request', 'source', 'ours: compute + I/O ms', '(b): compute + I/O ms', 'Pillow: compute + I/O ms'],
    rows,
  );
}

/** What one request makes, by contender: the calls it waits for, the ones it does not, and when it ends. */
function requestsTable(input: ReportInput, table_: Map<string, Cell>): string {
  const request = input.mix[0] as MixRequest;
  const rows = (['ours', 'stored', 'dit', 'pillow'] as const).map((c) => {
    const cell = cellOf(table_, c, request.name, 'jpeg-baseline');
    const counts = cell?.requests;
    return [
      { ours: 'ours, a miss', stored: 'ours, a hit (stored)', dit: '(b)', pillow: 'Pillow' }[c],
      String(counts?.getItem ?? '-'),
      String(counts ? counts.get : '-'),
      String(counts?.miss ?? '-'),
      String(counts?.put ?? '-'),
      f0(cell?.medianMs),
      f0(cell?.medianEndMs),
    ];
  });
  return table(
    [
      `${request.label} from a baseline JPEG`,
      'DynamoDB GetItem',
      'S3 GET (found)',
      'S3 GET (404)',
      'S3 PUT',
      'answered ms',
      'invocation ends ms',
    ],
    rows,
  );
}

/** The miss path as it runs now against the same calls made one after another (the function before issue 24). */
function beforeAfter(input: ReportInput, table_: Map<string, Cell>, formats: SourceFormat[]): string {
  const rows = input.mix.flatMap((request) =>
    formats.map((format) => {
      const ours = input.samples.filter(
        (s) => s.contender === 'ours' && !s.error && s.request === request.name && s.format === format,
      );
      const before = median(ours.map((s) => priced(inTurn(s.trace), input.model).answerMs));
      const now = cellOf(table_, 'ours', request.name, format)?.medianMs;
      const reference = cellOf(table_, 'dit', request.name, format);
      const vs = (ms: number | undefined) => (reference?.n && ms ? times(reference.medianMs / ms) : '-');
      return [request.label, format, f0(before), f0(now), vs(before), vs(now)];
    }),
  );
  return table(['request', 'source', 'in turn ms', 'now ms', 'in turn vs (b)', 'now vs (b)'], rows);
}

function outputSizes(input: ReportInput): string {
  const kb = (c: Contender, request: string) =>
    median(
      input.samples.filter((s) => s.contender === c && s.request === request && !s.error).map((s) => s.outBytes / 1024),
    );
  const wrong = (c: Contender) => input.samples.filter((s) => s.contender === c && !s.error && !s.sizeOk).length;
  const rows = input.mix.map((r) => [r.label, f1(kb('ours', r.name)), f1(kb('dit', r.name)), f1(kb('pillow', r.name))]);
  rows.push(['outputs of the wrong size', String(wrong('ours')), String(wrong('dit')), String(wrong('pillow'))]);
  return table(['request', 'ours KB', '(b) KB', 'Pillow KB'], rows);
}

function sensitivityTable(input: ReportInput, formats: SourceFormat[]): string {
  const rows = sensitivity(input.samples, input.model, input.mix, formats, [10, 30, 60, 100, 200]).map((r) => [
    `${r.firstByteMs}${r.firstByteMs === input.model.s3FirstByteMs ? ' (this run)' : ''}`,
    times(r.ours),
    times(r.stored),
  ]);
  return table(['S3 first byte ms', 'ours vs (b), up to 1024 px', 'stored vs (b), whole mix'], rows);
}

export function renderReport(input: ReportInput): string {
  const formats = formatsIn(input.samples);
  const table_ = cells(input.samples, input.model);
  const model = (Object.keys(IO_FLAGS) as (keyof IoModel)[]).map(
    (key) => `- \`--${IO_FLAGS[key]}\` = **${input.model[key]}**: ${IO_MODEL_SOURCES[key]}.`,
  );
  const env = Object.entries(input.environment).map(([k, v]) => `- ${k}: ${v}`);
  const weak = weakSpots(input.mix, table_, formats);
  return [
    '# Renditions: ours vs the Dynamic Image Transformation pipeline vs Pillow',
    '',
    `Command: \`${input.environment.command}\` (${input.rounds} rounds after a warm-up). Times are medians per`,
    "cell, in ms, from the request to its answer: each contender's measured CPU time plus every call its code makes",
    '(S3, DynamoDB, Rekognition) priced by the model at the end, calls made one after another adding up and calls in',
    'flight together costing the slowest (`io-trace.ts`). **ours** is the render function on a miss (nothing stored',
    'yet), **stored** the same function on a hit; renditions/s = requests / the sum of their times, one at a time.',
    '',
    input.method,
    '## Targets',
    '',
    targets(input, formats),
    '',
    '## Per request and source format',
    '',
    perCell(input, table_, formats),
    '',
    '## The calls one request makes',
    '',
    'Each a request billed. A hit also starts the source read beside its look-up and stops it once the rendition is',
    'found (counted in "S3 GET (found)"; nothing waits for it). Ours answers a new rendition before its store is',
    'done; the invocation (what Lambda bills) ends once it is: "invocation ends".',
    '',
    requestsTable(input, table_),
    '',
    '## The miss path now, against the same calls made in turn',
    '',
    'The same samples of ours priced twice: as the code makes its calls now (the source read beside the look-up,',
    'the answer before the store), and as the render function made them before: each after the last, the answer',
    'after the store. The baseline in this run for what overlapping the calls gained.',
    '',
    beforeAfter(input, table_, formats),
    '',
    '## Per source format (geometric means over the requests)',
    '',
    perFormat(input, table_, formats),
    '',
    '## Where the time goes (median compute + median I/O, ms)',
    '',
    split(input, table_, formats),
    '',
    '## Sensitivity to S3 first-byte latency',
    '',
    sensitivityTable(input, formats),
    '',
    '## Output sizes (median over all sources)',
    '',
    outputSizes(input),
    '',
    '## Encoder settings alone (one output raster, encoded both ways in turn, median of 7)',
    '',
    encoderTable(input.encoders),
    '',
    '## Quality: rendering from a stored copy vs from the original',
    '',
    fidelityTable(input),
    '',
    '## Corpus',
    '',
    corpusTable(input.corpus, formats),
    '',
    ...input.corpus.notes.map((note) => `- ${note}`),
    '',
    '## Where ours does not win, or (b) cannot answer',
    '',
    ...(weak.length > 0 ? weak.map((line) => `- ${line}`) : ['- nowhere in this run.']),
    '',
    '## The I/O model',
    '',
    ...model,
    '',
    '## Machine and versions',
    '',
    ...env,
    '',
  ].join('\n');
}
