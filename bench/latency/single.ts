/**
 * Upload-to-event latency of one image at a time, on one local runner per configuration, alternating.
 *
 * 1. Start one runner per configuration (each with its own moto) and a subscriber on each runner's bus.
 * 2. Rounds: in each, every configuration gets one upload of the same photo (with a few random bytes after its
 *    end, so no two uploads are duplicates), the order swapped every round so neither always goes first. Each
 *    upload waits for its completion event, then `pauseMs`, before the next one starts: the pipeline is idle
 *    when an upload arrives. Round 0 is the warm-up (first decode, SDK connections) and is kept apart.
 * 3. A short settle, so a late duplicate event would still be counted; then each image's record and each
 *    runner's poller stats, and stop everything.
 *
 * While one configuration works the other runner sits idle (its pollers long-polling its own moto), the same
 * for both.
 */
import { randomBytes } from 'node:crypto';
import type { PollerStats } from '../../lambdas/local/poller';
import { clientsFor, EventCollector } from '../../test/e2e/support';
import { COMPLETION_EVENTS, processingOf, type RunnerProcessing, recordStatuses } from '../../test/support/load/run';
import { type UploadSample, uploadOne } from '../../test/support/load/upload';
import { type RunnerProcess, startRunner } from '../../test/support/runner-process';

/** One way of running the processor: `-c` settings over cdk.json, and a `--concurrency` if any. */
export interface LatencyConfig {
  name: string;
  /** What it stands for, for the report. */
  label: string;
  /** `-c key=value` deployment settings, as `cdk deploy` takes them. */
  context: Record<string, string>;
  /** `--concurrency`; undefined: the runner's own default. */
  concurrency?: number;
}

/** The `-c` flags of a configuration (its `--concurrency` goes separately: the load run takes it as an option). */
export const contextArgs = (config: LatencyConfig): string[] =>
  Object.entries(config.context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);

/** Every flag the runner gets for a configuration. */
export const runnerArgs = (config: LatencyConfig): string[] => [
  ...contextArgs(config),
  ...(config.concurrency === undefined ? [] : ['--concurrency', String(config.concurrency)]),
];

export interface SingleSample extends UploadSample {
  config: string;
  round: number;
  warmUp: boolean;
  /**
   * The event's own `occurredAt` (the processor's clock, this machine's): when the processor stored the record, just
   * before its postings and its PutEvents (the same in every copy of the event, docs/events.md).
   */
  publishedMs?: number;
}

export interface SingleRun {
  startedAt: string;
  samples: SingleSample[];
  /** Per configuration: what its runner reported, its poller's stats, its runner flags. */
  runners: Record<string, { args: string[]; processing?: RunnerProcessing; poller?: PollerStats }>;
}

export interface SingleOptions {
  configs: LatencyConfig[];
  photo: { name: string; bytes: Buffer };
  /** Timed uploads per configuration, after the warm-up. */
  count: number;
  pauseMs: number;
  /** Give up on an upload's event after this long. Default 60 s. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const SETTLE_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface Side {
  config: LatencyConfig;
  runner: RunnerProcess;
  clients: ReturnType<typeof clientsFor>;
  collector: EventCollector;
}

export async function runSingles(options: SingleOptions): Promise<SingleRun> {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const runners = await Promise.all(options.configs.map((config) => startRunner({ args: runnerArgs(config) })));
  const sides: Side[] = options.configs.map((config, i) => {
    const runner = runners[i] as RunnerProcess;
    const clients = clientsFor({ ...runner.ready, timeoutSeconds: 60, dlqTimeoutSeconds: 60 });
    return {
      config,
      runner,
      clients,
      collector: new EventCollector(clients.sqs, clients.events, runner.ready.eventBus),
    };
  });
  const started = Date.now();
  const clock = () => Date.now() - started;
  const samples: SingleSample[] = [];
  try {
    await Promise.all(sides.map((side) => side.collector.start()));
    for (let round = 0; round <= options.count; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const sample: SingleSample = {
          index: samples.length,
          phase: 'single',
          photo: options.photo.name,
          startMs: 0,
          events: [],
          config: side.config.name,
          round,
          warmUp: round === 0,
        };
        samples.push(sample);
        await uploadOne(side.clients.api, sample, Buffer.concat([options.photo.bytes, randomBytes(16)]), clock);
        if (sample.imageId && !sample.error) await awaitCompletion(side.collector, sample, clock, started, timeoutMs);
        log(`${side.config.name} #${round}${round === 0 ? ' (warm-up)' : ''}: ${sample.error ?? describe(sample)}`);
        await sleep(options.pauseMs);
      }
    }
    await sleep(SETTLE_MS);
    const result: SingleRun = { startedAt: new Date(started).toISOString(), samples, runners: {} };
    for (const side of sides) {
      const mine = samples.filter((s) => s.config === side.config.name);
      for (const sample of mine) {
        // Every completion event heard for the image: the first was stamped on arrival; any more are duplicates.
        const all = side.collector.of(sample.imageId ?? '').filter((e) => COMPLETION_EVENTS.has(e.detailType));
        for (const extra of all.slice(sample.events.length)) sample.events.push({ type: extra.detailType, atMs: -1 });
      }
      await recordStatuses(mine, side.clients.api);
      const stats = await fetch(`${side.runner.ready.apiUrl}/_local/stats`)
        .then((r) => r.json() as Promise<{ poller: PollerStats }>)
        .catch(() => undefined);
      result.runners[side.config.name] = {
        args: runnerArgs(side.config),
        processing: processingOf(side.runner.ready),
        poller: stats?.poller,
      };
    }
    return result;
  } finally {
    await Promise.all(
      sides.map(async (side) => {
        await side.collector.stop().catch(() => undefined);
        await side.runner.stop();
      }),
    );
  }
}

/** Poll the subscriber's events every 5 ms until the image's completion event is there; stamp its arrival. */
async function awaitCompletion(
  collector: EventCollector,
  sample: SingleSample,
  clock: () => number,
  started: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = collector.of(sample.imageId as string).find((e) => COMPLETION_EVENTS.has(e.detailType));
    if (event) {
      sample.events.push({ type: event.detailType, atMs: clock() });
      const occurredAt = Date.parse(String(event.detail.occurredAt));
      if (!Number.isNaN(occurredAt)) sample.publishedMs = occurredAt - started;
      return;
    }
    if (Date.now() > deadline) {
      sample.error = `no completion event within ${timeoutMs} ms`;
      return;
    }
    await sleep(5);
  }
}

function describe(sample: SingleSample): string {
  const event = sample.events[0];
  if (!event) return 'no event';
  const ms = (to: number | undefined) => (to === undefined ? '?' : (to - sample.startMs).toFixed(0));
  return `${event.type} after ${ms(event.atMs)} ms (S3 POST done ${ms(sample.uploadedMs)}, published ${ms(sample.publishedMs)})`;
}
