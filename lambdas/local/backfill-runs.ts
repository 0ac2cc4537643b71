import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { MAX_ITEMS_PER_BATCH } from '../backfill/definition';
import type { BackfillInput } from '../backfill/plan';
import { arnUnder } from '../backfill/state-machine-arns';
import type { BackfillRunStore, LocalRun, MapPosition, RunStatus } from './backfill-run-store';

export type { BackfillInput } from '../backfill/plan';
export type { LocalRun, RunStatus } from './backfill-run-store';

type Item = Record<string, unknown>;

export interface LocalBackfillOptions {
  s3: S3Client;
  /** moto's Step Functions, where the child definition runs. */
  sfn: SFNClient;
  /** The child state machine (enqueueBatchDefinition) created in moto. */
  childArn: string;
  /** Where the runs are kept, in the emulator (backfill-run-store.ts). */
  store: BackfillRunStore;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  /** Objects a page of the listing holds. @default 1000, the ItemReader's (ListObjectsV2's most) */
  pageSize?: number;
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
 *
 * The runs are kept in the emulator (backfill-run-store.ts), as AWS keeps executions. A runner killed mid-run and
 * started again on the same emulator and prefix answers them, and `resume` carries each RUNNING one on: it lists
 * again the page it was on (from the key that page started after, as many objects as it held), runs that page's
 * batches not yet counted, and goes on from there. A batch is the child execution `<run>-<n>` whatever runner
 * starts it, so one a killed runner had started is followed to its end, not started again: no batch is queued twice
 * and none is lost. A page's batches all end before the next page is listed, so only one page is ever half done.
 */
export class LocalBackfills {
  private readonly runs = new Map<string, LocalRun>();

  constructor(private readonly options: LocalBackfillOptions) {}

  /** Read the runs kept in the emulator, and carry on (in the background) those a stopped runner left RUNNING. */
  async resume(): Promise<void> {
    for (const { run, position } of await this.options.store.all()) {
      this.runs.set(run.name, run);
      if (run.status === 'RUNNING') this.launch(run, position);
    }
  }

  /**
   * Starts a run (in the background) once it is kept, and answers it; a name already used answers the run it
   * names.
   */
  async start(name: string, input: BackfillInput): Promise<LocalRun> {
    const existing = this.runs.get(name);
    if (existing) return existing;
    const run: LocalRun = { name, input, status: 'RUNNING', startDate: new Date(), listed: 0, succeeded: 0, failed: 0 };
    this.runs.set(name, run);
    try {
      await this.options.store.started(run);
    } catch (error) {
      this.runs.delete(name);
      throw error;
    }
    this.launch(run);
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

  private launch(run: LocalRun, position?: MapPosition): void {
    void this.execute(run, position)
      .catch((error: Error) => this.finish(run, 'States.Runtime', error.message))
      .catch(() => undefined);
  }

  /** The map from `position` (a page already listed and counted) or from the start: page after page. */
  private async execute(run: LocalRun, position?: MapPosition): Promise<void> {
    let page: MapPosition = position ?? { after: '', size: 0, firstBatch: 0, done: [] };
    let counted = position !== undefined;
    for (;;) {
      let listing: { items: Item[]; truncated: boolean };
      try {
        listing =
          counted && page.size === 0
            ? { items: [], truncated: false }
            : await this.listPage(run.input, page.after, counted ? page.size : undefined);
      } catch (error) {
        const { bucket, prefix } = run.input;
        const cause = `listing s3://${bucket}/${prefix} failed: ${(error as Error).message}`;
        return this.finish(run, 'States.ItemReaderFailed', cause);
      }
      if (!counted) {
        run.listed += listing.items.length;
        page = { ...page, size: listing.items.length };
        await this.options.store.page(run, page);
      }
      await this.batches(run, listing.items, page);
      const last = listing.items.at(-1)?.Key;
      if (!listing.truncated || typeof last !== 'string') break;
      const firstBatch = page.firstBatch + Math.ceil(listing.items.length / MAX_ITEMS_PER_BATCH);
      page = { after: last, size: 0, firstBatch, done: [] };
      counted = false;
    }
    const failedPercent = run.listed === 0 ? 0 : (100 * run.failed) / run.listed;
    if (failedPercent > this.options.toleratedFailurePercentage) {
      await this.finish(
        run,
        'States.ExceedToleratedFailureThreshold',
        `${run.failed} of ${run.listed} objects were in failed batches, over the ${this.options.toleratedFailurePercentage} % tolerated`,
      );
    } else {
      await this.finish(run);
    }
  }

  /** One page of the listing, as the ItemReader reads it: up to `max` (1,000) objects after `after`. */
  private async listPage(input: BackfillInput, after: string, max?: number) {
    const page = await this.options.s3.send(
      new ListObjectsV2Command({
        Bucket: input.bucket,
        Prefix: input.prefix || undefined,
        StartAfter: after || undefined,
        MaxKeys: max ?? this.options.pageSize,
      }),
    );
    const items: Item[] = (page.Contents ?? []).map((object) => ({
      Key: object.Key,
      Size: object.Size ?? 0,
      Etag: object.ETag,
      LastModified: Math.floor((object.LastModified?.getTime() ?? 0) / 1000),
      StorageClass: object.StorageClass ?? 'STANDARD',
    }));
    return { items, truncated: page.IsTruncated === true };
  }

  /** The page's batches not yet done, at most maxConcurrency at once; a count that cannot be kept fails the run. */
  private async batches(run: LocalRun, items: Item[], page: MapPosition): Promise<void> {
    const done = new Set(page.done);
    const running = new Set<Promise<void>>();
    const problems: Error[] = [];
    for (let i = 0; i < items.length; i += MAX_ITEMS_PER_BATCH) {
      const index = page.firstBatch + i / MAX_ITEMS_PER_BATCH;
      if (done.has(index)) continue;
      while (running.size >= this.options.maxConcurrency) await Promise.race(running);
      const task = this.child(run, index, items.slice(i, i + MAX_ITEMS_PER_BATCH));
      const tracked: Promise<void> = task
        .catch((error: Error) => {
          problems.push(error);
        })
        .finally(() => running.delete(tracked));
      running.add(tracked);
    }
    await Promise.all(running);
    if (problems[0]) throw problems[0];
  }

  /** One batch, counted succeeded or failed (with its index marked done) in the emulator, then here. */
  private async child(run: LocalRun, index: number, items: Item[]): Promise<void> {
    const outcome = (await this.childSucceeded(run, index, items)) ? 'succeeded' : 'failed';
    await this.options.store.batch(run.name, index, outcome, items.length);
    run[outcome] += items.length;
  }

  /** One batch as the execution `<run>-<index>` of the child definition in moto: started, or followed if it was. */
  private async childSucceeded(run: LocalRun, index: number, items: Item[]): Promise<boolean> {
    const { sfn, childArn, pollMs = 100 } = this.options;
    const { bucket, owner, reprocess } = run.input;
    // A run started by hand, or by an older runner, may lack these fields: the batch's paths must exist.
    const regroupFaces = run.input.regroupFaces === true;
    const reown = run.input.reown === true;
    const name = `${run.name}-${index}`;
    try {
      let executionArn = `${arnUnder(childArn, 'execution')}:${name}`;
      try {
        const input = JSON.stringify({
          BatchInput: { run: run.name, bucket, owner, reprocess, regroupFaces, reown },
          Items: items,
        });
        ({ executionArn = executionArn } = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: childArn, name, input }),
        ));
      } catch (error) {
        // Started by a runner that was killed before it counted the batch: its messages are out, or going.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
      for (;;) {
        const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (execution.status === 'SUCCEEDED') return true;
        if (execution.status !== 'RUNNING') return false;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    } catch {
      return false;
    }
  }

  /** The run's end, kept in the emulator. */
  private async finish(run: LocalRun, error?: string, cause?: string): Promise<void> {
    if (run.status !== 'RUNNING') return;
    Object.assign(run, { status: error ? 'FAILED' : 'SUCCEEDED', stopDate: new Date(), error, cause });
    await this.options.store.finished(run);
  }
}
