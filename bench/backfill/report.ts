/** Renders the backfill run and model as markdown (printed and written to bench/backfill/results.md). */
import { table } from '../../test/support/markdown';
import type { CostRow } from '../capacity/cost';
import { type backfillFigures, perObject } from './figures';
import type { PhaseRun } from './measure';
import {
  type backfillTime,
  ESTIMATED_AWS_CHILD_S,
  type executionSeconds,
  type RateRow,
  type settingsForDeadline,
} from './model';

type Time = ReturnType<typeof backfillTime> & { execution: ReturnType<typeof executionSeconds> };
type Hour = ReturnType<typeof settingsForDeadline>;

export interface BackfillReportInput {
  command: string;
  date: string;
  machine: string;
  load: { before: string; after: string };
  emulator: string;
  runnerProcessing: unknown;
  objects: number;
  deadlineS: number;
  settings: {
    processorMemoryMb: number;
    processorBatchSize: number;
    backfillMaxConcurrency: number;
    rekognitionTps: number;
    thumbnailSizes: readonly number[];
  };
  run: { images: PhaseRun; others: PhaseRun; children: { executions: number; durationsMs: number[] }; wallS: number };
  originalBytes: number;
  derivedBytes: number;
  eventBytes: number;
  figures: ReturnType<typeof backfillFigures>;
  model: {
    none: Time;
    rekognition: Time;
    estimatedChild: ReturnType<typeof backfillTime>;
    hour: { none: Hour; rekognition: Hour };
  };
  cost: { rows: CostRow[]; total: number; monthly: number; rekognition: number };
}

const num = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'none';
const duration = (s: number) => (s >= 7200 ? `${num(s / 3600, 1)} h` : `${num(s / 60, 1)} min`);

function phaseRow(name: string, phase: PhaseRun): string[] {
  const c = phase.counts;
  return [
    name,
    num(phase.objects),
    `${c.processed} processed, ${c.rejected} rejected, ${c.skipped} skipped, ${c.placeholders} placeholders, ${c.missing} missing, ${c.failed} failed`,
    num(phase.mapS, 1),
    num(phase.finishedS, 1),
    num((phase.cpuS / phase.objects) * 1000),
  ];
}

function ratesTable(rows: RateRow[]): string {
  return table(
    ['service', 'limit', 'basis', 'images/s', '1,000,000 in', 'what moves it'],
    rows.map((row) => [row.area, row.what, row.basis, num(row.rate), duration(1_000_000 / row.rate), row.moves]),
  );
}

/** The model's time, the stage that sets it, and the two limits after it. */
function timeLine(t: BackfillReportInput['model']['none'], objects: number): string {
  const next = t.rows.filter((row) => row.kind === 'hard' && row !== t.binding).slice(0, 2);
  return (
    `**${duration(t.seconds)}** for ${num(objects)} photos: the SQS pollers' ramp to ${t.concurrency} ` +
    `executions (${num(t.rampS)} s, counted whole), then ${num(objects)} / ${num(t.binding.rate)} images/s. **Binding:** ` +
    `${t.binding.area}, ${t.binding.what} (${t.binding.basis}); moved by ${t.binding.moves}. Then ` +
    `${next.map((row) => `${row.area}, ${row.what}, at ${num(row.rate)} images/s`).join('; ')}.`
  );
}

function hourLines(input: BackfillReportInput): string[] {
  const target = input.objects / input.deadlineS;
  const { none, rekognition } = input.model.hour;
  const line = (label: string, answer: NonNullable<Hour['explicit']> | undefined, what: string) =>
    answer
      ? `- ${label}: ${what} -> ${duration(answer.seconds)}, binding: ${answer.binding.area}, ${answer.binding.what} at ${num(answer.binding.rate)} images/s.`
      : `- ${label}: no setting does (another limit binds first).`;
  const s = (answer: NonNullable<Hour['explicit']> | undefined) => answer?.settings;
  return [
    `${num(input.objects)} photos within ${num(input.deadlineS / 60)} minutes is ${num(target, 1)} images/s sustained, plus the ramp:`,
    '',
    line(
      '`inference=none`',
      none.explicit,
      `\`processorMaxConcurrency\` ${s(none.explicit)?.processorMaxConcurrency} at least (the default, ${input.model.none.concurrency}, does)`,
    ),
    line(
      '`inference=rekognition`',
      rekognition.explicit,
      `\`rekognitionTps\` ${s(rekognition.explicit)?.rekognitionTps} (the account's quota of each Detect API raised to it) and \`processorMaxConcurrency\` ${s(rekognition.explicit)?.processorMaxConcurrency}`,
    ),
    'derived' in rekognition
      ? line(
          '`inference=rekognition`, the concurrency left derived from the TPS',
          rekognition.derived,
          `\`rekognitionTps\` ${s(rekognition.derived)?.rekognitionTps}`,
        )
      : '',
  ];
}

export function renderBackfill(input: BackfillReportInput): string {
  const f = input.figures;
  const apis = Object.keys(f.requests).sort();
  const none = input.model.none;
  const rek = input.model.rekognition;
  const sec = (t: Time) => t.execution;
  const medianChild = f.childS * 1000;
  return [
    '# Backfill: 1,000,000 existing photos',
    '',
    `\`${input.command}\``,
    '',
    `${input.date}; ${input.machine}; load ${input.load.before} before, ${input.load.after} after; ${input.emulator}; run ` +
      `${num(input.run.wallS)} s. The runner: ${JSON.stringify(input.runnerProcessing)}, the map's batches at most 4 at ` +
      `once. Settings: the defaults (processorMemoryMb ${input.settings.processorMemoryMb}, processorBatchSize ` +
      `${input.settings.processorBatchSize}, backfillMaxConcurrency ${input.settings.backfillMaxConcurrency}, rekognitionTps ` +
      `${input.settings.rekognitionTps}, thumbnailSizes ${input.settings.thumbnailSizes.join('/')}).`,
    '',
    '## Measured (local run, `--inference none`)',
    '',
    'Objects put straight into a source bucket (`-c sourceBuckets=<bucket>=bench`), then one backfill per prefix ' +
      "started on the runner's Step Functions endpoint and followed to the end with readRunCounts.",
    '',
    table(
      ['run', 'objects', 'outcomes (run counters)', 'map done, s', 'all finished, s', 'runner CPU per object, ms'],
      [
        phaseRow('photos/: 12 MP JPEGs', input.run.images),
        phaseRow('other/: text, JSON, PDF, a folder placeholder', input.run.others),
      ],
    ),
    '',
    'Per photo (the proxy counted every call but those inside moto):',
    '',
    table(
      ['per photo', 'figure'],
      [
        ...apis.map((api) => [`requests: ${api}`, num(f.requests[api] ?? 0, 3)]),
        [
          "the runner's map: calls to moto's Step Functions (a StartExecution per batch, DescribeExecution polls)",
          Object.entries(f.stepFunctions)
            .map(([api, n]) => `${api} ${num(n, 2)}`)
            .join(', '),
        ],
        [
          "the child's SendMessageBatch and `queued` UpdateItem (inside moto: counted from the definition)",
          '0.1 and 0.1 (one each per batch of 10)',
        ],
        [
          'child executions in moto: count, median duration',
          `${input.run.children.executions}, ${num(medianChild)} ms`,
        ],
        [
          'PUTs by prefix',
          Object.entries(f.s3WritesByPrefix)
            .map(([p, n]) => `${p} ${num(n, 2)}`)
            .join(', '),
        ],
        ['runner CPU, ms (the processor; the map and the polls included)', num(f.cpuS * 1000)],
        [
          'record: write units (table, indexes); bytes',
          `${num(f.record.tableWru, 2)} + ${num(f.record.indexWru, 2)} WRU; ${num(f.record.itemBytes)} B`,
        ],
        ['search postings: items, write units', `${num(f.postings.count, 1)}, ${num(f.postings.units, 1)} WRU`],
        ['read units (GetItem 1, Query 0.5)', num(f.rru, 2)],
        [
          'bytes: the original (stays in its bucket), thumbnails and renditions made',
          `${num(input.originalBytes)}, ${num(input.derivedBytes)}`,
        ],
        ['PutEvents entry bytes', num(input.eventBytes)],
      ],
    ),
    '',
    `Each other object: ${Object.entries(perObject(input.run.others.calls, input.run.others.objects).pipeline)
      .map(([api, n]) => `${api} ${num(n, 2)}`)
      .join(', ')}.`,
    '',
    `## ${num(input.objects)} photos at the default settings, \`inference=none\``,
    '',
    `Execution-seconds per photo: ${num(sec(none).perImage, 3)} (CPU-bound: ${num(f.cpuS, 3)} CPU-s / ${num(f.cpuS / sec(none).cpuBound, 2)} vCPUs).`,
    '',
    ratesTable(none.rows),
    '',
    timeLine(none, input.objects),
    '',
    `A child takes ${num(medianChild)} ms in moto on this machine; at the ${num(ESTIMATED_AWS_CHILD_S, 1)} s the definition ` +
      `estimates for AWS (not measured) the map would enqueue ${num((input.settings.backfillMaxConcurrency * 10) / ESTIMATED_AWS_CHILD_S)} ` +
      `images/s, and then: ${duration(input.model.estimatedChild.seconds)}, binding: ${input.model.estimatedChild.binding.area}, ` +
      `${input.model.estimatedChild.binding.what} at ${num(input.model.estimatedChild.binding.rate)} images/s.`,
    '',
    `## With \`inference=rekognition\``,
    '',
    `The event source's concurrency is derived from \`rekognitionTps\` (${rek.concurrency} executions); an execution-second per ` +
      `photo is ${num(sec(rek).perImage, 3)} (the larger of Rekognition's 1 s over ${num(1 / sec(rek).latencyBound)} in flight, ` +
      `${num(sec(rek).latencyBound, 3)}, and the CPU, ${num(sec(rek).cpuBound, 3)}).`,
    '',
    ratesTable(rek.rows),
    '',
    timeLine(rek, input.objects),
    '',
    '## Within an hour',
    '',
    ...hourLines(input),
    '',
    `## What ${num(input.objects)} photos cost (us-east-1 list prices)`,
    '',
    table(
      ['item', 'arithmetic', 'USD'],
      [
        ...input.cost.rows.map((row) => [
          row.item,
          row.arithmetic,
          `${num(row.usd, 2)}${row.monthly ? ' per month' : ''}`,
        ]),
        [
          '**the backfill, `inference=none`**',
          'sum of the rows above but storage',
          `**${num(input.cost.total, 2)}**, + ${num(input.cost.monthly, 2)} per month`,
        ],
        [
          'Rekognition (`inference=rekognition`)',
          `4 APIs x ${num(input.objects)} x $0.001`,
          `**${num(input.cost.rekognition, 2)}**`,
        ],
      ],
    ),
    '',
    '## Assumptions',
    '',
    "- The processor's time is its CPU in the runner on this machine's cores, one Graviton vCPU assumed as fast; " +
      `the processor's wall time alone is below it at 8 in flight (the capacity bench). Batches are full.`,
    "- A child's duration is moto's, on this busy 2-core machine; Step Functions in AWS is likely quicker (the " +
      "definition's estimate: ~0.2 s), which only makes the map faster and the children cheaper.",
    '- Quotas and prices: bench/support/aws-assumptions.ts (Step Functions STANDARD $0.025 per 1,000 transitions, ' +
      'EXPRESS $1.00 per million requests and $0.00001667 per GB-second in 64 MB and 100 ms steps; 5,000 transitions ' +
      "a second in us-east-1); the parent's transitions: one per child plus 4.",
    '- Rekognition at $0.001 per image per API (the first million a month); its 1 s per photo as the settings assume; ' +
      "the processor's CPU per photo as measured with `--inference none` (what Rekognition's call adds is not measured).",
    "- A new deployment's on-demand tables start at 4,000 write units a second and double with traffic: those rows " +
      'are starting capacity, not ceilings (pre-warm the tables for a backfill at full speed).',
    '',
  ].join('\n');
}
