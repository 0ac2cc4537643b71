import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AslDefinition,
  type AslState,
  type AslStates,
  backfillDefinition,
  enqueueBatchDefinition,
  SEND_REFUSED_ERROR,
  SQS_TRANSIENT_ERRORS,
} from '../../../lambdas/backfill/definition';

const OPTIONS = {
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest',
  tableName: 'results',
  maxConcurrency: 100,
  toleratedFailurePercentage: 5,
  resultBucket: 'images',
  resultPrefix: 'backfills/',
};

/** Every state a state's transitions name. */
function targetsOf(state: AslState): string[] {
  const choices = (state.Choices as { Next: string }[] | undefined) ?? [];
  const catches = (state.Catch as { Next: string }[] | undefined) ?? [];
  return [state.Next, state.Default, ...choices.map((c) => c.Next), ...catches.map((c) => c.Next)].filter(
    (target): target is string => typeof target === 'string',
  );
}

/** What is wrong with a graph of states (and the graphs of its Maps' processors), one line each. */
function problemsOf(graph: AslStates, where = 'the definition'): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(graph.States));
  if (!names.has(graph.StartAt)) problems.push(`${where}: StartAt ${graph.StartAt} is no state`);
  for (const [name, state] of Object.entries(graph.States)) {
    for (const target of targetsOf(state)) {
      if (!names.has(target)) problems.push(`${where}: ${name} goes to ${target}, which is no state`);
    }
    const terminal = state.End === true || state.Type === 'Succeed' || state.Type === 'Fail';
    if (!terminal && targetsOf(state).length === 0) problems.push(`${where}: ${name} neither ends nor goes on`);
    if (state.ItemProcessor) problems.push(...problemsOf(state.ItemProcessor as AslStates, `${where} > ${name}`));
  }
  const reached = new Set<string>();
  const visit = (name: string) => {
    const state = graph.States[name];
    if (reached.has(name) || !state) return;
    reached.add(name);
    for (const target of targetsOf(state)) visit(target);
  };
  visit(graph.StartAt);
  for (const name of names) if (!reached.has(name)) problems.push(`${where}: ${name} is never reached`);
  const ends = [...reached].filter((name) => {
    const state = graph.States[name];
    return state?.End === true || state?.Type === 'Succeed';
  });
  if (ends.length === 0) problems.push(`${where}: no successful end is reachable`);
  return problems;
}

describe('backfillDefinition', () => {
  const definition = backfillDefinition(OPTIONS);
  const map = definition.States.Objects as AslState;

  it('is a sound graph: every transition names a state, every state is reached, the run and each batch can end', () => {
    expect(problemsOf(definition)).toEqual([]);
  });

  it('finds what is wrong with an unsound graph (the walk can fail)', () => {
    const broken: AslDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'Gone' }, B: { Type: 'Pass' }, C: { Type: 'Fail' } },
    };
    expect(problemsOf(broken)).toEqual([
      'the definition: A goes to Gone, which is no state',
      'the definition: B neither ends nor goes on',
      'the definition: B is never reached',
      'the definition: C is never reached',
      'the definition: no successful end is reachable',
    ]);
  });

  it('is plain JSON, so the stack and the runner can hand it over as a string', () => {
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
  });

  it('lists the bucket under the prefix of the input and hands the objects out ten at a time with the run', () => {
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      },
      ItemBatcher: {
        MaxItemsPerBatch: 10,
        BatchInput: {
          'run.$': '$$.Execution.Name',
          'bucket.$': '$.bucket',
          'owner.$': '$.owner',
          'reprocess.$': '$.reprocess',
          'regroupFaces.$': '$.regroupFaces',
          'reown.$': '$.reown',
        },
      },
      MaxConcurrency: 100,
      ToleratedFailurePercentage: 5,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'images', Prefix: 'backfills/' },
      },
      End: true,
    });
  });

  it('runs each batch as an EXPRESS child execution of the same states the runner runs alone', () => {
    const { ProcessorConfig, ...processor } = map.ItemProcessor as Record<string, unknown>;
    expect(ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' });
    const { Comment: _comment, ...child } = enqueueBatchDefinition(OPTIONS);
    expect(processor).toEqual(child);
  });

  it('retries the send on throttling and 5xx, and anything else a little', () => {
    const child = (map.ItemProcessor as AslStates).States;
    const retry = child.Send?.Retry as { ErrorEquals: string[]; MaxAttempts: number }[];
    expect(retry[0]?.ErrorEquals).toEqual([...SQS_TRANSIENT_ERRORS]);
    expect(retry[0]?.ErrorEquals).toEqual(
      expect.arrayContaining(['Sqs.RequestThrottledException', 'Sqs.SqsException']),
    );
    expect(retry[1]).toMatchObject({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 });
    expect(child.AllAccepted).toMatchObject({ Choices: [{ Variable: '$.sent.Failed[0]', Next: 'Refused' }] });
    expect(child.Refused).toMatchObject({ Type: 'Fail', Error: SEND_REFUSED_ERROR });
    expect(child.Count?.Retry).toEqual([expect.objectContaining({ ErrorEquals: ['States.TaskFailed'] })]);
  });

  it('reads from its input only fields the AWS CLI command of docs/deploy.md gives (a missing one fails the run)', () => {
    const deploy = readFileSync(path.join(__dirname, '../../../docs/deploy.md'), 'utf8');
    const command = /aws stepfunctions start-execution [^`]*--input '([^']+)'/.exec(deploy);
    if (!command?.[1]) throw new Error('docs/deploy.md has no start-execution command with an --input');
    const given = Object.keys(JSON.parse(command[1]) as object);
    // What the map reads of the execution's input: its reader's and its batcher's paths (the child reads its batch).
    const { ItemReader, ItemBatcher } = map;
    const read = [...JSON.stringify({ ItemReader, ItemBatcher }).matchAll(/"\$\.(\w+)"/g)].map((match) => match[1]);
    expect(read.length).toBeGreaterThan(0);
    expect(given).toEqual(expect.arrayContaining([...new Set(read)]));
  });

  it('takes smaller batches, never more than a SendMessageBatch holds', () => {
    const batcher = (options: { itemsPerBatch: number }) =>
      (backfillDefinition({ ...OPTIONS, ...options }).States.Objects as AslState).ItemBatcher;
    expect(batcher({ itemsPerBatch: 3 })).toMatchObject({ MaxItemsPerBatch: 3 });
    expect(() => batcher({ itemsPerBatch: 11 })).toThrow('itemsPerBatch must be a whole number from 1 to 10, not 11');
    expect(() => batcher({ itemsPerBatch: 0 })).toThrow('not 0');
  });
});
