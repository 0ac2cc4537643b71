/** Renders the capacity run and model as markdown (printed and written to bench/capacity/results.md). */

import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import type { ClassRun } from './measure';
import type { CapacityResult, LimitRow, MeasuredApi, MeasuredImage } from './model';

export interface ReportInput {
  command: string;
  date: string;
  machine: string;
  load: { before: string; after: string };
  emulator: string;
  corpus: string;
  build: string;
  settingsLine: string;
  deployedLine: string;
  runs: ClassRun[];
  measured: { label: string; image: MeasuredImage; api: MeasuredApi; result: CapacityResult }[];
  assumptions: string[];
  wallS: number;
}

/** docs/costs.md's per-1,000 figures before this model (2026-11-22), for the reconciliation. */
export const PREVIOUS_COSTS: Record<string, { usd: number; basis: string }> = {
  'Lambda compute, processor': { usd: 0.0133, basis: '0.5 s assumed at 2048 MB' },
  'Lambda requests': { usd: 0.0006, basis: '3 invocations, a processor batch counted as 1' },
  'S3 requests': { usd: 0.0212, basis: '4 PUT/POST + 3 GET' },
  SQS: { usd: 0.0012, basis: 'about 3 requests per message' },
  'DynamoDB on demand': { usd: 0.0255, basis: '~40 WRU + ~4 RRU (a guess)' },
  'S3 storage': { usd: 0.0966, basis: '4.2 GB a month for a 4 MB JPEG' },
};
export const PREVIOUS_PIPELINE_TOTAL = 0.0821;

const num = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'none';
const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %` : '');
/** The median of the values that were measured (a call that never answered leaves a NaN). */
export const finiteMedian = (values: number[]) => median(values.filter(Number.isFinite));

function measuredTable(input: ReportInput): string {
  const [a, b] = input.measured;
  const [ra, rb] = input.runs;
  if (!a || !b || !ra || !rb) return '';
  const both = (f: (m: (typeof input.measured)[number], r: ClassRun) => string | number) => [f(a, ra), f(b, rb)];
  const apis = [...new Set([...Object.keys(ra.requests), ...Object.keys(rb.requests)])].sort();
  const d = (m: (typeof input.measured)[number]) => m.image.dynamodb;
  return table(
    ['per image', a.label, b.label],
    [
      ['images in the run (alone + under load)', ...both((_, r) => r.images)],
      [
        'processor wall time alone, median ms (its GetObject to its last write)',
        ...both((_, r) => num(finiteMedian(r.aloneMs))),
      ],
      ['of which waiting on its AWS calls (moto), median ms', ...both((_, r) => num(finiteMedian(r.aloneAwsMs)))],
      ['`analysis.durationMs` of the record, median (alone)', ...both((_, r) => num(finiteMedian(r.analysisMs)))],
      ['runner CPU alone, ms (create-upload included)', ...both((_, r) => num(r.aloneCpuS * 1000))],
      [
        'runner CPU under load, ms (processor; create-upload taken out)',
        ...both((m) => num(m.image.processorCpuS * 1000)),
      ],
      ['runner throughput under load, images/s (this machine)', ...both((_, r) => num(r.loadRate, 1))],
      ...apis.map((api) => [`requests: ${api}`, ...both((_, r) => num(r.requests[api] ?? 0, 2))]),
      [
        'SQS batches under load: mean messages per batch',
        ...both((_, r) => num(r.poller.received / Math.max(1, r.poller.batches), 1)),
      ],
      ...d(a).writes.map((w, i) => [
        `DynamoDB ${w.name}: bytes before -> after, WCU`,
        ...[a, b].map((m) => {
          const x = d(m).writes[i];
          return x ? `${num(x.beforeBytes)} -> ${num(x.afterBytes)} B, ${num(x.units, 2)} WCU` : '';
        }),
      ]),
      ...d(a).indexes.map((index, i) => [
        `GSI ${index.indexName}${index.current ? '' : ' (old design)'}: writes, WCU per image; entry bytes`,
        ...[a, b].map((m) => {
          const x = d(m).indexes[i];
          return x ? `${num(x.writesPerImage, 2)} writes, ${num(x.unitsPerImage, 2)} WCU; ${num(x.entryBytes)} B` : '';
        }),
      ]),
      [
        "search postings: items, bytes, WCU per image (the processor's BatchWriteItem puts)",
        ...both(
          (m) =>
            `${num(m.image.postings.count, 1)} items, ${num(m.image.postings.bytes)} B, ${num(m.image.postings.units, 1)} WCU`,
        ),
      ],
      [
        'DynamoDB reads (processor), RRU',
        ...both((m) =>
          num(
            d(m).reads.reduce((s, r) => s + r.units, 0),
            1,
          ),
        ),
      ],
      [
        'S3 bytes stored: original + thumbnails',
        ...both((m) => `${num(m.image.originalBytes)} + ${num(m.image.thumbnailBytes)} B`),
      ],
      ['PutEvents entry bytes', ...both((m) => num(m.image.eventBytes))],
      [
        'create-upload: median ms, CPU ms (POST /uploads alone)',
        ...both((m) => `${num(m.api.createUploadS * 1000, 1)}, ${num(m.api.createUploadCpuS * 1000, 1)}`),
      ],
      [
        'get-image: median ms, CPU ms, RRU (GET /images/{id})',
        ...both(
          (m) => `${num(m.api.getImageS * 1000, 1)}, ${num(m.api.getImageCpuS * 1000, 1)}, ${m.api.getImageReadUnits}`,
        ),
      ],
    ],
  );
}

const limitLine = (row: LimitRow) =>
  `${row.area}: ${row.what}, ${num(row.needed)} ${row.unit} needed against ${num(row.limit)} (reached at ${num(row.maxRate)} images/s)`;

function modelSection(m: ReportInput['measured'][number]): string {
  const r = m.result;
  const rows = r.rows.map((row) => [
    row.area,
    row.kind === 'ramp' ? `${row.what} [starting capacity]` : row.what,
    `${num(row.needed, row.needed < 10 ? 1 : 0)} ${row.unit}`,
    num(row.limit),
    pct(row.use),
    num(row.maxRate),
    row.moves,
  ]);
  const partitions = r.partitions.map((p) => [
    `${p.indexName}${p.current ? '' : ' (old design)'}`,
    `${p.group}${Number.isFinite(p.valuesPerGroup) && p.valuesPerGroup > 1 ? `#0..${p.valuesPerGroup - 1}` : ''}`,
    Number.isFinite(p.valuesPerGroup) ? num(p.valuesPerGroup) : 'one per image',
    Number.isFinite(p.valuesPerGroup) ? num(p.perValue) : 'a few per image, once',
    Number.isFinite(p.valuesPerGroup) ? num(p.ifConstant) : `${num(p.ifConstant)} if all images shared one value`,
  ]);
  return [
    `### ${num(r.rate)} images/s of ${m.label}`,
    '',
    `Processor: ${num(r.vcpus, 2)} vCPUs at its memory, ${r.inFlight} images in flight per invocation. Execution-seconds per image: ` +
      `latency bound ${num(r.processor.latencyBound, 3)} s (alone ${num(m.image.processorAloneS, 3)} s / ${r.inFlight}), ` +
      `CPU bound ${num(r.processor.cpuBound, 3)} s (${num(m.image.processorCpuS, 3)} CPU-s / ${num(r.vcpus, 2)} vCPUs); ` +
      `the larger, ${num(r.processor.perImage, 3)} s, x ${num(r.rate)}/s = **${num(r.concurrency.processor)} concurrent executions**. ` +
      `create-upload ${num(r.apiSeconds.createUpload * 1000)} ms -> ${num(r.concurrency.createUpload)}; get-image ` +
      `${num(r.apiSeconds.getImage * 1000)} ms -> ${num(r.concurrency.getImage)}; account total ${num(r.accountConcurrency)}. ` +
      `Scaling there: Lambda adds 1,000 environments per function per 10 s (about ${r.scaling.lambdaSeconds} s); ` +
      `the SQS pollers start at 5 batches and add 300 a minute (about ${num(r.scaling.sqsPollerSeconds)} s to ${num(r.concurrency.processor)}).`,
    '',
    table(['service', 'limit', 'needed', 'limit value', 'use', 'reached at images/s', 'what moves it'], rows),
    '',
    'DynamoDB, write units a second on one partition key value (the limit: 1,000 WCU/s; reads 3,000 RCU/s):',
    '',
    table(
      ['index', 'key values', 'values per group', 'WCU/s per value', 'WCU/s if one constant value'],
      [
        [
          'table',
          'imageId',
          'one per image',
          `${num(r.dynamodb.tableWcuPerImage)} WCU per image, within about a second`,
          '',
        ],
        ...partitions,
      ],
    ),
    '',
    `**The limit that binds first:** ${limitLine(r.binding.first)}.`,
    '',
    `**The setting that moves it:** ${r.binding.first.moves}.`,
    '',
    'Then, once it is moved, in the order the rate meets them:',
    '',
    ...r.binding.then
      .filter((row) => Number.isFinite(row.maxRate))
      .slice(0, 3)
      .map((row) => `- ${limitLine(row)}; moved by ${row.moves}.`),
    '',
    `With \`inference=rekognition\`: each image calls 4 Detect APIs once each, so each API needs ${num(r.rekognition.callsPerApiPerSecond)} TPS ` +
      `against \`rekognitionTps\` = ${r.rekognition.tps}: the pipeline tops out at ${num(r.rekognition.maxRate)} images/s, and the event source's ` +
      `maximum concurrency is sized from it (${r.rekognition.concurrency} executions x ${r.inFlight} images / 1 s = ` +
      `${num(r.rekognition.rateBoundByConcurrency)} images/s). **Binding with Rekognition:** the Rekognition TPS quota; **the setting:** ` +
      "`rekognitionTps`, after raising the account's Rekognition quotas.",
  ].join('\n');
}

function costSection(m: ReportInput['measured'][number], other?: ReportInput['measured'][number]): string {
  const c = m.result.cost;
  const rows = c.rows.map((row) => {
    const before = PREVIOUS_COSTS[row.item];
    return [
      row.item,
      row.arithmetic,
      `${row.usd.toFixed(4)}${row.monthly ? ' per month' : ''}`,
      before ? `${before.usd.toFixed(4)} (${before.basis})` : '',
    ];
  });
  return [
    `### Cost per 1,000 images (${m.label}, us-east-1 list prices)`,
    '',
    table(
      ['item', 'arithmetic', 'USD per 1,000', 'docs/costs.md before'],
      [
        ...rows,
        [
          '**the pipeline, `inference=none`**',
          'sum of the per-image rows',
          `**${c.pipeline.toFixed(4)}**, + ${c.monthly.toFixed(4)} per month of storage`,
          `${PREVIOUS_PIPELINE_TOTAL}`,
        ],
        ['Rekognition (`inference=rekognition`)', '4 APIs x 1,000 x $0.001', `**${c.rekognition.toFixed(2)}**`, '4.00'],
      ],
    ),
    '',
    other
      ? `For ${other.label}: ${other.result.cost.pipeline.toFixed(4)} per 1,000, + ${other.result.cost.monthly.toFixed(4)} per month of storage.`
      : '',
  ].join('\n');
}

export function renderMarkdown(input: ReportInput): string {
  const headline = input.measured.at(-1);
  const other = input.measured.length > 1 ? input.measured[0] : undefined;
  if (!headline) throw new Error('nothing measured');
  return [
    '# Capacity at 1,000 images/s',
    '',
    `\`${input.command}\``,
    '',
    `${input.date}; ${input.machine}; load ${input.load.before} before, ${input.load.after} after; ${input.emulator}; ` +
      `run ${num(input.wallS)} s. Corpus: ${input.corpus}. ${input.build}`,
    '',
    `Settings: ${input.settingsLine}. Deployed configuration: ${input.deployedLine}.`,
    '',
    '## Measured per image (local run, `--inference none`, default settings)',
    '',
    "Requests counted by a proxy in front of moto (every call the runner's handlers make, and the client's presigned " +
      "POST); SQS receives include the local poller's empty long polls. Item bytes by AWS's size rules on the items " +
      'read back (the PENDING item from the PutItem the proxy saw).',
    '',
    measuredTable(input),
    '',
    '## The model',
    '',
    modelSection(headline),
    '',
    other
      ? `For comparison, ${other.label}: the first limit is ${limitLine(other.result.binding.first)}; the processor needs ${num(other.result.concurrency.processor)} concurrent executions at ${num(other.result.rate)}/s.`
      : '',
    '',
    costSection(headline, other),
    '',
    '## Assumptions',
    '',
    ...input.assumptions.map((line) => `- ${line}`),
    '',
  ].join('\n');
}
