/** Tallies of a fuzz run and the summary the runner prints (and test/fuzz/README.md records). */
import type { RejectionCode } from '../../lambdas/core/record';
import { type FindingKind, isFinding } from './judge';
import type { FuzzFormat } from './mutation';
import type { CaseResult } from './sandbox';

interface FormatTally {
  inputs: number;
  processed: number;
  rejected: number;
  findings: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const share = (count: number, total: number): string => `${((100 * count) / Math.max(1, total)).toFixed(1)} %`;
const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

export class Stats {
  inputs = 0;
  processed = 0;
  readonly rejections = new Map<RejectionCode, number>();
  readonly findings = new Map<FindingKind, number>();
  readonly formats = new Map<FuzzFormat, FormatTally>();
  private readonly times: number[] = [];
  slowest = { ms: 0, label: '' };
  hungriest = { rssMb: 0, label: '' };

  add(format: FuzzFormat, label: string, { verdict, ms, peakRssMb }: CaseResult): void {
    this.inputs++;
    this.times.push(ms);
    const tally = this.formats.get(format) ?? { inputs: 0, processed: 0, rejected: 0, findings: 0, maxMs: 0 };
    this.formats.set(format, tally);
    tally.inputs++;
    tally.maxMs = Math.max(tally.maxMs, ms);
    if (verdict.kind === 'PROCESSED') {
      this.processed++;
      tally.processed++;
    } else if (verdict.kind === 'REJECTED') {
      this.rejections.set(verdict.code, (this.rejections.get(verdict.code) ?? 0) + 1);
      tally.rejected++;
    } else if (isFinding(verdict)) {
      this.findings.set(verdict.kind, (this.findings.get(verdict.kind) ?? 0) + 1);
      tally.findings++;
    }
    if (ms > this.slowest.ms) this.slowest = { ms, label };
    if (peakRssMb > this.hungriest.rssMb) this.hungriest = { rssMb: peakRssMb, label };
  }

  get findingCount(): number {
    return [...this.findings.values()].reduce((sum, n) => sum + n, 0);
  }

  /** The multi-line summary: outcomes, rejections by code, findings by kind, speed, time and memory per input. */
  summary(header: string, seconds: number, extra: string[] = []): string {
    const rejected = [...this.rejections.values()].reduce((sum, n) => sum + n, 0);
    const sorted = [...this.times].sort((a, b) => a - b);
    const codes = [...this.rejections].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`);
    const kinds = [...this.findings].map(([kind, n]) => `${kind} ${n}`);
    const lines = [
      `${header}: ${this.inputs} inputs in ${seconds.toFixed(1)} s (${(this.inputs / seconds).toFixed(1)} inputs/s)`,
      `  PROCESSED  ${this.processed} (${share(this.processed, this.inputs)})`,
      `  REJECTED   ${rejected} (${share(rejected, this.inputs)}): ${codes.join(', ') || '-'}`,
      `  findings   ${this.findingCount}${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''}`,
      `  per input  p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(this.slowest.ms)} (${this.slowest.label})`,
      `  peak RSS   max ${this.hungriest.rssMb} MiB (${this.hungriest.label})`,
      ...extra.map((line) => `  ${line}`),
      '',
      '  format  inputs  PROCESSED  REJECTED  findings  max time',
      ...[...this.formats].map(
        ([format, t]) =>
          `  ${format.padEnd(6)}  ${String(t.inputs).padStart(6)}  ${String(t.processed).padStart(9)}  ${String(t.rejected).padStart(8)}  ${String(t.findings).padStart(8)}  ${ms(t.maxMs).padStart(8)}`,
      ),
    ];
    return lines.join('\n');
  }
}
