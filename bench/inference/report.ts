/** Turns the inference benchmark's figures into the markdown of results.md and the README section. */
import type { ModelName } from './protocol';

export interface InferenceSummary {
  environment: Record<string, string>;
  command: string;
  cold: { label: string; firstCallMs?: number; warmCallMs?: number; loadMs: number }[];
  /** Median ms per image, each model alone on the core's raster; `decode` is the raster decode alone. */
  models: { image: string; ms: Record<ModelName | 'decode', number> }[];
  whole: {
    photos: number;
    totalMs: number;
    coreMs: number;
    offlineMs: number;
    maxTotalMs: number;
    /** Each model alone on the 12 MP rasters (median), and its share of the sum of the four. */
    perModel: { model: ModelName; ms: number; share: number }[];
  };
  ocr: { image: string; oursMs: number; oursWithDecodeMs: number; baselineMs: number }[];
  text: { name: string; reference: string; ours: string; baseline: string; oursCer: number; baselineCer: number }[];
  rss: { label: string; mb: number }[];
  targets: { target: string; measured: string; pass: boolean }[];
  notes: string[];
}

const f0 = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const pct = (n: number): string => `${(n * 100).toFixed(1)} %`;
const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
const head = (cells: string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`;
/** Text in a table cell: lines joined by ` / `, pipes escaped, inside backticks so spaces show. */
const cell = (text: string): string => (text ? `\`${text.replace(/\n/g, ' / ').replace(/\|/g, '\\|')}\`` : '(nothing)');

export function renderInferenceTables(s: InferenceSummary): string {
  const out: string[] = [];
  out.push('### Targets\n');
  out.push(head(['target', 'measured', 'result']));
  for (const t of s.targets) out.push(row([t.target, t.measured, t.pass ? 'PASS' : 'FAIL']));

  out.push('\n### Cold start (fresh process, each model first called on a 64x64 image)\n');
  out.push(head(['what', 'first call ms', 'warm call ms', 'load ms (first - warm)']));
  for (const c of s.cold) {
    out.push(
      row([
        c.label,
        c.firstCallMs === undefined ? '' : f0(c.firstCallMs),
        c.warmCallMs === undefined ? '' : f0(c.warmCallMs),
        f0(c.loadMs),
      ]),
    );
  }

  out.push('\n### Peak RSS (VmHWM)\n');
  out.push(head(['process', 'peak RSS MB']));
  for (const r of s.rss) out.push(row([r.label, f0(r.mb)]));

  out.push('\n### Warm latency per model (median ms, each model alone on the core raster)\n');
  out.push(head(['image', 'raster decode', 'faces', 'objects', 'moderation', 'ocr', 'sum of models']));
  for (const m of s.models) {
    const total = m.ms.faces + m.ms.objects + m.ms.moderation + m.ms.ocr;
    out.push(
      row([m.image, f1(m.ms.decode), f1(m.ms.faces), f1(m.ms.objects), f1(m.ms.moderation), f1(m.ms.ocr), f0(total)]),
    );
  }

  const w = s.whole;
  out.push(`\n### Whole offline inference per 12 MP photo (${w.photos} photos, median ms)\n`);
  out.push(head(['step', 'median ms']));
  out.push(row(['analyzeImage(keepRaster): decode, thumbnails, hashes, palette', f0(w.coreMs)]));
  out.push(row(['analyzeOffline: the four models concurrently + labels', f0(w.offlineMs)]));
  out.push(row(['**total per photo**', `**${f0(w.totalMs)}** (slowest photo-pass ${f0(w.maxTotalMs)})`]));
  out.push('\n| model (alone, 12 MP raster) | median ms | share of the four |\n| --- | --- | --- |');
  for (const p of w.perModel) out.push(row([p.model, f0(p.ms), pct(p.share)]));

  out.push('\n### OCR side by side (median ms per image, same files, same run)\n');
  out.push(
    head([
      'image',
      'ours: recognizeText on raster',
      'ours incl. decode to raster',
      '@gutenye/ocr-node (bytes in)',
      'speed-up (incl. decode)',
    ]),
  );
  for (const o of s.ocr) {
    out.push(
      row([
        o.image,
        f0(o.oursMs),
        f0(o.oursWithDecodeMs),
        f0(o.baselineMs),
        `${(o.baselineMs / o.oursWithDecodeMs).toFixed(2)}x`,
      ]),
    );
  }
  const sum = (k: 'oursMs' | 'oursWithDecodeMs' | 'baselineMs') => s.ocr.reduce((a, o) => a + o[k], 0);
  out.push(
    row([
      '**all images (sum of medians)**',
      f0(sum('oursMs')),
      f0(sum('oursWithDecodeMs')),
      f0(sum('baselineMs')),
      `**${(sum('baselineMs') / sum('oursWithDecodeMs')).toFixed(2)}x**`,
    ]),
  );

  out.push('\n### OCR text quality (character error rate, lower is better)\n');
  out.push(head(['image', 'engine', 'CER', 'text']));
  for (const t of s.text) {
    out.push(row([t.name, 'reference', '', cell(t.reference)]));
    out.push(row(['', 'ours', pct(t.oursCer), cell(t.ours)]));
    out.push(row(['', '@gutenye/ocr-node', pct(t.baselineCer), cell(t.baseline)]));
  }
  return out.join('\n');
}

function environmentLine(s: InferenceSummary): string {
  return Object.entries(s.environment)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join('\n');
}

export function renderNotes(s: InferenceSummary): string {
  return s.notes.map((n) => `- ${n}`).join('\n');
}

export function renderInferenceResults(s: InferenceSummary): string {
  return [
    '# Offline inference benchmark results\n',
    `Command: \`${s.command}\`\n`,
    environmentLine(s),
    '',
    renderInferenceTables(s).replaceAll('### ', '## '),
    '\n## Notes (generated from this run)\n',
    renderNotes(s),
    '',
  ].join('\n');
}

/** The README section: what is measured, the command, this run's tables and generated notes. */
export function readmeSection(
  s: InferenceSummary,
  tables: string,
  { passes: PASSES, rounds: ROUNDS }: { passes: number; rounds: number },
): string {
  return `## Offline inference

\`\`\`
${s.command}   # about 2 minutes on 2 cores
\`\`\`

\`bench/inference/main.ts\` measures the four offline models of \`lambdas/vision\` (faces: BlazeFace on ONNX
Runtime; objects: CenterNet and moderation: nsfwjs, both on TF.js wasm; text: PP-OCRv4 det+rec on ONNX Runtime
with our own pre/post-processing) in child processes run one after another, and writes
\`bench/inference/results.md\` / \`.json\` (every raw sample) and this section.

- **Cold start**: a fresh child calls each model twice on a 64x64 image; load = first call - second call.
  Peak RSS is \`VmHWM\` from \`/proc/self/status\` (getrusage would carry the parent's peak across fork+exec).
- **Warm latency**: one child decodes every image to the core's raster (\`analyzeImage(keepRaster)\`, at most
  1024 px) untimed, warms up once, then runs ${PASSES} passes timing each model alone on each raster, and the
  raster decode alone (the core's sharp pipeline without thumbnails/hashes). Ours and the baseline alternate
  over ${ROUNDS} rounds (fresh children each), so a slow spell on the machine hits both sides.
- **Whole offline inference per 12 MP photo**: \`analyzeImage(bytes, { keepRaster: true })\` then
  \`analyzeOffline(raster, record)\` (four models concurrently + labels), end to end, per photo per pass.
- **OCR side by side**: \`recognizeText\` on our raster (with and without the raster decode) against
  \`@gutenye/ocr-node\` \`ocr.detect(bytes)\` given the same file's bytes (read before timing; it decodes with
  its own sharp and detects at full resolution). Text quality is the character error rate (Levenshtein distance
  over reference length, whitespace collapsed, lines joined in each engine's own order) on \`text-page.png\`
  (reference typed from the image; its cut-off caption left out) and on three rendered lines (28 px DejaVu
  Sans) on white and composited onto \`test/fixtures/photos/pier.jpg\`.

${Object.entries(s.environment)
  .map(([k, v]) => `${k}: ${v}.`)
  .join(' ')}

${tables.replaceAll('### ', '#### ')}

#### Notes generated from this run

${renderNotes(s) || '- none'}`;
}
