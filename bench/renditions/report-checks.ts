/** The report's tables about quality, encoders and the corpus, and the Markdown helpers both report files use. */

import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import type { RenditionsCorpus, SourceFormat } from './corpus';
import type { EncoderRow } from './encoders';
import type { FidelityRow, PathFloorRow } from './fidelity';
import type { MixRequest } from './requests';

export const fixed =
  (digits: number, suffix = '') =>
  (n: number | undefined) =>
    n === undefined || Number.isNaN(n) ? '-' : `${n.toFixed(digits)}${suffix}`;
export const [f0, f1, f2, f3, times] = [fixed(0), fixed(1), fixed(2), fixed(3), fixed(2, 'x')];

export function encoderTable(rows: EncoderRow[]): string {
  return table(
    ['request', 'output', 'ours: settings', 'ms', 'KB', '(b): settings', 'ms', 'KB'],
    rows.map((r) => [
      r.request,
      `${r.width}x${r.height} ${r.format}`,
      r.ours.settings,
      f1(r.ours.ms),
      f1(r.ours.kb),
      r.reference.settings,
      f1(r.reference.ms),
      f1(r.reference.kb),
    ]),
  );
}

const JPEG_SOURCES: readonly SourceFormat[] = ['jpeg-baseline', 'jpeg-progressive'];

/**
 * One row per request and kind of original: from a JPEG both renditions take the same path (shrink while
 * decoding), from the others the original's is cut then resized, which places the cut up to half an output pixel
 * differently, and SSIM counts that too; the path-floor column gives the size of that effect alone.
 */
export function fidelityTable(input: {
  mix: MixRequest[];
  fidelity: FidelityRow[];
  pathFloor: PathFloorRow[];
}): string {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows: string[][] = [];
  for (const request of input.mix) {
    const floor = input.pathFloor.filter((r) => r.request === request.name).map((r) => r.ssim);
    for (const jpeg of [true, false]) {
      const mine = input.fidelity.filter((r) => r.request === request.name && JPEG_SOURCES.includes(r.format) === jpeg);
      if (mine.length === 0) continue;
      const pick = (field: 'ssim' | 'psnrDb' | 'ssimCopyVsLossless' | 'ssimOriginalVsLossless') =>
        mine.map((r) => r[field]);
      rows.push([
        request.label,
        jpeg ? 'JPEG' : 'PNG, HEIC, AVIF',
        mine[0]?.source ?? '',
        `${f3(mean(pick('ssim')))} / ${f3(Math.min(...pick('ssim')))}`,
        `${f1(mean(pick('psnrDb')))} / ${f1(Math.min(...pick('psnrDb')))}`,
        f3(mean(pick('ssimCopyVsLossless'))),
        f3(mean(pick('ssimOriginalVsLossless'))),
        jpeg || floor.length === 0 ? '' : f3(mean(floor)),
      ]);
    }
  }
  return table(
    [
      'request',
      'originals',
      'ours renders from',
      'SSIM copy vs original, mean / min',
      'PSNR dB, mean / min',
      'SSIM vs lossless: from the copy',
      'from the original',
      'path floor: SSIM of JPEG vs PNG original, lossless',
    ],
    rows,
  );
}

export function corpusTable(corpus: RenditionsCorpus, formats: SourceFormat[]): string {
  return table(
    ['format', 'originals', 'size', 'MB (median)', 'stored 1024 px WebP copy KB (median)'],
    formats.map((format) => {
      const mine = corpus.originals.filter((o) => o.format === format);
      const copies = mine.flatMap((o) => o.thumbnails.filter((t) => t.size === 1024).map((t) => t.bytes / 1024));
      return [
        format,
        String(mine.length),
        `${mine[0]?.width}x${mine[0]?.height}`,
        f2(median(mine.map((o) => o.bytes / 1e6))),
        f0(median(copies)),
      ];
    }),
  );
}
