/** Turns the measured figures into the markdown tables of results.md and the README. */
import { table } from '../../test/support/markdown';
import type { ClassName } from '../support/make-corpus';
import type { Contender } from '../support/protocol';

export interface ClassFigures {
  medianMs: number;
  imagesPerSecond: number;
  thumbKb: number;
  /** Largest pHash Hamming distance from our core's hash of the same image. */
  phashDeltaMax: number;
}

/** Our core with and without quality on the same images, paired in one process. */
export interface QualityShareFigures {
  pairs: number;
  withoutMs: number;
  withMs: number;
  /** Median with over median without, minus 1. */
  added: number;
  /** The median over the pairs of with / without, minus 1: what the target reads, as noise hits both alike. */
  pairedAdded: number;
  /** The same for the process's CPU time (all threads): steadier than wall time on a busy machine. */
  cpuWithoutMs: number;
  cpuPairedAdded: number;
}

export interface Summary {
  environment: Record<string, string>;
  command: string;
  latency: Record<Contender, { classes: Record<ClassName, ClassFigures>; maxRssMb: number }>;
  throughput: { label: string; imagesPerSecond: Record<ClassName, number>; maxRssMb: number }[];
  floor: { decodeMs: number; encodeMs: Record<string, number>; floorMs: number; oursMs: number; ratio: number };
  effort: { effort: number; medianMs: number; thumbKb: number; psnrDb: number; minPsnrDb: number }[];
  rss: { label: string; maxRssMb: number }[];
  settings: {
    label: string;
    sharpConcurrency: number;
    uvThreadpoolSize: number;
    medianMs: number;
    throughput: number;
    freshRssMb: number;
    runRssMb: number;
  }[];
  qualityShare: { classes: Record<ClassName, QualityShareFigures>; measured: string };
  targets: { target: string; measured: string; pass: boolean }[];
}

const CLASS_LABEL: Record<ClassName, string> = { '12mp': '12 MP JPEG', '24mp': '24 MP JPEG', '2mp': '2 MP PNG' };
const CONTENDER_LABEL: Record<Contender, string> = {
  ours: 'ours (lambdas/core)',
  naive: 'naive sharp (steps concurrent)',
  'naive-serial': 'naive sharp (steps one by one)',
  'naive-full': 'naive sharp (one by one, full decode per step)',
  pillow: 'Pillow best (draft + cascade)',
};

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;

export function renderTables(s: Summary): string {
  const classes = Object.keys(CLASS_LABEL) as ClassName[];
  const latency = table(
    [
      'contender',
      ...classes.flatMap((c) => [`${CLASS_LABEL[c]} median ms`, 'img/s']),
      'peak RSS MB',
      'thumb KB/img (12 MP)',
      'pHash max Δ bits vs ours',
    ],
    (Object.keys(s.latency) as Contender[]).map((c) => {
      const l = s.latency[c];
      return [
        CONTENDER_LABEL[c],
        ...classes.flatMap((k) => [f0(l.classes[k].medianMs), f2(l.classes[k].imagesPerSecond)]),
        f0(l.maxRssMb),
        f0(l.classes['12mp'].thumbKb),
        String(Math.max(...classes.map((k) => l.classes[k].phashDeltaMax))),
      ];
    }),
  );
  const throughput = table(
    ['both cores busy', ...classes.map((c) => `${CLASS_LABEL[c]} img/s`), 'peak RSS MB (per process)'],
    s.throughput.map((t) => [t.label, ...classes.map((c) => f2(t.imagesPerSecond[c])), f0(t.maxRssMb)]),
  );
  const fl = s.floor;
  const floor = table(
    ['12 MP, median per image', 'ms'],
    [
      ['shrink-on-load decode to 1024 (raw)', f1(fl.decodeMs)],
      ...Object.entries(fl.encodeMs)
        .sort(([a], [b]) => Number(b) - Number(a))
        .map(([size, ms]) => [`WebP encode ${size} (alone)`, f1(ms)]),
      ['**floor** (sum)', f1(fl.floorMs)],
      ['ours', f1(fl.oursMs)],
      ['**ours / floor**', f2(fl.ratio)],
    ],
  );
  const effort = table(
    ['webpEffort', '12 MP median ms', 'thumb KB/img (3 sizes)', 'PSNR 1024 dB (mean)', 'PSNR 1024 dB (min)'],
    s.effort.map((e) => [String(e.effort), f0(e.medianMs), f1(e.thumbKb), f2(e.psnrDb), f2(e.minPsnrDb)]),
  );
  const rss = table(
    ['process', 'peak RSS MB'],
    s.rss.map((r) => [r.label, f0(r.maxRssMb)]),
  );
  const settings = table(
    [
      'our core, setting',
      'sharp.concurrency',
      'UV pool',
      '12 MP median ms',
      '12 MP img/s, 2 in flight',
      '24 MP fresh-process RSS MB',
      'run RSS MB',
    ],
    s.settings.map((v) => [
      v.label,
      String(v.sharpConcurrency),
      String(v.uvThreadpoolSize),
      f0(v.medianMs),
      f2(v.throughput),
      f0(v.freshRssMb),
      f0(v.runRssMb),
    ]),
  );
  const share = table(
    [
      'images',
      'pairs',
      'our core without quality, median ms',
      'with quality, median ms',
      'added (medians)',
      'added (median of pairs)',
      'CPU ms without (all threads)',
      'CPU added (median of pairs)',
    ],
    classes.map((c) => {
      const q = s.qualityShare.classes[c];
      return [
        CLASS_LABEL[c],
        String(q.pairs),
        f1(q.withoutMs),
        f1(q.withMs),
        pct(q.added),
        pct(q.pairedAdded),
        f1(q.cpuWithoutMs),
        pct(q.cpuPairedAdded),
      ];
    }),
  );
  const targets = table(
    ['target (12 MP JPEG unless stated)', 'measured', 'result'],
    s.targets.map((t) => [t.target, t.measured, t.pass ? 'PASS' : 'FAIL']),
  );
  return [
    '### Targets',
    targets,
    '### Latency: one image at a time, both cores available',
    latency,
    '### Throughput: both cores busy',
    throughput,
    '### The floor',
    floor,
    '### WebP effort 2 vs 4 (our core)',
    effort,
    '### Peak RSS, fresh process per image',
    rss,
    '### sharp concurrency, libuv pool and malloc settings (our core)',
    settings,
    "### Quality's share: our core with and without quality, one after the other on each image",
    `${s.qualityShare.measured}\n\n${share}`,
  ].join('\n\n');
}

export function renderResults(s: Summary): string {
  const env = Object.entries(s.environment).map(([k, v]) => `- ${k}: ${v}`);
  return ['# Benchmark results', '', `Command: \`${s.command}\``, '', ...env, '', renderTables(s), ''].join('\n');
}
