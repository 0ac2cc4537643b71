/** The load run's figures: what every upload became, how fast, and the markdown and console summaries. */
import { describeMachine } from '../machine';
import { table } from '../markdown';
import type { LoadRun, UploadSample } from './run';

export interface PhaseFigures {
  uploads: number;
  /**
   * Completion events heard while the phase ran, per second: the steady phase runs from the first upload to the
   * burst, the burst from then to the last event (so its figure is the rate a backlog drains at).
   */
  imagesPerSecond: number;
  /** Upload start (before POST /uploads) to the arrival of the image's completion event at a subscriber. */
  latencyMs: { p50: number; p95: number; max: number };
  /** Upload start to S3 accepting the presigned POST: the client's share of the latency. */
  uploadMs: { p50: number; p95: number };
}

export interface LoadSummary {
  command: string;
  startedAt: string;
  options: LoadRun['options'];
  durationSeconds: number;
  /** Steady phase: uploads started per second, as measured. */
  offeredRate: number;
  /** Burst phase: seconds the client took to send every burst upload. */
  burstSendSeconds: number;
  phases: { steady: PhaseFigures; burst: PhaseFigures; overall: PhaseFigures };
  /** Record status of every upload (NOT_FOUND: a ticket was issued but there is no record; NO_ID: no ticket). */
  statuses: Record<string, number>;
  /** Every upload is in exactly one status bucket. */
  accountedFor: boolean;
  /** The API or S3 refused the upload itself. */
  uploadErrors: number;
  /** Uploaded, but no PROCESSED, REJECTED or FAILED record at the end. */
  lost: number;
  /** Images with more than one completion event. */
  duplicated: number;
  /** Images with a final record but no completion event heard. */
  withoutEvent: number;
  strayEvents: number;
  queueDrained: boolean;
  poller: LoadRun['poller'];
  memory: { runnerPeakMb?: number; runnerStartMb?: number; runnerEndMb?: number; motoPeakMb?: number };
  cpuSeconds: LoadRun['cpuSeconds'];
  machine: LoadRun['machine'];
  emulator: string;
  loadBefore: string;
  loadAfter: string;
}

const FINAL = new Set(['PROCESSED', 'REJECTED', 'FAILED']);

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/**
 * `samples` are the phase's uploads (for latency); `window` is when the phase ran (for throughput: every
 * completion event heard in it, whichever phase its image belongs to).
 */
function phaseFigures(samples: UploadSample[], all: UploadSample[], window: [number, number]): PhaseFigures {
  const done = samples.filter((s) => s.events.length > 0);
  const latencies = done.map((s) => (s.events[0]?.atMs as number) - s.startMs);
  const uploads = samples.filter((s) => s.uploadedMs !== undefined).map((s) => (s.uploadedMs as number) - s.startMs);
  const [from, to] = window;
  const heard = all.filter((s) => s.events[0] && s.events[0].atMs >= from && s.events[0].atMs <= to).length;
  return {
    uploads: samples.length,
    imagesPerSecond: to > from ? (heard / (to - from)) * 1000 : 0,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
    },
    uploadMs: { p50: percentile(uploads, 50), p95: percentile(uploads, 95) },
  };
}

export function summarise(run: LoadRun, command: string): LoadSummary {
  const { samples } = run;
  const steady = samples.filter((s) => s.phase === 'steady');
  const burst = samples.filter((s) => s.phase === 'burst');
  const statuses: Record<string, number> = {};
  for (const sample of samples) {
    const status = sample.status ?? 'NO_ID';
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const starts = steady.map((s) => s.startMs);
  const first = Math.min(...samples.map((s) => s.startMs));
  const timeline = run.memory.timeline;
  return {
    command,
    startedAt: run.startedAt,
    options: run.options,
    durationSeconds: run.endMs / 1000,
    offeredRate: starts.length > 1 ? ((starts.length - 1) / (Math.max(...starts) - Math.min(...starts))) * 1000 : 0,
    burstSendSeconds:
      burst.length > 0 ? (Math.max(...burst.map((s) => s.uploadedMs ?? s.startMs)) - run.burstStartMs) / 1000 : 0,
    phases: {
      steady: phaseFigures(steady, samples, [first, burst.length > 0 ? run.burstStartMs : run.endMs]),
      burst: phaseFigures(burst, samples, [run.burstStartMs, run.endMs]),
      overall: phaseFigures(samples, samples, [first, run.endMs]),
    },
    statuses,
    accountedFor: Object.values(statuses).reduce((a, b) => a + b, 0) === samples.length,
    uploadErrors: samples.filter((s) => s.error).length,
    lost: samples.filter((s) => s.imageId && !s.error && !FINAL.has(s.status ?? '')).length,
    duplicated: samples.filter((s) => s.events.length > 1).length,
    withoutEvent: samples.filter((s) => FINAL.has(s.status ?? '') && s.events.length === 0).length,
    strayEvents: run.strayEvents,
    queueDrained: run.queueDrained,
    poller: run.poller,
    memory: {
      runnerPeakMb: run.memory.runnerPeakMb,
      runnerStartMb: timeline[0]?.runnerMb,
      runnerEndMb: timeline.at(-1)?.runnerMb,
      motoPeakMb: run.memory.motoPeakMb,
    },
    cpuSeconds: run.cpuSeconds,
    machine: run.machine,
    emulator: run.emulator,
    loadBefore: run.loadBefore,
    loadAfter: run.loadAfter,
  };
}

const f0 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));
const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));

/** CPU seconds, and per image. */
const cpu = (seconds: number | undefined, images: number) =>
  seconds === undefined ? '-' : `${f1(seconds)} s (${f0((seconds / images) * 1000)} ms per image)`;

function phaseRows(s: LoadSummary): string[][] {
  const { steady, burst, overall } = s.phases;
  const row = (label: string, p: PhaseFigures) => [
    label,
    String(p.uploads),
    f1(p.imagesPerSecond),
    f0(p.latencyMs.p50),
    f0(p.latencyMs.p95),
    f0(p.latencyMs.max),
    f0(p.uploadMs.p50),
  ];
  return [
    row(`steady (${f1(s.offeredRate)} uploads/s offered)`, steady),
    row(`burst (all at once, ${s.options.burstConcurrency} in flight; sent in ${f1(s.burstSendSeconds)} s)`, burst),
    row('overall', overall),
  ];
}

const PHASE_HEAD = ['phase', 'uploads', 'images/s', 'p50 ms', 'p95 ms', 'max ms', 'client upload p50 ms'];

/** bench/load/results.md */
export function renderMarkdown(s: LoadSummary): string {
  const statusOrder = ['PROCESSED', 'REJECTED', 'FAILED', 'PENDING', 'NOT_FOUND', 'NO_ID'];
  const statuses = statusOrder.filter((k) => s.statuses[k] !== undefined || FINAL.has(k));
  const poller = s.poller;
  const n = s.options.uploads;
  return `# Sustained load on the offline pipeline

\`${s.command}\`

${s.options.uploads} uploads through the API and presigned POSTs: ${s.phases.steady.uploads} at a steady rate, then ${s.phases.burst.uploads} at once.
Inference \`${s.options.inference}\`, runner concurrency ${s.options.concurrency} (SQS batches of up to 10 at once).
Started ${s.startedAt}; the last completion event came after ${f1(s.durationSeconds)} s.

${table(PHASE_HEAD, phaseRows(s))}

Latency is from the start of an upload (before POST /uploads) to the arrival of the image's completion event
(Image Processed / Rejected / Failed) at a subscriber queue on the bus, stamped within 10 ms of the
subscriber receiving it. images/s counts the completion events heard while a phase ran: the steady phase from
its first upload to the start of the burst (the offered rate, if the pipeline keeps up), the burst from its start
to the last event (the rate a backlog drains at). The client upload column is POST /uploads plus the presigned
POST, from the client's side.

## Every upload accounted for

${table(
  [...statuses, 'upload errors', 'lost', 'duplicated', 'final record without event', 'stray events'],
  [
    [
      ...statuses.map((k) => String(s.statuses[k] ?? 0)),
      String(s.uploadErrors),
      String(s.lost),
      String(s.duplicated),
      String(s.withoutEvent),
      String(s.strayEvents),
    ],
  ],
)}

Statuses are each image's record from GET /images/{id} after the ingest queue was empty${s.queueDrained ? '' : ' (it did **not** drain)'}.
Lost = uploaded but no PROCESSED, REJECTED or FAILED record; duplicated = more than one completion event for an image.

## The runner

- Poller: ${poller ? `${poller.batches} batches, ${poller.received} messages received, ${poller.succeeded} succeeded, ${poller.failed} failed, ${poller.redelivered} redelivered, ${poller.handlerErrors} handler errors` : 'stats unavailable'} (S3's \`s3:TestEvent\`, sent when the bucket notification is set up, is one message more than the uploads).
- Peak RSS (VmHWM): runner ${f0(s.memory.runnerPeakMb)} MB (RSS ${f0(s.memory.runnerStartMb)} MB at the start, ${f0(s.memory.runnerEndMb)} MB at the end); moto ${f0(s.memory.motoPeakMb)} MB.
- CPU from the first upload to the end: runner ${cpu(s.cpuSeconds.runner, n)}, moto ${cpu(s.cpuSeconds.moto, n)}, load client ${cpu(s.cpuSeconds.client, n)}.
- Emulator: ${s.emulator}, one Python process serving S3, SQS, DynamoDB and EventBridge; it does part of the work.

## Machine

${describeMachine(s.machine)}.
The load client, the runner and moto share it with whatever else was running; its load averages:

- before: \`${s.loadBefore}\`
- after: \`${s.loadAfter}\`
`;
}

/** What the script prints and the CI test logs. */
export function renderText(s: LoadSummary): string {
  const { steady, burst, overall } = s.phases;
  const phase = (label: string, p: PhaseFigures) =>
    `  ${label.padEnd(8)} ${String(p.uploads).padStart(5)} uploads  ${f1(p.imagesPerSecond).padStart(5)} images/s  ` +
    `latency p50 ${f0(p.latencyMs.p50)} ms, p95 ${f0(p.latencyMs.p95)} ms, max ${f0(p.latencyMs.max)} ms`;
  const statuses = Object.entries(s.statuses)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `load: ${s.command}`,
    phase('steady', steady),
    phase('burst', burst),
    phase('overall', overall),
    `  records: ${statuses}; upload errors ${s.uploadErrors}, lost ${s.lost}, duplicated ${s.duplicated}, ` +
      `without event ${s.withoutEvent}, stray events ${s.strayEvents}, queue drained ${s.queueDrained}`,
    `  poller: ${JSON.stringify(s.poller)}`,
    `  CPU: runner ${cpu(s.cpuSeconds.runner, s.options.uploads)}, moto ${cpu(s.cpuSeconds.moto, s.options.uploads)}`,
    `  peak RSS: runner ${f0(s.memory.runnerPeakMb)} MB, moto ${f0(s.memory.motoPeakMb)} MB; ` +
      `${s.machine.cores} cores; ${s.loadAfter}`,
  ].join('\n');
}

/**
 * bench/load/results.json: the summary, one flat row per upload (columns named once) and the memory samples,
 * short enough for the formatter to keep a row on one line. Upload i was made from the i-th photo of
 * test/fixtures/photos (sorted, cycling).
 */
export function resultsJson(summary: LoadSummary, run: Pick<LoadRun, 'samples' | 'memory'>): string {
  const columns = [
    'imageId',
    'phase',
    'startMs',
    'ticketMs',
    'uploadedMs',
    'firstEvent',
    'firstEventMs',
    'events',
    'status',
    'error',
  ];
  const rows = run.samples.map((s) => [
    s.imageId ?? null,
    s.phase,
    s.startMs,
    s.ticketMs ?? null,
    s.uploadedMs ?? null,
    s.events[0]?.type ?? null,
    s.events[0]?.atMs ?? null,
    s.events.length,
    s.status ?? null,
    s.error ?? null,
  ]);
  const mb = (value: number | undefined) => (value === undefined ? null : Math.round(value * 10) / 10);
  const memory = run.memory.timeline.map((m) => [m.tMs, mb(m.runnerMb), mb(m.motoMb)]);
  const results = {
    summary,
    sampleColumns: columns,
    samples: rows,
    memoryColumns: ['tMs', 'runnerRssMb', 'motoRssMb'],
    memory,
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}
