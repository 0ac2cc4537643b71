import { table } from '../../test/support/markdown';
import type { Counts, CurvePoint, Source } from './score';

/** A class's counts at one threshold on the evaluation half. */
export interface Operating {
  threshold: number;
  counts: Counts;
}

/** One class of a source on the evaluation half. */
export interface ClassResult {
  name: string;
  /** Positive examples on the tuning half (clear faces, for faces). */
  support: number;
  /** At this run's shown threshold. */
  shown: Operating;
  /** At this run's found (retrieval) threshold: objects and derived labels. */
  found?: Operating;
  /** At the thresholds of the calibration this run replaced. */
  before: { shown: Operating; found?: Operating };
  /** At today's fixed threshold (the same for shown and found). */
  today: Counts;
}

/** A source's own thresholds: `rare` for every class not listed (too few tuning photos of their own). */
export interface SourceThresholds {
  pooled: number;
  rare?: number;
}

export interface SourceResult {
  /** Today's fixed threshold, the baseline. */
  today: number;
  shown: SourceThresholds;
  found?: SourceThresholds;
  before: { shown: SourceThresholds; found?: SourceThresholds };
  /** All classes together, on the evaluation half (`tune`: this run's shown thresholds on the tuning half). */
  total: { shown: Counts; found?: Counts; before: { shown: Counts; found?: Counts }; today: Counts; tune: Counts };
  classes: ClassResult[];
  /** Precision-recall on the evaluation half, every class at one threshold, and each common class alone. */
  curves: { all: CurvePoint[]; classes: Record<string, CurvePoint[]> };
  note?: string;
}

/** One of the issue's targets, measured before and after the run. */
export interface TargetResult {
  goal: string;
  before: Counts;
  after: Counts;
  passBefore: boolean;
  pass: boolean;
}

/** What `npm run bench:accuracy` measured: results.json, which the regression test reads, and results.md. */
export interface AccuracyResults {
  date: string;
  machine: string;
  command: string;
  set: string;
  images: { tune: number; eval: number };
  run: string;
  input: string;
  /** Precision on the tuning half of what is shown, and of what is found. */
  target: number;
  foundTarget: number;
  minSupport: number;
  /** The calibration this run replaced: where it was read from, and how it was made. */
  before: { file: string; made: { command: string; set: string; date: string }; found: boolean };
  msPerImage: { median: number; p90: number };
  targets: TargetResult[];
  sources: Record<Source, SourceResult>;
  /** The SVG of each curve, relative to results.md. */
  curveFiles: { source: Source; name?: string; file: string }[];
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n * 100)} %`);
const tally = (c: Counts) => `${c.tp} / ${c.fp} / ${c.fn}`;
const rates = (c: Counts) => `${pct(c.precision)}, ${pct(c.recall)} (${tally(c)})`;

/**
 * The lowest precision the regression test accepts for counts results.md states: the same precision with one right
 * answer fewer, so a single photo's change on a small class does not fail it and two do.
 */
export function precisionFloor(counts: Counts): number | undefined {
  const said = counts.tp + counts.fp;
  return said === 0 ? undefined : Math.max(0, (counts.tp - 1) / said);
}

/** The lowest recall the regression test accepts: one example fewer found than results.md states. */
export function recallFloor(counts: Counts): number | undefined {
  const there = counts.tp + counts.fn;
  return there === 0 ? undefined : Math.max(0, (counts.tp - 1) / there);
}

/** The issue's targets on the evaluation half (issue 56, "Done when"). */
const TARGETS: { goal: string; source: Source; of: 'shown' | 'found'; precision: number; recall: number }[] = [
  {
    goal: 'objects shown: precision >= 0.9 with recall >= 0.6',
    source: 'objects',
    of: 'shown',
    precision: 0.9,
    recall: 0.6,
  },
  {
    goal: 'objects found: recall >= 0.85 at precision >= 0.7',
    source: 'objects',
    of: 'found',
    precision: 0.7,
    recall: 0.85,
  },
  {
    goal: 'derived labels found: recall >= 0.85 at precision >= 0.7',
    source: 'labels',
    of: 'found',
    precision: 0.7,
    recall: 0.85,
  },
  { goal: 'faces: recall >= 0.97 and precision >= 0.95', source: 'faces', of: 'shown', precision: 0.95, recall: 0.97 },
  {
    goal: 'derived labels shown: precision >= 0.9 with recall >= 0.5',
    source: 'labels',
    of: 'shown',
    precision: 0.9,
    recall: 0.5,
  },
];

/** Each target with the counts before and after: nothing said, or nothing there, does not meet it. */
export function targetsOf(sources: Record<Source, SourceResult>): TargetResult[] {
  const meets = (c: Counts, t: (typeof TARGETS)[number]) =>
    (c.precision ?? 0) >= t.precision && (c.recall ?? 0) >= t.recall;
  return TARGETS.map((t) => {
    const { total } = sources[t.source];
    const after = (t.of === 'found' ? total.found : undefined) ?? total.shown;
    const before = (t.of === 'found' ? total.before.found : undefined) ?? total.before.shown;
    return { goal: t.goal, before, after, passBefore: meets(before, t), pass: meets(after, t) };
  });
}

const TITLES: Record<Source, string> = {
  objects: 'Objects (per class: the strongest detection of a class in a photo)',
  faces: 'Faces (by count)',
  labels: 'Derived labels',
  moderation: 'Moderation (flag per class)',
};
const SOURCE_ORDER = Object.keys(TITLES) as Source[];

const thresholdsText = (t: SourceThresholds) =>
  `pooled ${t.pooled}${t.rare !== undefined && t.rare !== t.pooled ? `, rare classes' ${t.rare}` : ''}`;

/** The section on one source: its thresholds and, per class, shown and found after, before, and at today's. */
function sourceSection(source: Source, s: SourceResult): string[] {
  const searched = s.found !== undefined;
  const seen = (c: ClassResult) =>
    [c.shown.counts, c.found?.counts, c.before.shown.counts, c.before.found?.counts, c.today].some(
      (n) => n !== undefined && n.tp + n.fp + n.fn > 0,
    );
  const rows = source === 'moderation' ? s.classes : s.classes.filter(seen);
  const at = (o: Operating | undefined) => (o === undefined ? '-' : `${o.threshold}: ${rates(o.counts)}`);
  const head = [
    'class',
    'tune support',
    'shown: threshold',
    'precision, recall (TP / FP / FN)',
    ...(searched ? ['found: threshold', 'precision, recall (TP / FP / FN)'] : []),
    'before, shown',
    ...(searched ? ['before, found'] : []),
    `fixed ${s.today}`,
  ];
  return [
    '',
    `## ${TITLES[source]}`,
    '',
    `Thresholds: today's fixed ${s.today}; shown ${thresholdsText(s.shown)}` +
      (s.found ? `; found ${thresholdsText(s.found)}` : '') +
      `; before this run, shown ${thresholdsText(s.before.shown)}` +
      (s.before.found ? `, found ${thresholdsText(s.before.found)}` : '') +
      `${s.note ? ` (${s.note})` : ''}.` +
      (rows.length < s.classes.length ? ' Classes neither present nor said on the evaluation half left out.' : ''),
    '',
    table(
      head,
      rows.map((c) => [
        c.name,
        c.support,
        c.shown.threshold,
        rates(c.shown.counts),
        ...(searched ? [c.found?.threshold ?? '-', c.found ? rates(c.found.counts) : '-'] : []),
        at(c.before.shown),
        ...(searched ? [at(c.before.found)] : []),
        rates(c.today),
      ]),
    ),
  ];
}

export function renderResults(r: AccuracyResults): string {
  const out = [
    '# Accuracy of the offline models: what is shown is right, what is there is found',
    '',
    `${r.date}, ${r.machine}. Command: \`${r.command}\`. Set: \`${r.set}\` (${r.images.tune} tuning photos, ${r.images.eval} evaluation photos).`,
    `Run: ${r.run}; input: ${r.input}. Models' time per photo: median ${r.msPerImage.median} ms, 90th percentile ${r.msPerImage.p90} ms.`,
    '',
    `Thresholds chosen on the tuning half, per class: **shown** (tiles, labels, events) the lowest with precision >= ${r.target}, **found** ` +
      `(search) the lowest with precision >= ${r.foundTarget} and never above the shown one; each counted with one wrong answer added (a class ` +
      `with ${r.minSupport} positive tuning photos gets its own where one reaches the target, else the rare group's; the classes with fewer are calibrated ` +
      "together, as one rare group, and a class's own wrong answers can raise its threshold, never lower it). Found is shown or likely: " +
      "an image is found by a class when the class's strongest score reaches the found threshold. **Before** is the calibration this " +
      `run replaced (${r.before.file}, made ${r.before.made.date} from ${r.before.made.set}` +
      `${r.before.found ? '' : '; it had no found thresholds, so search found what was shown'}), measured on the same predictions. ` +
      'The tables are on the evaluation half only. TP / FP / FN are counted, so small numbers show: 100 % of 2 is two photos.',
    '',
    "## The issue's targets, on the evaluation half",
    '',
    table(
      ['target', 'before: precision, recall (TP / FP / FN)', 'met', 'after', 'met'],
      r.targets.map((t) => [
        t.goal,
        rates(t.before),
        t.passBefore ? 'PASS' : 'FAIL',
        rates(t.after),
        t.pass ? 'PASS' : 'FAIL',
      ]),
    ),
    '',
    '## Each source, all classes together',
    '',
    'Found is not calibrated for faces and moderation: no search reads them by a likelihood.',
    '',
    table(
      ['source', 'thresholds', 'shown: precision, recall (TP / FP / FN)', 'found: precision, recall (TP / FP / FN)'],
      SOURCE_ORDER.flatMap((source) => {
        const { total, today } = r.sources[source];
        const found = (c: Counts | undefined) => (c ? rates(c) : '-');
        return [
          [source, `fixed ${today}`, rates(total.today), r.sources[source].found ? rates(total.today) : '-'],
          [source, 'before', rates(total.before.shown), found(total.before.found)],
          [source, 'after', rates(total.shown), found(total.found)],
        ];
      }),
    ),
  ];
  for (const source of SOURCE_ORDER) out.push(...sourceSection(source, r.sources[source]));
  out.push(
    '',
    '## Precision-recall curves',
    '',
    'On the evaluation half: each point is every class of a source (or one class) shown from one threshold, for every ' +
      'score a right or wrong answer had; the data are in results.json (`sources.<source>.curves`). The marks are the ' +
      "operating points: this run's shown (filled circle) and found (ring), the calibration before it (grey squares). " +
      "Per-class thresholds put a source's operating points off its one-threshold curve. A class has its own curve with " +
      `${r.minSupport} or more positive evaluation photos.`,
    '',
    ...r.curveFiles.map(({ source, name, file }) => `![${source}${name ? `: ${name}` : ''}](${file})`),
  );
  const withoutCurve = SOURCE_ORDER.filter((source) => !r.curveFiles.some((f) => f.source === source));
  if (withoutCurve.length > 0)
    out.push('', `No curve for ${withoutCurve.join(', ')}: no positive photo on the evaluation half.`);
  return `${out.join('\n')}\n`;
}

/** The table docs/vision.md shows (between its accuracy markers), from the same results. */
export function renderDocsTable(r: AccuracyResults): string {
  const cell = (threshold: string, c: Counts | undefined) => (c ? `${threshold}${rates(c)}` : '-');
  return [
    `On the evaluation half (${r.images.eval} photos, ${r.date}; per class, the calibration before this one and the ` +
      'precision-recall curves in',
    '[results.md](../bench/accuracy/results.md)), all classes of a source together, made by',
    `\`${r.command}\`:`,
    '',
    table(
      [
        'source',
        'fixed threshold: precision, recall (TP / FP / FN)',
        `shown (precision ${r.target} on the tuning half)`,
        `found (precision ${r.foundTarget} on the tuning half)`,
      ],
      SOURCE_ORDER.map((source) => {
        const s = r.sources[source];
        return [
          source === 'labels' ? 'derived labels' : source,
          // Nothing there and nothing said (moderation on a set without nudity): say so, not three dashes.
          s.total.today.tp + s.total.today.fp + s.total.today.fn === 0
            ? `${s.today}: no photo of the set is flagged, or should be`
            : cell(`${s.today}: `, s.total.today),
          cell('', s.total.shown),
          cell('', s.total.found),
        ];
      }),
    ),
    '',
    'Faces and moderation have no found threshold: no search reads them by a likelihood. Against the targets:',
    '',
    table(
      ['target', 'precision, recall (TP / FP / FN)', 'met'],
      r.targets.map((t) => [t.goal, rates(t.after), t.pass ? 'yes' : 'no']),
    ),
  ].join('\n');
}
