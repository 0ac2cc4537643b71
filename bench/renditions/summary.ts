/**
 * From raw samples to the figures the report shows: per cell (contender x request x source format) the median
 * time with S3 priced in, renditions per second, output size; the speed-ups of ours and of a stored rendition
 * over the reference pipeline, as geometric means over cells; and how they move with S3's first-byte latency.
 */

import { median, sum } from '../../test/support/stats';
import type { SourceFormat } from './corpus';
import { type IoModel, priced } from './io';
import { type IoOp, requestCounts } from './io-trace';
import type { MixRequest } from './requests';
import type { Contender, Sample } from './run';
import { geometricMean } from './stats';

export interface Cell {
  contender: Contender;
  request: string;
  format: SourceFormat;
  /** Samples with a time; 0 when the contender cannot do the request (see `error`). */
  n: number;
  /** Until the answer goes out: what the client waits for. */
  medianMs: number;
  medianComputeMs: number;
  medianIoMs: number;
  /** Until the invocation ends (ours: after the rendition is stored), what is billed. */
  medianEndMs: number;
  /** Requests of each kind one request makes (the first sample's: every sample of a cell makes the same). */
  requests: Record<IoOp, number>;
  /** One at a time: samples / the sum of their times. */
  perSecond: number;
  medianKb: number;
  /** Samples whose output was not the expected size. */
  wrongSize: number;
  error?: string;
}

export interface Speedup {
  label: string;
  value: number;
  /** Cells in the mean, and the cells left out because the reference pipeline cannot do them. */
  cells: number;
  excluded: string[];
}

const key = (contender: string, request: string, format: string) => `${contender}|${request}|${format}`;

/** Median figures per contender, request and source format, under the I/O model. */
export function cells(samples: Sample[], model: IoModel): Map<string, Cell> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const k = key(sample.contender, sample.request, sample.format);
    groups.set(k, [...(groups.get(k) ?? []), sample]);
  }
  const out = new Map<string, Cell>();
  for (const [k, group] of groups) {
    const first = group[0] as Sample;
    const timed = group.filter((s) => !s.error);
    const timelines = timed.map((s) => priced(s.trace, model));
    const totals = timelines.map((t) => t.answerMs);
    out.set(k, {
      contender: first.contender,
      request: first.request,
      format: first.format,
      n: timed.length,
      medianMs: median(totals),
      medianComputeMs: median(timelines.map((t) => t.computeMs)),
      medianIoMs: median(timelines.map((t) => t.answerMs - t.computeMs)),
      medianEndMs: median(timelines.map((t) => t.endMs)),
      requests: requestCounts(first.trace),
      perSecond: timed.length > 0 ? (timed.length / sum(totals)) * 1000 : Number.NaN,
      medianKb: median(timed.map((s) => s.outBytes / 1024)),
      wrongSize: timed.filter((s) => !s.sizeOk).length,
      error: group.find((s) => s.error)?.error,
    });
  }
  return out;
}

export const cellOf = (table: Map<string, Cell>, contender: Contender, request: string, format: string) =>
  table.get(key(contender, request, format));

/** Reference time / contender time in one cell; undefined when either has no time there. */
export function cellSpeedup(
  table: Map<string, Cell>,
  contender: Contender,
  request: string,
  format: string,
): number | undefined {
  const mine = cellOf(table, contender, request, format);
  const reference = cellOf(table, 'dit', request, format);
  if (!mine?.n || !reference?.n) return undefined;
  return reference.medianMs / mine.medianMs;
}

/** Geometric mean over the cells of `requests` x `formats` of the reference's median over the contender's. */
export function meanSpeedup(
  table: Map<string, Cell>,
  contender: Contender,
  requests: MixRequest[],
  formats: readonly SourceFormat[],
  label: string,
): Speedup {
  const values: number[] = [];
  const excluded: string[] = [];
  for (const request of requests) {
    for (const format of formats) {
      const value = cellSpeedup(table, contender, request.name, format);
      if (value === undefined) excluded.push(`${request.name} from ${format}`);
      else values.push(value);
    }
  }
  return { label, value: geometricMean(values), cells: values.length, excluded };
}

/** The two headline speed-ups of issue 14 under one I/O model. */
export function headline(
  samples: Sample[],
  model: IoModel,
  mix: MixRequest[],
  formats: readonly SourceFormat[],
): { ours: Speedup; stored: Speedup; storedSmall: Speedup } {
  const table = cells(samples, model);
  const small = mix.filter((r) => r.longestSide <= 1024);
  return {
    ours: meanSpeedup(table, 'ours', small, formats, 'ours (not yet stored) vs reference, outputs up to 1024 px'),
    stored: meanSpeedup(table, 'stored', mix, formats, 'stored rendition vs reference, whole mix'),
    storedSmall: meanSpeedup(table, 'stored', small, formats, 'stored rendition vs reference, outputs up to 1024 px'),
  };
}

/** The headline speed-ups for several S3 first-byte latencies, everything else unchanged. */
export function sensitivity(
  samples: Sample[],
  model: IoModel,
  mix: MixRequest[],
  formats: readonly SourceFormat[],
  firstByteMs: number[],
): { firstByteMs: number; ours: number; stored: number }[] {
  return firstByteMs.map((latency) => {
    const figures = headline(samples, { ...model, s3FirstByteMs: latency }, mix, formats);
    return { firstByteMs: latency, ours: figures.ours.value, stored: figures.stored.value };
  });
}

/**
 * The cells to say plainly: where ours is under 3x the reference (or slower), where Pillow beats ours, and where
 * the reference cannot answer at all.
 */
export function weakSpots(mix: MixRequest[], table: Map<string, Cell>, formats: readonly SourceFormat[]): string[] {
  const lines: string[] = [];
  for (const request of mix) {
    for (const format of formats) {
      const where = `${request.label} from ${format}`;
      const vsReference = cellSpeedup(table, 'ours', request.name, format);
      if (vsReference !== undefined && vsReference < 1) {
        lines.push(`${where}: ours is SLOWER than (b), ${vsReference.toFixed(2)}x its speed.`);
      } else if (vsReference !== undefined && vsReference < 3) {
        lines.push(`${where}: ours ${vsReference.toFixed(2)}x faster than (b), under 3x.`);
      }
      const ours = cellOf(table, 'ours', request.name, format);
      const pillow = cellOf(table, 'pillow', request.name, format);
      if (ours?.n && pillow?.n && pillow.medianMs < ours.medianMs) {
        lines.push(
          `${where}: Pillow is faster than ours (${pillow.medianMs.toFixed(0)} vs ${ours.medianMs.toFixed(0)} ms).`,
        );
      }
      const reference = cellOf(table, 'dit', request.name, format);
      if (reference && reference.n === 0 && reference.error) lines.push(`${where}: (b) fails: ${reference.error}`);
    }
  }
  return lines;
}
