/**
 * Sustained load on the offline pipeline, made the way users make it: POST /uploads, then the presigned POST
 * straight to S3, then a subscriber on the bus hearing how each image ended.
 *
 * 1. Start the local runner (moto, the API, the processor) as its own process, and a subscriber of our own.
 * 2. Steady phase: `uploads - burst` uploads at `rate` per second, open loop: each starts at its scheduled time
 *    whether or not the ones before it have finished, so a pipeline that falls behind shows as growing latency
 *    instead of quietly lowering the offered rate.
 * 3. Burst: the last `burst` uploads at once, at most `burstConcurrency` in flight.
 * 4. Wait for each upload's completion event (giving up once none has arrived for `idleTimeoutMs`), then for the
 *    ingest queue to be empty, then a short settle, so that a late duplicate event would still be counted.
 * 5. Ask the API for every image's record, read the runner's poller stats and peak RSS, stop everything.
 *
 * Used by `bench/load/main.ts` (the script) and test/resilience/lifecycle/load.ts (the CI-size run, on the resilience
 * lifecycle's runner: `on`).
 */
import { randomBytes } from 'node:crypto';
import type { PollerStats } from '../../../lambdas/local/poller';
import type { RunningPipeline } from '../../../lambdas/local/runner';
import { clientsFor, EventCollector, queueDrained } from '../../e2e/support';
import { fixture, photoNames } from '../../fixtures';
import { type MachineInfo, machineInfo, uptime } from '../machine';
import { type RunnerProcess, type RunnerReady, startRunner } from '../runner-process';
import { childPids, commandOf, cpuSeconds, peakRssMb, rssMb } from './proc';
import { type UploadSample, uploadOne } from './upload';

export type { UploadSample } from './upload';

export interface LoadOptions {
  uploads: number;
  /** Uploads started per second in the steady phase. */
  rate: number;
  /** Uploads sent at once after the steady phase. */
  burst: number;
  /** The runner's inference. Default none: the load is on the pipeline, not on the models. */
  inference?: 'none' | 'offline';
  /** Burst uploads in flight at once. Default 32. */
  burstConcurrency?: number;
  /**
   * The runner's SQS batches processed at once. Default 2. `'default'`: no `--concurrency` flag, so the runner
   * takes the stack's (the event source's maximum concurrency, at most the machine's cores).
   */
  concurrency?: number | 'default';
  /** More flags for the runner after the bench's own, e.g. `['-c', 'processorBatchWindowSeconds=5']`. Default none. */
  runnerArgs?: string[];
  /** Stop waiting once no completion event has arrived for this long. Default 120 s. */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * Run on this runner instead of one of the run's own (the caller's to stop; `inference` and `concurrency` then
   * only describe how it was started): its uploads made with `bearerToken` (auth jwt), the run's subscriber and queue
   * counts through `endpoint` (the emulator, when the runner's own endpoint is a proxy in front of it).
   */
  on?: { runner: RunnerProcess; endpoint: string; bearerToken?: string };
}

/** How the runner feeds the processor (batch size, window, images in flight, concurrency), from its ready file. */
export type RunnerProcessing = RunningPipeline['processing'];

/** What the runner's ready file says about its processing; undefined from a runner that does not write it. */
export const processingOf = (ready: RunnerReady): RunnerProcessing | undefined =>
  (ready as RunnerReady & { processing?: RunnerProcessing }).processing;

export interface MemorySample {
  tMs: number;
  runnerMb?: number;
  motoMb?: number;
}

export interface LoadRun {
  options: Required<Omit<LoadOptions, 'log' | 'on'>>;
  startedAt: string;
  /** One per upload, in the order they were started; times are ms since the run's start. */
  samples: UploadSample[];
  burstStartMs: number;
  endMs: number;
  /** The ingest queue had nothing waiting or in flight at the end. */
  queueDrained: boolean;
  /** Completion events for images this run did not upload (there should be none). */
  strayEvents: number;
  poller?: PollerStats;
  /** The runner's processing settings as it reported them. */
  processing?: RunnerProcessing;
  memory: { runnerPeakMb?: number; motoPeakMb?: number; clientPeakMb: number; timeline: MemorySample[] };
  /** CPU seconds each process used from the first upload to the end: where the machine's time went. */
  cpuSeconds: { runner?: number; moto?: number; client: number };
  machine: MachineInfo;
  emulator: string;
  loadBefore: string;
  loadAfter: string;
  /** The end of the runner's log, for when something went wrong. */
  runnerLogTail: string;
}

export const COMPLETION_EVENTS = new Set(['Image Processed', 'Image Rejected', 'Image Failed']);
const SETTLE_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export async function runLoad(input: LoadOptions): Promise<LoadRun> {
  const options = {
    uploads: input.uploads,
    rate: input.rate,
    burst: Math.min(input.burst, input.uploads),
    inference: input.inference ?? 'none',
    burstConcurrency: input.burstConcurrency ?? 32,
    concurrency: input.concurrency ?? 2,
    runnerArgs: input.runnerArgs ?? [],
    idleTimeoutMs: input.idleTimeoutMs ?? 120_000,
  };
  const log = input.log ?? (() => undefined);
  const loadBefore = uptime();
  const concurrency = options.concurrency === 'default' ? [] : ['--concurrency', String(options.concurrency)];
  const runner =
    input.on?.runner ??
    (await startRunner({ args: ['--inference', options.inference, ...concurrency, ...options.runnerArgs] }));
  const { ready } = runner;
  const runnerPid = runner.child.pid as number;
  const motoPid = childPids(runnerPid).find((pid) => commandOf(pid).includes('moto'));
  const { api, sqs, events } = clientsFor({
    ...ready,
    endpoint: input.on?.endpoint ?? ready.endpoint,
    bearerToken: input.on?.bearerToken,
    timeoutSeconds: 60,
    dlqTimeoutSeconds: 60,
  });
  const collector = new EventCollector(sqs, events, ready.eventBus);
  const photos = photoNames().map((name) => ({ name, bytes: fixture(`photos/${name}`) }));
  const samples: UploadSample[] = [];
  const timeline: MemorySample[] = [];
  const started = Date.now();
  const clock = () => Date.now() - started;
  const timers: NodeJS.Timeout[] = [];
  const cpuAtStart = {
    runner: cpuSeconds(runnerPid),
    moto: motoPid === undefined ? undefined : cpuSeconds(motoPid),
    client: process.cpuUsage(),
  };
  const cpuSince = (pid: number | undefined, start: number | undefined) => {
    const now = pid === undefined ? undefined : cpuSeconds(pid);
    return now === undefined || start === undefined ? undefined : now - start;
  };

  try {
    await collector.start();
    // The collector keeps events, not when they came: stamp each as it shows up (every 10 ms).
    const arrivals = new Map<string, UploadSample['events']>();
    let seen = 0;
    timers.push(
      setInterval(() => {
        for (; seen < collector.events.length; seen++) {
          const event = collector.events[seen];
          if (!event || !COMPLETION_EVENTS.has(event.detailType)) continue;
          const list = arrivals.get(event.detail.imageId) ?? [];
          list.push({ type: event.detailType, atMs: clock() });
          arrivals.set(event.detail.imageId, list);
        }
      }, 10),
      setInterval(() => {
        timeline.push({
          tMs: clock(),
          runnerMb: rssMb(runnerPid),
          motoMb: motoPid === undefined ? undefined : rssMb(motoPid),
        });
      }, 1000),
    );
    const next = (phase: UploadSample['phase']): [UploadSample, Buffer] => {
      const photo = photos[samples.length % photos.length] as (typeof photos)[number];
      const sample: UploadSample = { index: samples.length, phase, photo: photo.name, startMs: clock(), events: [] };
      samples.push(sample);
      // A real photo with random bytes after its end: decodes the same, hashes differently, so no two uploads
      // are duplicates of each other.
      return [sample, Buffer.concat([photo.bytes, randomBytes(16)])];
    };
    const send = ([sample, bytes]: [UploadSample, Buffer]) => uploadOne(api, sample, bytes, clock);

    const steady = options.uploads - options.burst;
    log(`steady: ${steady} uploads at ${options.rate}/s, then a burst of ${options.burst}`);
    const inFlight: Promise<void>[] = [];
    const heard = (sample: UploadSample) => arrivals.has(sample.imageId ?? '');
    const steadyStartMs = clock();
    let lastReport = steadyStartMs;
    for (let i = 0; i < steady; i++) {
      await sleep(steadyStartMs + (i * 1000) / options.rate - clock());
      inFlight.push(send(next('steady')));
      if (clock() - lastReport >= 10_000) {
        lastReport = clock();
        log(progress(samples, heard, lastReport, timeline));
      }
    }
    const burstStartMs = clock();
    const burst = Array.from({ length: options.burst }, () => next('burst'));
    const workers = Array.from({ length: Math.min(options.burstConcurrency, burst.length) }, async () => {
      for (let job = burst.shift(); job; job = burst.shift()) await send(job);
    });
    await Promise.all([...inFlight, ...workers]);
    log(`all ${samples.length} uploads sent at ${(clock() / 1000).toFixed(1)} s; waiting for their events`);

    await waitForEvents(samples, heard, options.idleTimeoutMs, () => log(progress(samples, heard, clock(), timeline)));
    const drained = await queueDrained(sqs, ready.queueUrl, 60_000).then(
      () => true,
      () => false,
    );
    await sleep(SETTLE_MS);
    for (const sample of samples) sample.events = arrivals.get(sample.imageId ?? '') ?? [];
    const ours = new Set(samples.map((s) => s.imageId));
    const strayEvents = [...arrivals].filter(([id]) => !ours.has(id)).reduce((n, [, list]) => n + list.length, 0);
    const endMs = Math.max(0, ...samples.flatMap((s) => s.events.map((e) => e.atMs)));

    await recordStatuses(samples, api);
    const stats = await fetch(`${ready.apiUrl}/_local/stats`)
      .then((r) => r.json() as Promise<{ poller: PollerStats }>)
      .catch(() => undefined);
    return {
      options,
      startedAt: new Date(started).toISOString(),
      samples,
      burstStartMs,
      endMs,
      queueDrained: drained,
      strayEvents,
      poller: stats?.poller,
      processing: processingOf(ready),
      memory: {
        runnerPeakMb: peakRssMb(runnerPid),
        motoPeakMb: motoPid === undefined ? undefined : peakRssMb(motoPid),
        clientPeakMb: process.resourceUsage().maxRSS / 1024,
        timeline,
      },
      cpuSeconds: {
        runner: cpuSince(runnerPid, cpuAtStart.runner),
        moto: cpuSince(motoPid, cpuAtStart.moto),
        client: cpuUsed(process.cpuUsage(cpuAtStart.client)),
      },
      machine: machineInfo(),
      emulator: /moto server \S+/.exec(runner.log())?.[0] ?? ready.endpoint,
      loadBefore,
      loadAfter: uptime(),
      runnerLogTail: runner.log().slice(-4000),
    };
  } finally {
    for (const timer of timers) clearInterval(timer);
    await collector.stop().catch(() => undefined);
    if (!input.on) await runner.stop();
  }
}

const cpuUsed = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1e6;

/** Until every accepted upload has a completion event, or none has come for `idleTimeoutMs`. */
async function waitForEvents(
  samples: UploadSample[],
  heard: (sample: UploadSample) => boolean,
  idleTimeoutMs: number,
  report: () => void,
): Promise<void> {
  const waiting = () => samples.filter((s) => s.imageId && !s.error && !heard(s)).length;
  let last = waiting();
  let lastChange = Date.now();
  let lastReport = Date.now();
  while (last > 0 && Date.now() - lastChange < idleTimeoutMs) {
    await sleep(100);
    const now = waiting();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    }
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      report();
    }
  }
}

/** Each image's record as GET /images/{id} answers it, 8 requests at a time. */
export async function recordStatuses(
  samples: UploadSample[],
  api: ReturnType<typeof clientsFor>['api'],
): Promise<void> {
  const queue = samples.filter((s) => s.imageId);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let sample = queue.shift(); sample; sample = queue.shift()) {
        const image = await api.get(sample.imageId as string);
        sample.status = image?.status ?? 'NOT_FOUND';
      }
    }),
  );
}

function progress(
  samples: UploadSample[],
  heard: (sample: UploadSample) => boolean,
  nowMs: number,
  timeline: MemorySample[],
): string {
  const done = samples.filter(heard).length;
  const failed = samples.filter((s) => s.error).length;
  const memory = timeline.at(-1);
  return (
    `t=${(nowMs / 1000).toFixed(0)} s: ${samples.length} sent, ${done} completed, ${failed} upload errors, ` +
    `runner RSS ${memory?.runnerMb?.toFixed(0) ?? '?'} MB, moto ${memory?.motoMb?.toFixed(0) ?? '?'} MB`
  );
}
