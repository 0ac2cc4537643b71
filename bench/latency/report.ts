/** The latency bench's figures: per configuration, side by side, the targets, and every upload accounted for. */

import { percentile } from '../../test/support/load/report';
import type { LoadRun } from '../../test/support/load/run';
import type { MachineInfo } from '../../test/support/machine';
import type { LatencyConfig, SingleRun, SingleSample } from './single';

export interface Percentiles {
  p50: number;
  p90: number;
  max: number;
}

/** One burst run of one configuration. */
export interface BurstRun {
  config: string;
  /** 1-based position among all burst runs of the bench (they alternate: new, old, old, new...). */
  order: number;
  run: LoadRun;
}

export interface BurstFigures {
  config: string;
  order: number;
  uploads: number;
  /** The first upload's start to the last completion event. */
  drainSeconds: number;
  imagesPerSecond: number;
  /** The first upload's start to S3 accepting the last one. */
  sendSeconds: number;
  latencyP50Ms: number;
  cpuSeconds: LoadRun['cpuSeconds'];
  /** CPU of the runner, its moto and the bench client, per image. */
  cpuMsPerImage: number;
  /** That CPU over the drain time: how many of the machine's cores the run kept busy. */
  coresBusy: number;
  poller: LoadRun['poller'];
  processing: LoadRun['processing'];
}

export interface ConfigFigures {
  name: string;
  label: string;
  /** The runner flags beyond `--inference none`. */
  args: string[];
  /** What the runner reported in its ready file (the single-upload runner's; the burst runners' agree or are listed). */
  processing: SingleRun['runners'][string]['processing'];
  single: {
    n: number;
    /** Upload start (before POST /uploads) to the completion event at a subscriber. */
    totalMs: Percentiles;
    /** Upload start to S3 accepting the presigned POST: the client's share. */
    uploadMs: Percentiles;
    /** S3 POST done to the event's `occurredAt`: queue, batching, the processor. */
    processorMs: Percentiles;
    /** `occurredAt` to the subscriber receiving it: the postings' writes, PutEvents, EventBridge, the subscriber queue. */
    deliveryMs: Percentiles;
    warmUpMs?: number;
    poller: SingleRun['runners'][string]['poller'];
  };
  bursts: BurstFigures[];
  /** Means over its burst runs. */
  drainSeconds: number;
  imagesPerSecond: number;
  cpuMsPerImage: number;
  coresBusy: number;
}

export interface Target {
  target: string;
  measured: string;
  pass: boolean;
}

export interface LatencySummary {
  command: string;
  startedAt: string;
  wallSeconds: number;
  machine: MachineInfo;
  loadBefore: string;
  loadAfter: string;
  photo: { file: string; bytes: number; width: number; height: number; provenance: string };
  options: { count: number; pauseMs: number; burst: number; burstConcurrency: number; burstRounds: number };
  configs: ConfigFigures[];
  /** old / new: how many times faster the new settings are. */
  speedUp: { singleP50: number; drain: number };
  targets: Target[];
  /** Uploads not ending in exactly one Image Processed event and a PROCESSED record; empty when all is well. */
  problems: string[];
}

const SINGLE_P50_TARGET_MS = 1500;
const DRAIN_SPEED_UP_TARGET = 1.5;

const spread = (values: number[]): Percentiles => ({
  p50: percentile(values, 50),
  p90: percentile(values, 90),
  max: values.length > 0 ? Math.max(...values) : Number.NaN,
});
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** What each upload owes: no upload error, exactly one completion event, an Image Processed, a PROCESSED record. */
function uploadProblems(
  what: string,
  samples: Pick<SingleSample, 'imageId' | 'error' | 'events' | 'status'>[],
): string[] {
  const bad = samples.filter(
    (s) =>
      !s.imageId ||
      s.error ||
      s.events.length !== 1 ||
      s.events[0]?.type !== 'Image Processed' ||
      s.status !== 'PROCESSED',
  );
  return bad.map(
    (s) =>
      `${what}: ${s.imageId ?? 'no image id'}: ${s.error ?? ''} events [${s.events.map((e) => e.type).join(', ')}], ` +
      `record ${s.status ?? 'unknown'}`,
  );
}

function burstFigures(burst: BurstRun): BurstFigures {
  const { samples } = burst.run;
  const first = Math.min(...samples.map((s) => s.startMs));
  const drainMs = burst.run.endMs - first;
  const { runner = Number.NaN, moto = Number.NaN, client } = burst.run.cpuSeconds;
  const cpu = runner + moto + client;
  return {
    config: burst.config,
    order: burst.order,
    uploads: samples.length,
    drainSeconds: drainMs / 1000,
    imagesPerSecond: (samples.length / drainMs) * 1000,
    sendSeconds: (Math.max(...samples.map((s) => s.uploadedMs ?? s.startMs)) - first) / 1000,
    latencyP50Ms: percentile(
      samples.filter((s) => s.events[0]).map((s) => (s.events[0]?.atMs as number) - s.startMs),
      50,
    ),
    cpuSeconds: burst.run.cpuSeconds,
    cpuMsPerImage: (cpu / samples.length) * 1000,
    coresBusy: cpu / (drainMs / 1000),
    poller: burst.run.poller,
    processing: burst.run.processing,
  };
}

export function summarise(input: {
  command: string;
  configs: LatencyConfig[];
  singles: SingleRun;
  bursts: BurstRun[];
  photo: LatencySummary['photo'];
  options: LatencySummary['options'];
  machine: MachineInfo;
  loadBefore: string;
  loadAfter: string;
  wallSeconds: number;
}): LatencySummary {
  const problems: string[] = [];
  const configs = input.configs.map((config): ConfigFigures => {
    const mine = input.singles.samples.filter((s) => s.config === config.name);
    problems.push(...uploadProblems(`${config.name} single`, mine));
    const timed = mine.filter((s) => !s.warmUp && s.events[0] && s.uploadedMs !== undefined);
    const from = (pick: (s: SingleSample) => number | undefined, to: (s: SingleSample) => number | undefined) =>
      spread(
        timed
          .map((s) => [pick(s), to(s)])
          .filter((pair): pair is [number, number] => pair[0] !== undefined && pair[1] !== undefined)
          .map(([a, b]) => b - a),
      );
    const eventAt = (s: SingleSample) => s.events[0]?.atMs;
    const warmUp = mine.find((s) => s.warmUp);
    const bursts = input.bursts.filter((b) => b.config === config.name).map(burstFigures);
    for (const burst of input.bursts.filter((b) => b.config === config.name)) {
      const what = `${config.name} burst #${burst.order}`;
      problems.push(...uploadProblems(what, burst.run.samples));
      if (burst.run.strayEvents > 0) problems.push(`${what}: ${burst.run.strayEvents} stray events`);
      if (!burst.run.queueDrained) problems.push(`${what}: the ingest queue did not drain`);
    }
    const runner = input.singles.runners[config.name];
    const drainSeconds = mean(bursts.map((b) => b.drainSeconds));
    return {
      name: config.name,
      label: config.label,
      args: runner?.args ?? [],
      processing: runner?.processing,
      single: {
        n: timed.length,
        totalMs: from((s) => s.startMs, eventAt),
        uploadMs: from(
          (s) => s.startMs,
          (s) => s.uploadedMs,
        ),
        processorMs: from(
          (s) => s.uploadedMs,
          (s) => s.publishedMs,
        ),
        deliveryMs: from((s) => s.publishedMs, eventAt),
        warmUpMs: warmUp?.events[0] ? warmUp.events[0].atMs - warmUp.startMs : undefined,
        poller: runner?.poller,
      },
      bursts,
      drainSeconds,
      imagesPerSecond: input.options.burst / drainSeconds,
      cpuMsPerImage: mean(bursts.map((b) => b.cpuMsPerImage)),
      coresBusy: mean(bursts.map((b) => b.coresBusy)),
    };
  });
  const [fresh, old] = configs as [ConfigFigures, ConfigFigures];
  const speedUp = {
    singleP50: old.single.totalMs.p50 / fresh.single.totalMs.p50,
    drain: old.drainSeconds / fresh.drainSeconds,
  };
  const targets: Target[] = [
    {
      target: `${fresh.name}: one 12 MP JPEG, upload start to Image Processed, p50 <= ${SINGLE_P50_TARGET_MS} ms`,
      measured: `${fresh.single.totalMs.p50.toFixed(0)} ms`,
      pass: fresh.single.totalMs.p50 <= SINGLE_P50_TARGET_MS,
    },
    {
      target: `${input.options.burst}-upload burst: ${fresh.name} drains >= ${DRAIN_SPEED_UP_TARGET}x faster than ${old.name}`,
      measured: `${speedUp.drain.toFixed(2)}x (${fresh.drainSeconds.toFixed(1)} s vs ${old.drainSeconds.toFixed(1)} s)`,
      pass: speedUp.drain >= DRAIN_SPEED_UP_TARGET,
    },
  ];
  const { command, machine, loadBefore, loadAfter, wallSeconds, photo, options } = input;
  const startedAt = input.singles.startedAt;
  return {
    command,
    startedAt,
    wallSeconds,
    machine,
    loadBefore,
    loadAfter,
    photo,
    options,
    configs,
    speedUp,
    targets,
    problems,
  };
}
