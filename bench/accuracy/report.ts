import { table } from '../../test/support/markdown';
import type { Counts, Source } from './score';

/** One class of a source on the evaluation half. */
export interface ClassResult {
  name: string;
  /** The calibrated threshold. */
  threshold: number;
  /** Positive examples on the tuning half (clear faces, for faces). */
  support: number;
  /** At the calibrated threshold. */
  eval: Counts;
  /** At today's threshold. */
  today: Counts;
}

export interface SourceResult {
  /** Today's threshold, the baseline. */
  today: number;
  pooled: number;
  /** The threshold of every class not listed: those with too few tuning photos of their own. */
  rare?: number;
  total: { eval: Counts; today: Counts; tune: Counts };
  classes: ClassResult[];
  note?: string;
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
  target: number;
  minSupport: number;
  msPerImage: { median: number; p90: number };
  sources: Record<Source, SourceResult>;
}

const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n * 100)} %`);
const tally = (c: Counts) => `${c.tp} / ${c.fp} / ${c.fn}`;

/**
 * The lowest precision the regression test accepts for counts results.md states: the same precision with one right
 * answer fewer, so a single photo's change on a small class does not fail it and two do.
 */
export function precisionFloor(counts: Counts): number | undefined {
  const said = counts.tp + counts.fp;
  return said === 0 ? undefined : Math.max(0, (counts.tp - 1) / said);
}

const TITLES: Record<Source, string> = {
  objects: 'Objects (per class: the strongest detection of a class in a photo)',
  faces: 'Faces (by count)',
  labels: 'Derived labels',
  moderation: 'Moderation (flag per class)',
};

export function renderResults(r: AccuracyResults): string {
  const out = [
    '# Accuracy of the offline models: what is shown, and is it right',
    '',
    `${r.date}, ${r.machine}. Command: \`${r.command}\`. Set: \`${r.set}\` (${r.images.tune} tuning photos, ${r.images.eval} evaluation photos).`,
    `Run: ${r.run}; input: ${r.input}. Models' time per photo: median ${r.msPerImage.median} ms, 90th percentile ${r.msPerImage.p90} ms.`,
    '',
    `Thresholds chosen on the tuning half: per class, the lowest with precision >= ${r.target}, counted with one wrong answer added (a class with ` +
      `${r.minSupport} positive tuning photos never goes below the source's pooled threshold; the classes with fewer are calibrated together, as ` +
      "one rare group, and a class's own wrong answers can raise its threshold, never lower it). The tables " +
      'are on the evaluation half only. TP / FP / FN are counted, so small numbers show: 100 % of 2 is two photos.',
    '',
    '## Each source, all classes together',
    '',
    table(
      [
        'source',
        'today: threshold',
        'precision',
        'recall',
        'TP / FP / FN',
        'calibrated: precision',
        'recall',
        'TP / FP / FN',
      ],
      (Object.keys(TITLES) as Source[]).map((source) => {
        const s = r.sources[source];
        return [
          source,
          s.today,
          pct(s.total.today.precision),
          pct(s.total.today.recall),
          tally(s.total.today),
          pct(s.total.eval.precision),
          pct(s.total.eval.recall),
          tally(s.total.eval),
        ];
      }),
    ),
  ];
  for (const source of Object.keys(TITLES) as Source[]) {
    const s = r.sources[source];
    const seen = (c: ClassResult) => c.eval.tp + c.eval.fp + c.eval.fn + c.today.fp + c.today.tp > 0;
    const rows = source === 'moderation' ? s.classes : s.classes.filter(seen);
    out.push(
      '',
      `## ${TITLES[source]}`,
      '',
      `Today's threshold ${s.today}; calibrated pooled threshold ${s.pooled}${s.rare !== undefined && s.rare !== s.pooled ? `, rare classes' ${s.rare}` : ''}${s.note ? ` (${s.note})` : ''}.` +
        (rows.length < s.classes.length ? ` Classes neither present nor said on the evaluation half left out.` : ''),
      '',
      table(
        [
          'class',
          'tune support',
          'threshold',
          'precision',
          'recall',
          'TP / FP / FN',
          `at ${s.today}: precision`,
          'recall',
          'TP / FP / FN',
        ],
        rows.map((c) => [
          c.name,
          c.support,
          c.threshold,
          pct(c.eval.precision),
          pct(c.eval.recall),
          tally(c.eval),
          pct(c.today.precision),
          pct(c.today.recall),
          tally(c.today),
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
