import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { MAX_ITEMS_PER_BATCH } from '../backfill/definition';
import type { BackfillInput } from '../backfill/plan';

export type { BackfillInput } from '../backfill/plan';

export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One run as DescribeExecution and DescribeMapRun tell it. */
export interface LocalRun {
  name: string;
  input: BackfillInput;
  status: RunStatus;
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
  /** Objects the listing gave (the map run's item count). */
  listed: number;
  /** Objects of batches whose child execution succeeded, failed. */
  succeeded: number;
  failed: number;
}

export interface LocalBackfillOptions {
  s3: S3Client;
  /** moto's Step Functions, where the child definition runs. */
  sfn: SFNClient;
  /** The child state machine (enqueueBatchDefinition) created in moto. */
  childArn: string;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  /** How often a child execution is asked whether it is done. @default 100 */
  pollMs?: number;
}

/**
 * The backfill state machine's Distributed Map, done by the runner, because moto 5.2's interpreter cannot run it
 * (it has no ItemBatcher, no EXPRESS children, and refuses a whole-number ToleratedFailurePercentage):
 *
 * - the ItemReader: ListObjectsV2 of `bucket/prefix`, a page of up to 1,000 at a time, each object as AWS's
 *   reader gives it (`Key`, `Size`, `Etag`, `LastModified` in epoch seconds, `StorageClass`);
 * - the ItemBatcher: ten objects a batch with the BatchInput `{run, bucket, owner, reprocess, regroupFaces, reown}`;
 * - MaxConcurrency: at most that many batches at once;
 * - each batch runs as an execution of the child definition, the very JSON the stack deploys, in moto's Step
 *   Functions: its SendMessageBatch of the messages and its count on the run item happen there;
 * - ToleratedFailurePercentage: the run fails once more of the listed objects than that are in failed batches.
 * A listing that fails (no such bucket, no permission) fails the run with `States.ItemReaderFailed`, as in AWS.
 */
export class LocalBackfills {
  private readonly runs = new Map<string, LocalRun>();

  constructor(private readonly options: LocalBackfillOptions) {}

  /** Starts a run (in the background) and answers it; a name already used answers the run it names. */
  start(name: string, input: BackfillInput): LocalRun {
    const existing = this.runs.get(name);
    if (existing) return existing;
    const run: LocalRun = { name, input, status: 'RUNNING', startDate: new Date(), listed: 0, succeeded: 0, failed: 0 };
    this.runs.set(name, run);
    void this.execute(run).catch((error: Error) => finish(run, 'States.Runtime', error.message));
    return run;
  }

  get(name: string): LocalRun | undefined {
    return this.runs.get(name);
  }

  /** Newest first, as ListExecutions answers. */
  list(status?: RunStatus): LocalRun[] {
    return [...this.runs.values()]
      .filter((run) => status === undefined || run.status === status)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  private async execute(run: LocalRun): Promise<void> {
    const running = new Set<Promise<void>>();
    let batch = 0;
    try {
      for await (const items of this.pages(run.input)) {
        run.listed += items.length;
        for (let i = 0; i < items.length; i += MAX_ITEMS_PER_BATCH) {
          while (running.size >= this.options.maxConcurrency) await Promise.race(running);
          const task = this.child(run, batch++, items.slice(i, i + MAX_ITEMS_PER_BATCH));
          const tracked: Promise<void> = task.finally(() => running.delete(tracked));
          running.add(tracked);
        }
      }
    } catch (error) {
      await Promise.allSettled(running);
      finish(
        run,
        'States.ItemReaderFailed',
        `listing s3://${run.input.bucket}/${run.input.prefix} failed: ${(error as Error).message}`,
      );
      return;
    }
    await Promise.allSettled(running);
    const failedPercent = run.listed === 0 ? 0 : (100 * run.failed) / run.listed;
    if (failedPercent > this.options.toleratedFailurePercentage) {
      finish(
        run,
        'States.ExceedToleratedFailureThreshold',
        `${run.failed} of ${run.listed} objects were in failed batches, over the ${this.options.toleratedFailurePercentage} % tolerated`,
      );
    } else {
      finish(run);
    }
  }

  /** The listing, as the ItemReader reads it: pages of objects in AWS's item shape. */
  private async *pages(input: BackfillInput): AsyncGenerator<Record<string, unknown>[]> {
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(
        new ListObjectsV2Command({ Bucket: input.bucket, Prefix: input.prefix || undefined, ContinuationToken: token }),
      );
      yield (page.Contents ?? []).map((object) => ({
        Key: object.Key,
        Size: object.Size ?? 0,
        Etag: object.ETag,
        LastModified: Math.floor((object.LastModified?.getTime() ?? 0) / 1000),
        StorageClass: object.StorageClass ?? 'STANDARD',
      }));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** One batch as an execution of the child definition in moto; its objects counted succeeded or failed. */
  private async child(run: LocalRun, index: number, items: Record<string, unknown>[]): Promise<void> {
    const { sfn, childArn, pollMs = 100 } = this.options;
    const { bucket, owner, reprocess } = run.input;
    // A run started by hand, or by an older runner, may lack these fields: the batch's paths must exist.
    const regroupFaces = run.input.regroupFaces === true;
    const reown = run.input.reown === true;
    try {
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: childArn,
          name: `${run.name}-${index}`,
          input: JSON.stringify({
            BatchInput: { run: run.name, bucket, owner, reprocess, regroupFaces, reown },
            Items: items,
          }),
        }),
      );
      for (;;) {
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status === 'SUCCEEDED') {
          run.succeeded += items.length;
          return;
        }
        if (execution.status !== 'RUNNING') throw new Error(`${execution.error}: ${execution.cause}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    } catch {
      run.failed += items.length;
    }
  }
}

function finish(run: LocalRun, error?: string, cause?: string): void {
  if (run.status !== 'RUNNING') return;
  Object.assign(run, { status: error ? 'FAILED' : 'SUCCEEDED', stopDate: new Date(), error, cause });
}
