import type {
  BackfillExecutionDetail,
  BackfillExecutionPage,
  BackfillListQuery,
  IBackfillExecutions,
} from '../../lambdas/backfill/executions';
import type { BackfillInput } from '../../lambdas/backfill/plan';
import type { BackfillStatus } from '../../lambdas/backfill/run-contract';
import type { RunCounts } from '../../lambdas/backfill/run-status';
import type { IStartLeases, StartLease } from '../../lambdas/backfill/start-lease';

/**
 * The backfill state machine's executions in memory, as Step Functions answers them: runs newest first (by id, a
 * ULID in the product), ListExecutions paged and filtered by status, DescribeExecution with the input. `counts` are
 * the run items' counters the processor would have added to.
 */
export class BackfillExecutionsFake implements IBackfillExecutions {
  readonly runs = new Map<string, BackfillExecutionDetail>();
  readonly counted = new Map<string, RunCounts>();
  readonly calls: string[] = [];

  /** A run as if started earlier, in `status`, with `queued` objects of which `finished` have an outcome. */
  add(id: string, input: Partial<BackfillInput>, status: BackfillStatus = 'RUNNING', queued = 0, finished = 0): void {
    this.runs.set(id, { id, status, startedAt: new Date().toISOString(), input });
    this.counted.set(id, { ...NONE, queued, processed: finished });
  }

  async start(id: string, input: BackfillInput): Promise<string> {
    this.calls.push(`start ${id}`);
    this.add(id, input);
    return new Date().toISOString();
  }

  async describe(id: string): Promise<BackfillExecutionDetail | undefined> {
    this.calls.push(`describe ${id}`);
    return this.runs.get(id);
  }

  async listed(): Promise<number> {
    return 0;
  }

  async list({ limit, next, status }: BackfillListQuery): Promise<BackfillExecutionPage> {
    this.calls.push(`list ${status ?? 'all'}`);
    const runs = [...this.runs.values()]
      .filter((run) => status === undefined || run.status === status)
      .sort((a, b) => b.id.localeCompare(a.id));
    const from = Number(next ?? 0);
    const items = runs.slice(from, from + limit).map(({ input: _input, ...summary }) => summary);
    return { items, ...(runs.length > from + limit && { next: String(from + limit) }) };
  }

  counts = async (id: string): Promise<RunCounts> => this.counted.get(id) ?? NONE;
}

const NONE: RunCounts = { queued: 0, processed: 0, rejected: 0, skipped: 0, placeholders: 0, missing: 0, failed: 0 };

/** The buckets' start leases in memory, as DynamoStartLeases keeps them (without time: a lease lasts until given back). */
export class StartLeasesFake implements IStartLeases {
  readonly leases = new Map<string, { holder?: string; lastRun?: string }>();

  async take(bucket: string, holder: string): Promise<StartLease> {
    const lease = this.leases.get(bucket) ?? {};
    if (lease.holder !== undefined) return { taken: false };
    this.leases.set(bucket, { ...lease, holder });
    return lease.lastRun ? { taken: true, lastRun: lease.lastRun } : { taken: true };
  }

  async release(bucket: string, holder: string, started: boolean): Promise<void> {
    const lease = this.leases.get(bucket);
    if (lease?.holder !== holder) return;
    this.leases.set(bucket, { lastRun: started ? holder : lease.lastRun });
  }
}
