/** The latency bench's outputs: bench/latency/results.md and .json, the README section, the console summary. */
import { describeMachine } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import type { BurstRun, ConfigFigures, LatencySummary, Percentiles } from './report';
import type { SingleRun } from './single';

const f0 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));
const f1 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));
const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(2));

const flags = (c: ConfigFigures) => (c.args.length > 0 ? `\`${c.args.join(' ')}\`` : 'none (the defaults)');

function settingsTable(s: LatencySummary): string {
  return table(
    [
      'config',
      'runner flags (besides `--inference none`)',
      'batch size',
      'batching window s',
      'images in flight per batch',
      'batches at once',
    ],
    s.configs.map((c) => [
      `**${c.name}**: ${c.label}`,
      flags(c),
      f0(c.processing?.batchSize),
      f0(c.processing?.batchWindowSeconds),
      f0(c.processing?.imagesInFlight),
      f0(c.processing?.concurrency),
    ]),
  );
}

function targetsTable(s: LatencySummary): string {
  return table(
    ['target', 'measured', 'result'],
    s.targets.map((t) => [t.target, t.measured, t.pass ? 'PASS' : 'FAIL']),
  );
}

/** new and old in two columns, then how many times faster new is. */
function sideBySide(s: LatencySummary): string {
  const [fresh, old] = s.configs as [ConfigFigures, ConfigFigures];
  const times = (a: number, b: number) => `${f2(b / a)}x`;
  const single = (label: string, pick: (c: ConfigFigures) => Percentiles, key: keyof Percentiles) => [
    label,
    f0(pick(fresh)[key]),
    f0(pick(old)[key]),
    times(pick(fresh)[key], pick(old)[key]),
  ];
  const n = fresh.single.n;
  const photo = `${(s.photo.width * s.photo.height) / 1e6} MP JPEG`;
  const bursts = fresh.bursts.length;
  /** `lowerIsFaster`: a time (new is faster by old / new), else a rate (by new / old); undefined: no comparison. */
  const burst = (
    label: string,
    pick: (c: ConfigFigures) => number,
    digits: (n: number) => string,
    lowerIsFaster?: boolean,
  ) => {
    const [a, b] = [pick(fresh), pick(old)];
    return [label, digits(a), digits(b), lowerIsFaster === undefined ? '' : lowerIsFaster ? times(a, b) : times(b, a)];
  };
  return table(
    ['', `${fresh.name}`, `${old.name}`, `${fresh.name} vs ${old.name} (x faster)`],
    [
      single(`single ${photo}: upload start to Image Processed, p50 ms (n=${n})`, (c) => c.single.totalMs, 'p50'),
      single('single: p90 ms', (c) => c.single.totalMs, 'p90'),
      single('single: max ms', (c) => c.single.totalMs, 'max'),
      single('single, part: upload start to S3 POST done, p50 ms', (c) => c.single.uploadMs, 'p50'),
      single(
        'single, part: S3 POST done to event published (queue, batching, processor), p50 ms',
        (c) => c.single.processorMs,
        'p50',
      ),
      single('single, part: published to received by the subscriber, p50 ms', (c) => c.single.deliveryMs, 'p50'),
      burst(
        `burst of ${s.options.burst}: drain s (first upload start to last event; mean of ${bursts})`,
        (c) => c.drainSeconds,
        f1,
        true,
      ),
      burst('burst: images/s', (c) => c.imagesPerSecond, f1, false),
      burst('burst: CPU ms per image (runner + moto + client)', (c) => c.cpuMsPerImage, f0),
      burst('burst: cores busy (that CPU / drain time)', (c) => c.coresBusy, f2),
    ],
  );
}

function burstsTable(s: LatencySummary): string {
  const runs = s.configs.flatMap((c) => c.bursts).sort((a, b) => a.order - b.order);
  return table(
    [
      'run',
      'config',
      'drain s',
      'images/s',
      'all sent after s',
      'latency p50 ms',
      'CPU s: runner / moto / client',
      'cores busy',
      'poller batches',
    ],
    runs.map((b) => [
      String(b.order),
      b.config,
      f1(b.drainSeconds),
      f1(b.imagesPerSecond),
      f1(b.sendSeconds),
      f0(b.latencyP50Ms),
      `${f1(b.cpuSeconds.runner)} / ${f1(b.cpuSeconds.moto)} / ${f1(b.cpuSeconds.client)}`,
      f2(b.coresBusy),
      f0(b.poller?.batches),
    ]),
  );
}

function machineLine(s: LatencySummary): string {
  return `${describeMachine(s.machine)}.`;
}

function whatIsMeasured(s: LatencySummary): string {
  const { options: o, photo } = s;
  const order = s.configs
    .flatMap((c) => c.bursts)
    .sort((a, b) => a.order - b.order)
    .map((b) => b.config)
    .join(', ');
  return `- **Single upload**: \`${photo.file}\` (${photo.width}x${photo.height}, ${(photo.bytes / 2 ** 20).toFixed(1)} MiB; ${photo.provenance}) with 16 random bytes appended (no two uploads are duplicates), through POST /uploads and the presigned POST, one at a time: each waits for its completion event, then ${o.pauseMs} ms, before the next. Both runners are up at once and take turns (the order swapped every round); one warm-up each, then ${o.count} timed. The event is stamped when the subscriber queue (an EventBridge rule on the runner's bus) hands it over; \`published\` is the event's own \`occurredAt\`: when the processor stored the record, before the postings' writes and PutEvents (the same time in every copy of the event).
- **Burst**: ${o.burst} uploads of the 1280x800 fixture photos (test/fixtures/photos, cycling, 16 random bytes appended) sent at once, at most ${o.burstConcurrency} in flight, by \`runLoad\` (test/support/load/run.ts) on a fresh runner per run; ${o.burstRounds} run(s) per config, alternating (${order}). Drain = first upload start to the last completion event. CPU is each process's own (/proc) from the first upload to the end of the run's checks (the records read back after the drain), so cores busy slightly overstates.
- Every upload must end with exactly one \`Image Processed\` event and a PROCESSED record, or the bench fails.`;
}

/** bench/latency/results.md */
export function renderMarkdown(s: LatencySummary): string {
  const accounted = s.problems.length === 0;
  return `# Latency and burst drain on the local runner

\`${s.command}\`

Started ${s.startedAt}; the whole bench took ${f0(s.wallSeconds)} s. Inference \`none\` on both.

## Settings, as each runner reported them (its ready file's \`processing\`)

${settingsTable(s)}

## Targets

${targetsTable(s)}

## Side by side

${sideBySide(s)}

${whatIsMeasured(s)}

## Burst runs

${burstsTable(s)}

## Every upload accounted for

${accounted ? `All ${s.configs.map((c) => `${c.single.n + 1} single and ${c.bursts.length * s.options.burst} burst uploads of ${c.name}`).join(', ')} ended with exactly one Image Processed event and a PROCESSED record; no stray events; every ingest queue drained.` : `**NOT ALL: these results are invalid.**\n\n${s.problems.map((p) => `- ${p}`).join('\n')}`}

Single-upload pollers: ${s.configs.map((c) => `${c.name} ${JSON.stringify(c.single.poller)}`).join('; ')}.

## Machine

${machineLine(s)} The bench client, the runners and their moto servers share it with whatever else ran; load averages:

- before: \`${s.loadBefore}\`
- after: \`${s.loadAfter}\`
`;
}

/** The README section between its markers. */
export function renderReadmeSection(s: LatencySummary): string {
  return `## Latency and burst drain (\`npm run bench:latency\`)

\`\`\`
npm run bench:latency   (= npx tsx bench/latency/main.ts)   # about ${Math.ceil(s.wallSeconds / 60)} minutes on ${s.machine.cores} cores
\`\`\`

\`bench/latency/main.ts\` runs the local runner (\`npm start\`, moto, the real handlers) with the processor's
settings of now (**${s.configs[0]?.name}**) and of before (**${s.configs[1]?.name}**) in the same run, and writes
\`bench/latency/results.md\` / \`.json\` (every raw sample) and this section. Build first (\`npm run build\`):
the runner runs from dist/ when it exists.

${whatIsMeasured(s)}

${settingsTable(s)}

#### Targets

${targetsTable(s)}

#### Side by side

${sideBySide(s)}

${burstsTable(s)}

Measured ${s.startedAt} on ${machineLine(s)} Load average before: \`${s.loadBefore.replace(/.*load average: /, '')}\`, after: \`${s.loadAfter.replace(/.*load average: /, '')}\`.`;
}

/** What the script prints. */
export function renderText(s: LatencySummary): string {
  return [
    `latency: ${s.command}`,
    ...s.configs.map(
      (c) =>
        `  ${c.name.padEnd(4)} single p50 ${f0(c.single.totalMs.p50)} ms, p90 ${f0(c.single.totalMs.p90)}, max ` +
        `${f0(c.single.totalMs.max)} (upload ${f0(c.single.uploadMs.p50)}, processor ${f0(c.single.processorMs.p50)}, ` +
        `delivery ${f0(c.single.deliveryMs.p50)}); burst drain ${c.bursts.map((b) => f1(b.drainSeconds)).join(' / ')} s, ` +
        `${f1(c.imagesPerSecond)} images/s; processing ${JSON.stringify(c.processing)}`,
    ),
    ...s.targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'} ${t.target}: ${t.measured}`),
    ...(s.problems.length > 0 ? ['  UPLOADS NOT ACCOUNTED FOR:', ...s.problems.map((p) => `    ${p}`)] : []),
    `  ${s.loadAfter}`,
  ].join('\n');
}

/** bench/latency/results.json: the summary, then one flat row per upload (columns named once). */
export function resultsJson(s: LatencySummary, singles: SingleRun, bursts: BurstRun[]): string {
  const orNull = <T>(value: T | undefined) => value ?? null;
  const results = {
    summary: s,
    singleColumns: [
      'config',
      'round',
      'warmUp',
      'imageId',
      'startMs',
      'ticketMs',
      'uploadedMs',
      'publishedMs',
      'eventMs',
      'events',
      'status',
      'error',
    ],
    singles: singles.samples.map((x) => [
      x.config,
      x.round,
      x.warmUp,
      orNull(x.imageId),
      x.startMs,
      orNull(x.ticketMs),
      orNull(x.uploadedMs),
      orNull(x.publishedMs),
      orNull(x.events[0]?.atMs),
      x.events.length,
      orNull(x.status),
      orNull(x.error),
    ]),
    burstColumns: ['imageId', 'photo', 'startMs', 'uploadedMs', 'eventMs', 'events', 'status', 'error'],
    bursts: bursts.map((b) => ({
      order: b.order,
      config: b.config,
      startedAt: b.run.startedAt,
      samples: b.run.samples.map((x) => [
        orNull(x.imageId),
        x.photo,
        x.startMs,
        orNull(x.uploadedMs),
        orNull(x.events[0]?.atMs),
        x.events.length,
        orNull(x.status),
        orNull(x.error),
      ]),
    })),
  };
  return `${JSON.stringify(results, null, 2)}\n`;
}
