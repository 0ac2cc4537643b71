/** What counts as a pass for one fuzz input, shared by the runner's child process and the jest short fuzz. */

import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import type { AnalyzeOptions } from '../../lambdas/core/options';
import { AnalysisRecordSchema, type RejectionCode } from '../../lambdas/core/record';

/** The production defaults, except that GPS is read: that code only runs when asked for, so ask. */
export const FUZZ_ANALYZE_OPTIONS: AnalyzeOptions = { includeGps: true };

/** PROCESSED and REJECTED are the only acceptable ends; everything else is a finding. */
export type Verdict =
  | { kind: 'PROCESSED' }
  | { kind: 'REJECTED'; code: RejectionCode }
  | { kind: FindingKind; detail: string };

export type FindingKind =
  /** A FAILED record: analyzeImage met an unexpected error, by its own definition our fault. */
  | 'FAILED'
  /** analyzeImage threw, which it promises never to do. */
  | 'THREW'
  /** The record does not match its schema, or the thumbnails do not match the record. */
  | 'INVALID_RECORD'
  /** The process running it died (native crash, abort, V8 heap exhaustion). */
  | 'CRASH'
  | 'TIMEOUT'
  /** Resident memory went over the bound. */
  | 'OOM';

export const isFinding = (verdict: Verdict): verdict is { kind: FindingKind; detail: string } =>
  verdict.kind !== 'PROCESSED' && verdict.kind !== 'REJECTED';

const firstLine = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0] ?? '';

/** Runs one input through analyzeImage and says how it ended. Never throws. */
export async function judge(bytes: Buffer, options: AnalyzeOptions = {}): Promise<Verdict> {
  try {
    const { record, thumbnails } = await analyzeImage(bytes, options);
    const parsed = AnalysisRecordSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'INVALID_RECORD', detail: `${record.status}: ${issue?.path.join('.')} ${issue?.message}` };
    }
    if (record.status === 'FAILED') return { kind: 'FAILED', detail: record.error.message };
    if (record.status === 'REJECTED') {
      return thumbnails.length === 0
        ? { kind: 'REJECTED', code: record.rejection.code }
        : { kind: 'INVALID_RECORD', detail: 'REJECTED with thumbnails' };
    }
    const sizes = new Set(thumbnails.map((thumbnail) => thumbnail.size));
    if (thumbnails.length !== record.thumbnails.length || thumbnails.some((t) => t.data.length !== t.bytes)) {
      return { kind: 'INVALID_RECORD', detail: `thumbnails ${[...sizes].join(',')} disagree with the record` };
    }
    return { kind: 'PROCESSED' };
  } catch (error) {
    return { kind: 'THREW', detail: firstLine(error) };
  }
}

/** A one-line label: `PROCESSED`, `REJECTED CORRUPT_IMAGE` or `FAILED: <detail>`. */
export function describeVerdict(verdict: Verdict): string {
  if (verdict.kind === 'PROCESSED') return verdict.kind;
  if (verdict.kind === 'REJECTED') return `REJECTED ${verdict.code}`;
  return `${verdict.kind}: ${verdict.detail}`;
}
