import type { AslState, AslStates } from '../../../lambdas/backfill/definition';
import type { AwsCall } from '../../../lambdas/local/aws-calls';

/**
 * The AWS calls a state machine makes on its own role, derived from its definition rather than listed by hand, so
 * the permissions check (check.ts) weighs a state added or changed tomorrow against the role as it is synthesized:
 *
 * - a Task whose Resource is an AWS SDK integration (`arn:aws:states:::aws-sdk:sqs:sendMessageBatch`) or an
 *   optimized one (`arn:aws:states:::dynamodb:updateItem`): that operation, its Parameters as its input;
 * - a Map's ItemReader (`arn:aws:states:::s3:listObjectsV2`): that listing; its ResultWriter
 *   (`arn:aws:states:::s3:putObject`): a PutObject under its Prefix (`<map run id>/manifest.json` and the results
 *   files beside it); a DISTRIBUTED one: StartExecution of the state machine itself, for its children;
 * - a Map's ItemProcessor: its states, walked the same way with the input a child or an iteration gets.
 *
 * Parameters are evaluated against the execution's `input` as each state would see it: `.$` fields by JSONPath
 * (`$.bucket`, `$$.Execution.Name`, `$$.Map.Item.Value`) and `States.Format`, which is how a key such as the run
 * item's `backfill#<run>` is made. The data flow between states (ResultPath, OutputPath) is not followed: a path
 * that only an earlier state's result would fill is left as `<$.path>`, which no resource field of ours needs.
 * Any other Resource (a Lambda function, an activity) fails the derivation, so it cannot go unchecked.
 */
export interface DerivationOptions {
  /** The name the calls are recorded under: the key of the state machine in checkCalls' `functions`. */
  fn: string;
  stateMachineArn: string;
  /** The execution's name (`$$.Execution.Name`). */
  executionName: string;
  /** What the ItemReader lists, one item: the fields AWS's S3 listObjectsV2 reader gives. */
  item?: Record<string, unknown>;
}

const SDK_SERVICES: Record<string, string> = { sqs: 'SQS', dynamodb: 'DynamoDB', s3: 'S3', states: 'SFN' };
const SAMPLE_ITEM = { Key: 'photo.jpg', Size: 1000, Etag: '"etag"', LastModified: 1_700_000_000 };

/** Every call an execution of `definition` with `input` may make, in the order the states name them. */
export function callsOfDefinition(definition: AslStates, input: unknown, options: DerivationOptions): AwsCall[] {
  const context = { Execution: { Name: options.executionName } };
  return callsOfStates(definition, { input, context }, options);
}

interface Scope {
  input: unknown;
  context: Record<string, unknown>;
}

function callsOfStates(states: AslStates, scope: Scope, options: DerivationOptions): AwsCall[] {
  return Object.values(states.States).flatMap((state) => callsOfState(state, scope, options));
}

function callsOfState(state: AslState, scope: Scope, options: DerivationOptions): AwsCall[] {
  if (state.Type === 'Task') return [integrationCall(state.Resource, state.Parameters, scope, options.fn)];
  if (state.Type !== 'Map') return [];
  const calls: AwsCall[] = [];
  const reader = state.ItemReader as { Resource: unknown; Parameters?: unknown } | undefined;
  if (reader) calls.push(integrationCall(reader.Resource, reader.Parameters, scope, options.fn));
  const processor = state.ItemProcessor as AslStates & { ProcessorConfig?: { Mode?: string } };
  if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED') {
    calls.push({
      fn: options.fn,
      service: 'SFN',
      operation: 'StartExecution',
      input: { stateMachineArn: options.stateMachineArn },
    });
  }
  const writer = state.ResultWriter as { Resource: unknown; Parameters?: unknown } | undefined;
  if (writer) {
    const call = integrationCall(writer.Resource, writer.Parameters, scope, options.fn);
    const { Prefix = '', ...rest } = call.input as { Prefix?: string };
    calls.push({ ...call, input: { ...rest, Key: `${Prefix}map-run-id/manifest.json` } });
  }
  calls.push(...callsOfStates(processor, iterationScope(state, scope, options), options));
  return calls;
}

/** The input one child (a batch, with its ItemBatcher) or one iteration (an item, through its ItemSelector) gets. */
function iterationScope(state: AslState, scope: Scope, options: DerivationOptions): Scope {
  const items = state.ItemsPath ? path(String(state.ItemsPath), scope) : undefined;
  const value = Array.isArray(items) ? items[0] : (options.item ?? SAMPLE_ITEM);
  const context = { ...scope.context, Map: { Item: { Index: 0, Value: value } } };
  const batcher = state.ItemBatcher as { BatchInput?: unknown } | undefined;
  if (batcher) {
    return {
      input: { BatchInput: evaluate(batcher.BatchInput ?? {}, { ...scope, context }), Items: [value] },
      context,
    };
  }
  const selector = state.ItemSelector ?? state.Parameters;
  return { input: selector ? evaluate(selector, { ...scope, context }) : value, context };
}

/** `arn:aws:states:::aws-sdk:<service>:<action>` or `arn:aws:states:::<service>:<action>[.sync]` as a call. */
function integrationCall(resource: unknown, parameters: unknown, scope: Scope, fn: string): AwsCall {
  const match = /^arn:aws:states:::(?:aws-sdk:)?([a-z0-9]+):([A-Za-z0-9]+)(?:\.[a-zA-Z]+)?$/.exec(String(resource));
  const service = match ? SDK_SERVICES[match[1] as string] : undefined;
  if (!match || !service) {
    throw new Error(`${String(resource)}: callsOfDefinition derives no call for it; add it (state-machine.ts)`);
  }
  const action = match[2] as string;
  const operation = `${action.charAt(0).toUpperCase()}${action.slice(1)}`;
  return { fn, service, operation, input: evaluate(parameters ?? {}, scope) as Record<string, unknown> };
}

/** Parameters with each `name.$` field evaluated and renamed `name`. */
function evaluate(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluate(item, scope));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) =>
      name.endsWith('.$') ? [name.slice(0, -2), expression(String(item), scope)] : [name, evaluate(item, scope)],
    ),
  );
}

/** A JSONPath, or `States.Format('...{}...', <path or literal>...)`; any other intrinsic stays as written. */
function expression(text: string, scope: Scope): unknown {
  const format = /^States\.Format\('((?:[^'\\]|\\.)*)'\s*,\s*(.+)\)$/s.exec(text);
  if (format) {
    const args = (format[2] as string).split(',').map((arg) => expression(arg.trim(), scope));
    let next = 0;
    return (format[1] as string).replace(/\{\}/g, () => String(args[next++]));
  }
  if (text.startsWith('$')) return path(text, scope);
  if (/^'.*'$/s.test(text)) return text.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return `<${text}>`;
}

/** `$.a.b` in the input, `$$.a.b` in the context; `<path>` where nothing is there. */
function path(text: string, scope: Scope): unknown {
  const [root, parts] = text.startsWith('$$') ? [scope.context, text.slice(2)] : [scope.input, text.slice(1)];
  let node: unknown = root;
  for (const part of parts.split('.').filter(Boolean)) {
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node === undefined ? `<${text}>` : node;
}
