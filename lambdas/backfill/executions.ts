import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  ListMapRunsCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { BadRequestError, TooManyRequestsError } from '../shared/errors';
import type { BackfillInput } from './plan';
import type { BackfillStatus } from './run-contract';
import { arnUnder } from './state-machine-arns';

/** One run as ListExecutions shows it: its id is the execution's name. */
export interface BackfillExecution {
  id: string;
  status: BackfillStatus;
  /** ISO 8601. */
  startedAt: string;
  stoppedAt?: string;
}

/** One run as DescribeExecution shows it: its input as given, and why it stopped when it failed. */
export interface BackfillExecutionDetail extends BackfillExecution {
  /** The execution's input, parsed: what planBackfill made of the request, unless someone started it by hand. */
  input: unknown;
  error?: string;
  cause?: string;
}

/** A page of runs, newest first; `next` asks for the following one. */
export interface BackfillExecutionPage {
  items: BackfillExecution[];
  next?: string;
}

export interface BackfillListQuery {
  limit: number;
  next?: string;
  status?: BackfillStatus;
}

/** The backfill state machine's executions: the port the backfill functions reach Step Functions through. */
export interface IBackfillExecutions {
  /** Start a run named `id`; when it started (ISO 8601). */
  start(id: string, input: BackfillInput): Promise<string>;
  /** The run named `id`, or undefined when the state machine has none of that name. */
  describe(id: string): Promise<BackfillExecutionDetail | undefined>;
  /** How many objects the run's map has listed so far (0 before its map run starts). */
  listed(id: string): Promise<number>;
  /** A page of runs, newest first; with `status`, only the runs in that status. */
  list(page: BackfillListQuery): Promise<BackfillExecutionPage>;
}

/** The Step Functions API for the state machine `stateMachineArn` (the stack's `BackfillStateMachineArn`). */
export class StepFunctionsBackfills implements IBackfillExecutions {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(id: string, input: BackfillInput): Promise<string> {
    const answer = await refusedAsBusy(() =>
      this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: id, input: JSON.stringify(input) }),
      ),
    );
    return (answer.startDate ?? new Date()).toISOString();
  }

  async describe(id: string): Promise<BackfillExecutionDetail | undefined> {
    try {
      const answer = await this.client.send(new DescribeExecutionCommand({ executionArn: this.executionArn(id) }));
      return {
        ...summaryOf(id, answer),
        input: parseInput(answer.input),
        ...(answer.error !== undefined && { error: answer.error }),
        ...(answer.cause !== undefined && { cause: answer.cause }),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  async listed(id: string): Promise<number> {
    const { mapRuns = [] } = await this.client.send(new ListMapRunsCommand({ executionArn: this.executionArn(id) }));
    // One Distributed Map in the definition, so one map run (none until the map state is reached).
    const mapRunArn = mapRuns[0]?.mapRunArn;
    if (!mapRunArn) return 0;
    const { itemCounts } = await this.client.send(new DescribeMapRunCommand({ mapRunArn }));
    return itemCounts?.total ?? 0;
  }

  async list({ limit, next, status }: BackfillListQuery): Promise<BackfillExecutionPage> {
    try {
      const answer = await this.client.send(
        new ListExecutionsCommand({
          stateMachineArn: this.stateMachineArn,
          maxResults: limit,
          nextToken: next,
          statusFilter: status,
        }),
      );
      const items = (answer.executions ?? []).map((execution) => summaryOf(execution.name ?? '', execution));
      return { items, ...(answer.nextToken && { next: answer.nextToken }) };
    } catch (error) {
      if ((error as Error).name === 'InvalidToken') {
        throw new BadRequestError('next: not a cursor this API returned (it may have expired)');
      }
      throw error;
    }
  }

  /** `arn:...:stateMachine:<name>` → `arn:...:execution:<name>:<id>`. */
  private executionArn(id: string): string {
    return `${arnUnder(this.stateMachineArn, 'execution')}:${id}`;
  }
}

function summaryOf(id: string, execution: { status?: string; startDate?: Date; stopDate?: Date }): BackfillExecution {
  return {
    id,
    status: (execution.status ?? 'RUNNING') as BackfillStatus,
    startedAt: (execution.startDate ?? new Date(0)).toISOString(),
    ...(execution.stopDate && { stoppedAt: execution.stopDate.toISOString() }),
  };
}

function parseInput(input: string | undefined): unknown {
  try {
    return JSON.parse(input ?? '{}') as unknown;
  } catch {
    return {};
  }
}

/**
 * Step Functions' refusals a caller can wait out, as 429s that say so: the account's open executions
 * (ExecutionLimitExceeded: 1,000,000 STANDARD executions running at once) and its request rate (throttling).
 */
async function refusedAsBusy<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ExecutionLimitExceeded') {
      throw new TooManyRequestsError(
        'Step Functions has too many executions running in this account: start the backfill once some have finished',
        60,
      );
    }
    if (name === 'ThrottlingException' || name === 'TooManyRequestsException') {
      throw new TooManyRequestsError('Step Functions is throttling this account: start the backfill again shortly', 5);
    }
    throw error;
  }
}
