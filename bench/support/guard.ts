/**
 * The regression guard's table: each figure as the baseline commit and this tree measured it in the same run, how
 * far it moved, and whether that is a regression. A figure regresses when it is worse by more than the tolerance:
 * on 2 shared cores, alternating runs of the same commit differ by a few per cent, so smaller moves are noise.
 */
import { table } from '../../test/support/markdown';

/** Worse by more than this share is a regression (`--tolerance` changes it). */
export const DEFAULT_TOLERANCE = 0.1;

export interface GuardFigure {
  figure: string;
  unit: string;
  baseline: number;
  ours: number;
  /** `lower`: a time; `higher`: a rate or a speed-up. */
  better: 'lower' | 'higher';
}

/** How much worse this tree is than the baseline, as a share (negative: better). */
export function worsening({ baseline, ours, better }: GuardFigure): number {
  return better === 'lower' ? ours / baseline - 1 : baseline / ours - 1;
}

export function regressions(figures: GuardFigure[], tolerance = DEFAULT_TOLERANCE): GuardFigure[] {
  return figures.filter((figure) => worsening(figure) > tolerance);
}

const shown = (value: number, unit: string) =>
  unit === 'x' ? `${value.toFixed(2)}x` : `${value.toFixed(unit === 'ms' && value >= 10 ? 0 : 2)} ${unit}`;

/** The Markdown table, one row a figure; `moved` is signed in the figure's own direction (+ is larger). */
export function guardTable(figures: GuardFigure[], labels: { baseline: string; ours: string }, tolerance: number) {
  return table(
    ['figure', labels.baseline, labels.ours, 'moved', 'verdict'],
    figures.map((figure) => {
      const moved = figure.ours / figure.baseline - 1;
      const worse = worsening(figure);
      const verdict = worse > tolerance ? 'REGRESSED' : worse < -tolerance ? 'better' : 'same (within noise)';
      return [
        figure.figure,
        shown(figure.baseline, figure.unit),
        shown(figure.ours, figure.unit),
        `${moved >= 0 ? '+' : ''}${(moved * 100).toFixed(1)} %`,
        verdict,
      ];
    }),
  );
}
