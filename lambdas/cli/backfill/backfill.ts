import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StepFunctionsBackfills } from '../../backfill/executions';
import { findOverlappingRun, overlapMessage } from '../../backfill/overlap';
import { type BackfillInput, BackfillRequestError, newRunId, planBackfill } from '../../backfill/plan';
import { inFlight, readRunCounts } from '../../backfill/run-status';
import { errorText, TargetError } from '../deployment-target';
import { countsText, type FollowResult, followRun, type RunReader } from './follow';
import { BACKFILL_EXIT } from './help';
import { plainProgress, seconds, terminalProgress } from './progress';
import { type BackfillTarget, backfillTarget } from './target';

export interface BackfillFlags {
  /** A deployed stack's name: its outputs come from CloudFormation. */
  stack?: string;
  region?: string;
  /** The local runner's URL: its outputs come from `GET /_local/outputs`, with the runner's API credentials. */
  api?: string;
  /** `--api-key`, for a runner started with --auth apikey. */
  apiKey?: string;
  /** `--token`, for a runner started with --auth jwt. */
  token?: string;
  /** Default: the deployment's own bucket (its uploads/), as `people recluster` runs it. */
  bucket?: string;
  prefix?: string;
  owner?: string;
  reprocess?: boolean;
  /** Embed the images without a vector of the current model: a reprocess, which takes exactly those too. */
  reembed?: boolean;
  /** Group every image's faces afresh (docs/people.md#re-clustering); implies reprocess. */
  regroupFaces?: boolean;
  /** Give images recorded under another owner the one their key gets now (docs/api.md#backfills). */
  reown?: boolean;
  /** Start it even though a run over the same bucket and an overlapping prefix is not done yet. */
  force?: boolean;
  /** false with --no-wait: start the run and exit. */
  wait: boolean;
  /** Seconds to wait for the run to finish. */
  timeout: number;
}

/** What the command reads its target and paces its polls with; tests hand in their own. */
export interface BackfillDeps {
  target?: (flags: BackfillFlags) => Promise<BackfillTarget>;
  pollMs?: number;
  now?: () => number;
  /** Stops the wait as Ctrl-C does. */
  signal?: AbortSignal;
  /** The terminal the progress line is drawn on; else plain lines through `out`. */
  tty?: NodeJS.WriteStream;
}

/**
 * `image-intel backfill`: bring the objects under a bucket and prefix into the pipeline, through the deployment's
 * backfill state machine, and wait until the processor has an outcome for each.
 *
 * 1. Read the target's outputs (the stack's, or the runner's) and check the request against the buckets the
 *    deployment may read (planBackfill), then that the bucket is there (ListObjectsV2, your credentials): nothing
 *    starts otherwise.
 * 2. Unless --force, no run over the same bucket and an overlapping prefix that is not done yet (findOverlappingRun,
 *    as POST /backfills checks): one is named on stderr, and nothing starts.
 * 3. StartExecution, named by a new run id, with the plan as its input.
 * 4. Unless --no-wait, poll the execution, its map run and the run's counts, drawing progress, until the run has
 *    finished, failed, --timeout passed or Ctrl-C; then the summary, and the exit code says which.
 */
export async function backfillCommand(
  flags: BackfillFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
  deps: BackfillDeps = {},
): Promise<number> {
  let target: BackfillTarget;
  let input: BackfillInput;
  try {
    target = await (deps.target ?? backfillTarget)(flags);
    const { prefix, owner, regroupFaces, reown } = flags;
    const reprocess = flags.reprocess || flags.reembed;
    const bucket = flags.bucket ?? target.scope.pipelineBucket;
    input = planBackfill({ bucket, prefix, owner, reprocess, regroupFaces, reown }, target.scope);
  } catch (error) {
    if (!(error instanceof TargetError || error instanceof BackfillRequestError)) throw error;
    err(error.message);
    return BACKFILL_EXIT.noTarget;
  }
  const aws = target.aws;
  const where = `${input.bucket}/${input.prefix}`;
  const checked = await checkBucket(new S3Client({ ...aws, forcePathStyle: Boolean(aws.endpoint) }), input);
  if (checked.error) {
    err(checked.error);
    return BACKFILL_EXIT.noTarget;
  }
  if (checked.note) err(`note: ${checked.note}`);

  const sfn = new SFNClient({ ...aws, endpoint: target.stepFunctionsEndpoint ?? aws.endpoint });
  const table = DynamoDBDocumentClient.from(new DynamoDBClient(aws));
  if (!flags.force) {
    const refused = await overlapRefusal(sfn, table, target, input, flags.api);
    if (refused) {
      err(refused);
      return BACKFILL_EXIT.noTarget;
    }
  }
  const runId = newRunId();
  let executionArn: string;
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: target.stateMachineArn, name: runId, input: JSON.stringify(input) }),
    );
    executionArn = started.executionArn ?? '';
  } catch (error) {
    err(`cannot start the backfill of ${where} on ${target.label}: ${errorText(error)}`);
    return BACKFILL_EXIT.noTarget;
  }
  const follow = target.followCommand?.(executionArn);
  out(`image-intel backfill: ${target.label}`);
  const analysis = input.regroupFaces
    ? ', re-analysing every image and grouping its faces afresh'
    : input.reprocess
      ? ', re-analysing older versions'
      : '';
  // The owner asked for: an image whose source entry names one gets that one (ownerOf).
  out(`run ${runId} started: ${where} (owner ${input.owner ?? 'none'}${input.reown ? ', re-owning' : ''}${analysis})`);
  if (follow) out(`follow it: ${follow}`);
  if (!flags.wait) return BACKFILL_EXIT.ok;

  // Ctrl-C stops the wait, not the run: Step Functions and the processor go on without us.
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.once('SIGINT', onInterrupt);
  deps.signal?.addEventListener('abort', onInterrupt, { once: true });
  const tty = 'tty' in deps ? deps.tty : process.stdout.isTTY ? process.stdout : undefined;
  const reader = runReader(sfn, table, target, executionArn, runId);
  const result = await followRun(reader, {
    timeoutMs: flags.timeout * 1000,
    pollMs: deps.pollMs ?? 1000,
    now: deps.now,
    signal: interrupt.signal,
    progress: tty ? terminalProgress(tty) : plainProgress(out),
  }).finally(() => process.off('SIGINT', onInterrupt));
  return summarize(result, { runId, flags, target, follow }, out, err);
}

/** The last lines: the verdict with every count on stdout, what to do about it on stderr; the exit code. */
function summarize(
  result: FollowResult,
  run: { runId: string; flags: BackfillFlags; target: BackfillTarget; follow?: string },
  out: (line: string) => void,
  err: (line: string) => void,
): number {
  const counts = countsText(result);
  const took = seconds(result.elapsedMs);
  // The state machine may be done while the processor is not: say which one the run waits on.
  const pending = inFlight(result.counts);
  const state = `execution ${result.status}${result.status === 'SUCCEEDED' ? `, ${pending} still with the processor` : ''}`;
  const goesOn = `backfill ${run.runId} goes on${run.follow ? `; follow it: ${run.follow}` : ' in the runner'}`;
  switch (result.end) {
    case 'finished': {
      out(`backfill finished in ${took}: ${counts}`);
      const failed = result.counts.failed + result.notQueued;
      if (failed === 0) return BACKFILL_EXIT.ok;
      if (result.counts.failed > 0) {
        err(`${result.counts.failed} failed their last attempt: their messages are in the DLQ ${run.target.dlqUrl}`);
      }
      if (result.notQueued > 0) {
        err(`${result.notQueued} could not be queued: see the map run's results under backfills/ in the bucket`);
      }
      return BACKFILL_EXIT.someRejectedOrFailed;
    }
    case 'failed':
      out(`backfill FAILED after ${took}: ${counts}`);
      err(
        `the execution is ${result.status}: ${result.error ?? 'no error given'}${result.cause ? `: ${result.cause}` : ''}`,
      );
      return BACKFILL_EXIT.someRejectedOrFailed;
    case 'timedOut':
      out(`backfill not finished after ${took} (${state}): ${counts}`);
      err(`stopped waiting after --timeout ${run.flags.timeout} s: ${goesOn}`);
      return BACKFILL_EXIT.stoppedWaiting;
    case 'lost':
      out(`backfill not finished when last read, after ${took} (${state}): ${counts}`);
      err(`the run could no longer be read (${result.lostBecause}): ${goesOn}`);
      return BACKFILL_EXIT.stoppedWaiting;
    case 'interrupted':
      out(`backfill not finished when interrupted, after ${took} (${state}): ${counts}`);
      err(`stopped waiting (Ctrl-C): ${goesOn}`);
      return BACKFILL_EXIT.interrupted;
  }
}

/**
 * Is the bucket there? One ListObjectsV2 of a key under the prefix with your credentials. A bucket that does not
 * exist stops the command; a refusal is only a note, since the state machine lists with its own role.
 */
export async function checkBucket(s3: S3Client, input: BackfillInput): Promise<{ error?: string; note?: string }> {
  const where = `${input.bucket}/${input.prefix}`;
  try {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: input.bucket, Prefix: input.prefix, MaxKeys: 1 }));
    return listed.KeyCount ? {} : { note: `no object under ${where}: the run will list nothing` };
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === 'NoSuchBucket' || $metadata?.httpStatusCode === 404) {
      return { error: `bucket ${input.bucket} does not exist: check --bucket (nothing was started)` };
    }
    const refused = name === 'AccessDenied' || $metadata?.httpStatusCode === 403;
    const why = refused ? 'your credentials may not list it' : `it could not be checked (${errorText(error)})`;
    return { note: `${why}: starting anyway, the state machine lists ${where} with its own role` };
  }
}

/** Why the run may not start (a run over the same keys is not done, or the runs could not be read), if it may not. */
async function overlapRefusal(
  sfn: SFNClient,
  table: DynamoDBDocumentClient,
  target: BackfillTarget,
  input: BackfillInput,
  api: string | undefined,
): Promise<string | undefined> {
  const executions = new StepFunctionsBackfills(sfn, target.stateMachineArn);
  try {
    const run = await findOverlappingRun(input, {
      executions,
      counts: (id) => readRunCounts(table, target.tableName, id),
    });
    if (!run) return undefined;
    const arn = `${target.stateMachineArn.replace(':stateMachine:', ':execution:')}:${run.id}`;
    const follow = target.followCommand?.(arn) ?? `GET ${api ?? ''}/backfills/${run.id}`;
    return `nothing was started: ${overlapMessage(input, run, { follow, force: '--force' })}`;
  } catch (error) {
    return `nothing was started: the runs could not be checked for one over the same keys (${errorText(error)}); --force starts it without the check`;
  }
}

/** The live reader: Step Functions for the execution and its map run, the results table for the counts. */
function runReader(
  sfn: SFNClient,
  table: DynamoDBDocumentClient,
  target: BackfillTarget,
  executionArn: string,
  runId: string,
): RunReader {
  let mapRunArn: string | undefined;
  return {
    async execution() {
      const answer = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return { status: answer.status ?? 'RUNNING', error: answer.error, cause: answer.cause };
    },
    async mapItems() {
      // The map run appears once the execution reaches its Distributed Map; there is one.
      mapRunArn ??= (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn;
      if (!mapRunArn) return undefined;
      const { itemCounts } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      return { total: itemCounts?.total ?? 0, failed: itemCounts?.failed ?? 0 };
    },
    counts: () => readRunCounts(table, target.tableName, runId),
  };
}
