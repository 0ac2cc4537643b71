import type { IncomingMessage, ServerResponse } from 'node:http';
import { arnUnder } from '../backfill/state-machine-arns';
import type { BackfillInput, LocalBackfills, LocalRun } from './backfill-runs';
import { listenOnLoopback } from './host-check';

export interface StepFunctionsService {
  /** For `AWS_ENDPOINT_URL_SFN`: where an SDK Step Functions client reaches the backfill state machine. */
  url: string;
  stop(): Promise<void>;
}

/** The state machine's ARN, as the stack's output names it, and the ARNs of its executions and map runs. */
export interface BackfillArns {
  stateMachineArn: string;
}

/**
 * Step Functions' API (JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`) for the backfill state machine in
 * the runner, whose Distributed Map the runner does itself (backfill-runs.ts): the code that starts and follows a
 * backfill (the API's function, the CLI) sends the requests it sends in AWS and reads the answers it reads there.
 * StartExecution, DescribeExecution, ListExecutions, ListMapRuns and DescribeMapRun; anything else is refused
 * with `UnknownOperationException`, and another state machine with `StateMachineDoesNotExist`.
 */
export async function startStepFunctionsService(
  runs: LocalBackfills,
  arns: BackfillArns,
): Promise<StepFunctionsService> {
  return listenOnLoopback((request, response) => {
    answer(request, response, runs, arns).catch((error: Error) =>
      reply(response, 500, { __type: 'InternalFailure', message: error.message }),
    );
  });
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (body: Record<string, unknown>) => unknown | Promise<unknown>;

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  runs: LocalBackfills,
  { stateMachineArn }: BackfillArns,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
  const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
  const executionPrefix = `${arnUnder(stateMachineArn, 'execution')}:`;
  const executionArn = (run: LocalRun) => `${executionPrefix}${run.name}`;
  const mapRunPrefix = `${arnUnder(stateMachineArn, 'mapRun')}/Objects:`;
  const mapRunArn = (run: LocalRun) => `${mapRunPrefix}${run.name}`;
  const ownMachine = () => {
    if (body.stateMachineArn !== stateMachineArn) {
      throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
    }
  };
  const runOf = (arn: unknown, prefix: string) => {
    const run = typeof arn === 'string' && arn.startsWith(prefix) ? runs.get(arn.slice(prefix.length)) : undefined;
    if (!run) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return run;
  };
  const seconds = (date?: Date) => (date ? date.getTime() / 1000 : undefined);
  const summary = (run: LocalRun) => ({
    executionArn: executionArn(run),
    stateMachineArn,
    name: run.name,
    status: run.status,
    startDate: seconds(run.startDate),
    stopDate: seconds(run.stopDate),
  });
  const handlers: Record<string, Handler> = {
    StartExecution: async () => {
      ownMachine();
      const name = String(body.name ?? '');
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
      const input = JSON.parse(String(body.input ?? '{}')) as BackfillInput;
      const earlier = runs.get(name);
      if (earlier && JSON.stringify(earlier.input) !== JSON.stringify(input)) {
        throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn(earlier)}'`);
      }
      const run = await runs.start(name, input);
      return { executionArn: executionArn(run), startDate: seconds(run.startDate) };
    },
    DescribeExecution: () => {
      const run = runOf(body.executionArn, executionPrefix);
      return { ...summary(run), input: JSON.stringify(run.input), error: run.error, cause: run.cause };
    },
    ListExecutions: () => {
      ownMachine();
      const status = body.statusFilter as LocalRun['status'] | undefined;
      const limit = Number(body.maxResults) || 100;
      // The token is where the next page starts: runs started meanwhile shift it, as AWS's own pages may.
      const from = typeof body.nextToken === 'string' ? Number.parseInt(body.nextToken, 10) : 0;
      if (!Number.isInteger(from) || from < 0)
        throw new ServiceError('InvalidToken', `Invalid Token: '${body.nextToken}'`);
      const listed = runs.list(status);
      const nextToken = listed.length > from + limit ? String(from + limit) : undefined;
      return { executions: listed.slice(from, from + limit).map(summary), nextToken };
    },
    ListMapRuns: () => {
      const run = runOf(body.executionArn, executionPrefix);
      return {
        mapRuns: [{ executionArn: executionArn(run), mapRunArn: mapRunArn(run), startDate: seconds(run.startDate) }],
      };
    },
    DescribeMapRun: () => {
      const run = runOf(body.mapRunArn, mapRunPrefix);
      const pending = Math.max(0, run.listed - run.succeeded - run.failed);
      return {
        mapRunArn: mapRunArn(run),
        executionArn: executionArn(run),
        status: run.status,
        startDate: seconds(run.startDate),
        stopDate: seconds(run.stopDate),
        itemCounts: {
          total: run.listed,
          succeeded: run.succeeded,
          failed: run.failed,
          pending: run.status === 'RUNNING' ? 0 : pending,
          running: run.status === 'RUNNING' ? pending : 0,
          timedOut: 0,
          aborted: 0,
          resultsWritten: run.succeeded + run.failed,
        },
      };
    },
  };
  const handler = handlers[operation];
  try {
    if (!handler) throw new ServiceError('UnknownOperationException', `the runner does not serve ${operation}`);
    reply(response, 200, await handler(body));
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    reply(response, 400, { __type: error.type, message: error.message });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}
