import {
  type AttributeValue,
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ScanCommand,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { BackfillInput } from '../backfill/plan';

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

/** Where a run's map is: the page of the listing it works on, and which of that page's batches are counted. */
export interface MapPosition {
  /** The key the page starts after ('' for the first page). */
  after: string;
  /** Objects the page held when it was listed. */
  size: number;
  /** The index (in the whole run) of the page's first batch: batch `n` is the child execution `<run>-<n>`. */
  firstBatch: number;
  /** The page's batches whose outcome is counted in `succeeded` or `failed`. */
  done: number[];
}

export interface StoredRun {
  run: LocalRun;
  /** Absent before the first page is listed. */
  position?: MapPosition;
}

/**
 * Where the runner's Step Functions keeps its backfill runs: a table `<prefix>-backfill-executions` in the emulator,
 * as AWS keeps executions in Step Functions rather than in the process that started them. A runner killed
 * mid-run and started again on the same emulator and prefix reads them back (`GET /backfills/{id}` answers) and
 * carries each RUNNING run on from its position.
 *
 * Every write is one PutItem or UpdateItem of the run's item, so a kill leaves it as one of them left it: a batch
 * adds its objects to `succeeded` or `failed` and its index to `done` in the same UpdateItem, and so is counted
 * once whenever the kill comes.
 */
export class BackfillRunStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /** Create the table unless it exists (a runner started again on the same prefix finds it). */
  async ensure(): Promise<void> {
    try {
      await this.dynamodb.send(
        new CreateTableCommand({
          TableName: this.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client: this.dynamodb, maxWaitTime: 30 }, { TableName: this.tableName });
  }

  /** Every run, with where its map was. */
  async all(): Promise<StoredRun[]> {
    const runs: StoredRun[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.dynamodb.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      runs.push(...(page.Items ?? []).map(storedRun));
      start = page.LastEvaluatedKey;
    } while (start);
    return runs;
  }

  /** A new run, before StartExecution answers: a runner killed after that answer still has it. */
  async started(run: LocalRun): Promise<void> {
    await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          name: { S: run.name },
          input: { S: JSON.stringify(run.input) },
          status: { S: run.status },
          startDate: { N: String(run.startDate.getTime()) },
          listed: { N: '0' },
          succeeded: { N: '0' },
          failed: { N: '0' },
        },
        ConditionExpression: 'attribute_not_exists(#name)',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
  }

  /** The map moved to a new page, counted in `listed`; none of its batches is done yet. */
  async page(run: LocalRun, position: Omit<MapPosition, 'done'>): Promise<void> {
    await this.update(
      run.name,
      'SET #listed = :listed, #after = :after, #size = :size, #firstBatch = :first REMOVE #done',
      {
        ':listed': { N: String(run.listed) },
        ':after': { S: position.after },
        ':size': { N: String(position.size) },
        ':first': { N: String(position.firstBatch) },
      },
    );
  }

  /** A batch's outcome, counted with its index marked done, in one write. */
  async batch(run: string, index: number, outcome: 'succeeded' | 'failed', objects: number): Promise<void> {
    await this.update(run, `ADD #${outcome} :n, #done :index`, {
      ':n': { N: String(objects) },
      ':index': { NS: [String(index)] },
    });
  }

  /** The run's end: its status, when, and why it failed. */
  async finished(run: LocalRun): Promise<void> {
    const values: Record<string, AttributeValue> = {
      ':status': { S: run.status },
      ':stop': { N: String(run.stopDate?.getTime() ?? Date.now()) },
    };
    if (run.error !== undefined) values[':error'] = { S: run.error };
    if (run.cause !== undefined) values[':cause'] = { S: run.cause };
    const why = [run.error !== undefined && '#error = :error', run.cause !== undefined && '#cause = :cause'];
    const set = ['#status = :status', '#stopDate = :stop', ...why.filter(Boolean)].join(', ');
    await this.update(run.name, `SET ${set}`, values);
  }

  /** One UpdateItem; every `#attribute` in the expression is that attribute (several are DynamoDB reserved words). */
  private async update(name: string, expression: string, values: Record<string, AttributeValue>): Promise<void> {
    const names: Record<string, string> = {};
    for (const [alias, attribute] of expression.matchAll(/#(\w+)/g)) names[alias] = attribute as string;
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { name: { S: name } },
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ExpressionAttributeNames: names,
      }),
    );
  }
}

function storedRun(item: Record<string, AttributeValue>): StoredRun {
  const number = (name: string) => Number(item[name]?.N ?? 0);
  const text = (name: string) => item[name]?.S;
  const run: LocalRun = {
    name: text('name') as string,
    input: JSON.parse(text('input') ?? '{}') as BackfillInput,
    status: (text('status') ?? 'RUNNING') as RunStatus,
    startDate: new Date(number('startDate')),
    ...(item.stopDate && { stopDate: new Date(number('stopDate')) }),
    ...(item.error && { error: text('error') }),
    ...(item.cause && { cause: text('cause') }),
    listed: number('listed'),
    succeeded: number('succeeded'),
    failed: number('failed'),
  };
  if (!item.after) return { run };
  const done = (item.done?.NS ?? []).map(Number);
  return {
    run,
    position: { after: text('after') ?? '', size: number('size'), firstBatch: number('firstBatch'), done },
  };
}
