/**
 * A precision-recall curve as a small SVG, drawn by hand (no charting package in the project): the curve as a
 * polyline, the two precision targets as dashed lines, and the operating points marked, so a reader sees where the
 * calibrated thresholds sit on what the model can do.
 */
import type { Counts, CurvePoint } from './score';

/** An operating point to mark: its counts at a set of thresholds. */
export interface Mark {
  label: string;
  counts: Counts;
  style: 'shown' | 'found' | 'before-shown' | 'before-found';
}

const WIDTH = 440;
const PLOT = { left: 48, top: 30, size: 260 };
const LEGEND_TOP = PLOT.top + PLOT.size + 54;
const BLUE = '#1f5fbf';
const GREY = '#8a8a8a';

const px = (n: number) => n.toFixed(1);
const x = (recall: number) => PLOT.left + recall * PLOT.size;
const y = (precision: number) => PLOT.top + (1 - precision) * PLOT.size;
const pct = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n * 100)} %`);
const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function marker(style: Mark['style'], cx: number, cy: number): string {
  const colour = style.startsWith('before') ? GREY : BLUE;
  const fill = style.endsWith('shown') ? colour : 'white';
  if (style.startsWith('before'))
    return `<rect x="${px(cx - 4.5)}" y="${px(cy - 4.5)}" width="9" height="9" fill="${fill}" stroke="${colour}" stroke-width="2"/>`;
  return `<circle cx="${px(cx)}" cy="${px(cy)}" r="5" fill="${fill}" stroke="${colour}" stroke-width="2"/>`;
}

/** The SVG of one curve, with its operating points and the precision targets. */
export function curveSvg(
  title: string,
  points: readonly CurvePoint[],
  marks: readonly Mark[],
  targets: { shown: number; found?: number },
): string {
  const height = LEGEND_TOP + marks.length * 18 + 8;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xmlText(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${PLOT.left}" y="18" font-size="13" font-weight="bold">${xmlText(title)}</text>`,
  ];
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(
      `<line x1="${px(x(tick))}" y1="${PLOT.top}" x2="${px(x(tick))}" y2="${PLOT.top + PLOT.size}" stroke="#e4e4e4"/>`,
      `<line x1="${PLOT.left}" y1="${px(y(tick))}" x2="${PLOT.left + PLOT.size}" y2="${px(y(tick))}" stroke="#e4e4e4"/>`,
      `<text x="${px(x(tick))}" y="${PLOT.top + PLOT.size + 14}" text-anchor="middle">${tick}</text>`,
      `<text x="${PLOT.left - 6}" y="${px(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  out.push(
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.size}" height="${PLOT.size}" fill="none" stroke="#444"/>`,
    `<text x="${px(x(0.5))}" y="${PLOT.top + PLOT.size + 30}" text-anchor="middle">recall</text>`,
    `<text x="14" y="${px(y(0.5))}" text-anchor="middle" transform="rotate(-90 14 ${px(y(0.5))})">precision</text>`,
  );
  const targetLines = [
    { precision: targets.shown, label: 'shown target' },
    ...(targets.found === undefined ? [] : [{ precision: targets.found, label: 'found target' }]),
  ];
  for (const { precision, label } of targetLines) {
    out.push(
      `<line x1="${PLOT.left}" y1="${px(y(precision))}" x2="${PLOT.left + PLOT.size}" y2="${px(y(precision))}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
      `<text x="${PLOT.left + PLOT.size + 10}" y="${px(y(precision) + 4)}" fill="#c0392b">${label} ${precision}</text>`,
    );
  }
  const line = points
    .filter((p) => p.precision !== undefined && p.recall !== undefined)
    .map((p) => `${px(x(p.recall ?? 0))},${px(y(p.precision ?? 0))}`);
  if (line.length > 0) out.push(`<polyline points="${line.join(' ')}" fill="none" stroke="#333" stroke-width="1.5"/>`);
  // The calibration before first, so this run's mark shows on top where the two are the same point.
  for (const mark of [...marks].sort(
    (a, b) => Number(b.style.startsWith('before')) - Number(a.style.startsWith('before')),
  )) {
    const { precision, recall } = mark.counts;
    // Nothing said: no precision to place the point at, so the legend alone says it.
    if (precision !== undefined && recall !== undefined) out.push(marker(mark.style, x(recall), y(precision)));
  }
  for (const [i, mark] of marks.entries()) {
    const top = LEGEND_TOP + i * 18;
    out.push(
      marker(mark.style, PLOT.left + 5, top - 4),
      `<text x="${PLOT.left + 16}" y="${top}">${xmlText(mark.label)}: precision ${pct(mark.counts.precision)}, recall ${pct(mark.counts.recall)} (TP ${mark.counts.tp}, FP ${mark.counts.fp}, FN ${mark.counts.fn})</text>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
