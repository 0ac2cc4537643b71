/**
 * The backfill model: from per-object figures measured in a local backfill run, how long a backfill of `objects`
 * photos takes, which limit sets the pace, and which settings bring them in within a given time. Pure functions.
 *
 * 1. Every stage a photo passes gives a rate in images a second: the map's enqueueing (backfillMaxConcurrency x 10 /
 *    a child's duration), the processor (its event source's maximum concurrency / execution-seconds per image), S3's
 *    per-prefix request rates, DynamoDB's per-key rates, Step Functions' transitions, Lambda's account concurrency,
 *    and with `inference=rekognition` the Rekognition TPS quota. The lowest binds.
 * 2. The time: the SQS pollers' ramp to the processor's concurrency, then the objects at the binding rate.
 * 3. The settings for a deadline: the processor's concurrency the rate needs, and with Rekognition the TPS.
 */
import { MAX_ITEMS_PER_BATCH } from '../../lambdas/backfill/definition';
import { RUN_COUNTER_SHARDS } from '../../lambdas/backfill/run-keys';
import type { DeploymentSettings } from '../../lambdas/settings';
import { imagesInFlight, processorConcurrency, REKOGNITION_SECONDS_PER_IMAGE } from '../../lambdas/settings/processing';
import { lambdaVcpus } from '../capacity/model';
import type { Assumptions, Quotas } from '../support/aws-assumptions';

/**
 * A child's duration in AWS as the definition's header estimates it (a SendMessageBatch and an UpdateItem): not
 * measured, shown beside the model's figure from moto.
 */
export const ESTIMATED_AWS_CHILD_S = 0.2;

/** What one backfilled photo costs the pipeline, from the local run. */
export interface BackfillMeasured {
  /** The runner's CPU seconds per image over the backfill (the processor's work; the map's polls are noise). */
  cpuS: number;
  /** Seconds one child execution (a batch of ten) took in moto: StartExecution to its end. */
  childS: number;
  /** PUTs per image under each prefix of the pipeline's bucket. */
  s3WritesByPrefix: Record<string, number>;
  /** Write units per image: the record (table, indexes), the search postings. */
  recordWru: number;
  postingWru: number;
}

export interface BackfillModelInput {
  objects: number;
  /** The deadline the settings are sought for, seconds. */
  deadlineS: number;
  settings: DeploymentSettings;
  measured: BackfillMeasured;
  quotas: Quotas;
  assumptions: Pick<Assumptions, 'lambdaCoreSpeed'>;
}

/** One stage's pace: images a second it can take, and what moves it. */
export interface RateRow {
  area: string;
  what: string;
  /** Images a second at which this limit is reached. */
  rate: number;
  /** How it follows: `n per image against limit`. */
  basis: string;
  moves: string;
  /** `ramp`: a new table's starting capacity, which grows with traffic or is raised ahead (not a ceiling). */
  kind: 'hard' | 'ramp';
}

/** Execution-seconds an image keeps a processor busy: CPU-bound, or with Rekognition its 1 s shared by the batch. */
export function executionSeconds(
  cpuS: number,
  settings: DeploymentSettings,
  quotas: Quotas,
  coreSpeed: number,
): { cpuBound: number; latencyBound: number; perImage: number } {
  const cpuBound = cpuS / (lambdaVcpus(settings.processorMemoryMb, quotas) * coreSpeed);
  const latencyBound =
    settings.inference === 'rekognition' ? REKOGNITION_SECONDS_PER_IMAGE / Math.max(1, imagesInFlight(settings)) : 0;
  return { cpuBound, latencyBound, perImage: Math.max(cpuBound, latencyBound) };
}

/** The pace of every stage for `settings` (its `inference` decides whether Rekognition is in the path). */
export function backfillRates(input: BackfillModelInput, settings: DeploymentSettings = input.settings): RateRow[] {
  const { measured: m, quotas } = input;
  const seconds = executionSeconds(m.cpuS, settings, quotas, input.assumptions.lambdaCoreSpeed);
  const concurrency = processorConcurrency(settings);
  const perBatch = MAX_ITEMS_PER_BATCH;
  const s3 = Object.entries(m.s3WritesByPrefix).map(
    ([prefix, writes]): RateRow => ({
      area: 'S3',
      what: `PUTs under ${prefix} (one partition: ULID keys grow at the end)`,
      rate: quotas.s3WritesPerPrefix / writes,
      basis: `${writes.toFixed(2)} per image against ${quotas.s3WritesPerPrefix.toLocaleString('en-US')}/s`,
      moves: prefix.startsWith('thumbnails') ? '`thumbnailSizes` (fewer sizes)' : 'the eager renditions',
      kind: 'hard',
    }),
  );
  const rows: RateRow[] = [
    {
      area: 'Lambda',
      what: "the processor's event source maximum concurrency",
      rate: concurrency / seconds.perImage,
      basis: `${concurrency} executions / ${seconds.perImage.toFixed(3)} s per image`,
      moves: '`processorMaxConcurrency` (2-1,000); `processorMemoryMb` while CPU-bound',
      kind: 'hard',
    },
    {
      area: 'Lambda',
      what: 'account concurrency (the processor alone)',
      rate: quotas.lambdaAccountConcurrency / seconds.perImage,
      basis: `${quotas.lambdaAccountConcurrency.toLocaleString('en-US')} executions / ${seconds.perImage.toFixed(3)} s`,
      moves: 'a Service Quotas increase',
      kind: 'hard',
    },
    {
      area: 'Step Functions',
      what: "the map's enqueueing (children at once x 10 / a child's duration)",
      rate: (settings.backfillMaxConcurrency * perBatch) / m.childS,
      basis: `${settings.backfillMaxConcurrency} x ${perBatch} / ${m.childS.toFixed(2)} s`,
      moves: '`backfillMaxConcurrency` (1-10,000)',
      kind: 'hard',
    },
    {
      area: 'Step Functions',
      what: "the parent's state transitions (about 1 per child)",
      rate: quotas.stepFunctionsTransitionsPerSecond * perBatch,
      basis: `1/${perBatch} per image against ${quotas.stepFunctionsTransitionsPerSecond.toLocaleString('en-US')}/s`,
      moves: 'a Service Quotas increase',
      kind: 'hard',
    },
    ...s3,
    {
      area: 'S3',
      what: 'GETs of the originals (one source prefix)',
      rate: quotas.s3ReadsPerPrefix,
      basis: `1 per image against ${quotas.s3ReadsPerPrefix.toLocaleString('en-US')}/s`,
      moves: 'several runs over different prefixes',
      kind: 'hard',
    },
    {
      area: 'DynamoDB',
      what: "the run item's `queued` (1 ADD per batch)",
      rate: quotas.partitionWcu * perBatch,
      basis: `1/${perBatch} WCU per image against ${quotas.partitionWcu.toLocaleString('en-US')}/s`,
      moves: 'none needed',
      kind: 'hard',
    },
    {
      area: 'DynamoDB',
      what: `one outcome counter shard (1 ADD per image over ${RUN_COUNTER_SHARDS})`,
      rate: quotas.partitionWcu * RUN_COUNTER_SHARDS,
      basis: `1/${RUN_COUNTER_SHARDS} WCU per image against ${quotas.partitionWcu.toLocaleString('en-US')}/s`,
      moves: 'RUN_COUNTER_SHARDS',
      kind: 'hard',
    },
    {
      area: 'DynamoDB',
      what: 'search table writes, a new on-demand table [starting capacity]',
      rate: quotas.onDemandNewTableWcu / m.postingWru,
      basis: `${m.postingWru.toFixed(1)} WCU per image against ${quotas.onDemandNewTableWcu.toLocaleString('en-US')}/s`,
      moves: 'warm throughput (pre-warm), or ramp up: on demand absorbs 2x the previous peak',
      kind: 'ramp',
    },
    {
      area: 'DynamoDB',
      what: 'results table writes, a new on-demand table [starting capacity]',
      rate: quotas.onDemandNewTableWcu / (m.recordWru + 1 + 1 / perBatch),
      basis: `${(m.recordWru + 1 + 1 / perBatch).toFixed(1)} WCU per image (record, counters) against ${quotas.onDemandNewTableWcu.toLocaleString('en-US')}/s`,
      moves: 'warm throughput (pre-warm), or ramp up',
      kind: 'ramp',
    },
  ];
  if (settings.inference === 'rekognition') {
    rows.push({
      area: 'Rekognition',
      what: 'TPS of each Detect API (`rekognitionTps`)',
      rate: settings.rekognitionTps,
      basis: `1 call per API per image against ${settings.rekognitionTps}/s`,
      moves: "`rekognitionTps`, after raising the account's Rekognition quotas",
      kind: 'hard',
    });
  }
  return rows.sort((a, b) => a.rate - b.rate);
}

/** How long `objects` take at the binding rate, after the SQS pollers have ramped up to the concurrency. */
export function backfillTime(input: BackfillModelInput, settings: DeploymentSettings = input.settings) {
  const rows = backfillRates(input, settings);
  const binding = rows.find((row) => row.kind === 'hard') as RateRow;
  const concurrency = processorConcurrency(settings);
  // Lambda's SQS pollers start at 5 batches at once and add 300 a minute; counted whole, on the safe side.
  const rampS = (Math.max(0, concurrency - input.quotas.sqsPollerStart) / input.quotas.sqsPollerAddedPerMinute) * 60;
  return { rows, binding, concurrency, rampS, seconds: rampS + input.objects / binding.rate };
}

/**
 * The least settings that bring `objects` in within `deadlineS`, found by trying upwards (undefined when no setting
 * does, another limit binding first):
 * - `explicit`: the least `processorMaxConcurrency` (and with Rekognition, first the least `rekognitionTps`);
 * - `derived` (Rekognition): the least `rekognitionTps` whose derived event source concurrency is enough alone.
 */
export function settingsForDeadline(input: BackfillModelInput, inference: DeploymentSettings['inference']) {
  const base: DeploymentSettings = { ...input.settings, inference, processorMaxConcurrency: undefined };
  const fits = (settings: DeploymentSettings) => backfillTime(input, settings).seconds <= input.deadlineS;
  const answer = (settings: DeploymentSettings) => ({ settings, ...backfillTime(input, settings) });
  const leastConcurrency = (settings: DeploymentSettings) => {
    for (let concurrency = 2; concurrency <= 1000; concurrency++) {
      if (fits({ ...settings, processorMaxConcurrency: concurrency })) return concurrency;
    }
    return undefined;
  };
  if (inference !== 'rekognition') {
    const concurrency = leastConcurrency(base);
    return { explicit: concurrency ? answer({ ...base, processorMaxConcurrency: concurrency }) : undefined };
  }
  let explicit: ReturnType<typeof answer> | undefined;
  let derived: ReturnType<typeof answer> | undefined;
  // Each photo calls each Detect API once, so no TPS under objects / deadline can do.
  const least = Math.max(base.rekognitionTps, Math.ceil(input.objects / input.deadlineS));
  for (let tps = least; tps <= 10_000 && !(explicit && derived); tps++) {
    const settings = { ...base, rekognitionTps: tps };
    if (!derived && fits(settings)) derived = answer(settings);
    const concurrency = explicit ? undefined : leastConcurrency(settings);
    if (concurrency) explicit = answer({ ...settings, processorMaxConcurrency: concurrency });
  }
  return { explicit, derived };
}
