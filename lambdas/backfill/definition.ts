import { runKey } from './run-keys';

/**
 * The backfill state machine in Amazon States Language, built in this one place for the stack (lib/constructs/
 * backfill.ts) and the local runner. Plain objects and JSONPath only: no CDK here (lambdas/ never imports it), and
 * moto, the runner's emulator, cannot evaluate JSONata.
 *
 * Execution input `{ bucket, prefix, owner (string | null), reprocess, regroupFaces, reown (booleans) }`; the
 * execution's name is the run id (`$$.Execution.Name`), the `run` of every message and of the run item
 * `backfill#<run>`.
 *
 * 1. `Objects`, a Distributed Map, lists `bucket/prefix` itself (the S3 listObjectsV2 ItemReader: one LIST per 1,000
 *    keys, no function of ours paging through a million keys) and hands the objects out ten at a time (the
 *    ItemBatcher: ten is SendMessageBatch's limit) to child executions, at most `maxConcurrency` at once.
 * 2. Each child (`enqueueBatchDefinition`, EXPRESS) turns its batch into one SendMessageBatch of SourceObjectMessages
 *    (source-object.ts) to the ingest queue, so the one processor, DLQ and idempotency apply to old photos as to
 *    uploads, then ADDs the batch's size to the run item's `queued` (run-keys.ts).
 * 3. A child that fails (SQS still refusing after its retries) fails its ten objects; the map run goes on until
 *    more than `toleratedFailurePercentage` of the objects have failed, and the ResultWriter leaves the failed
 *    batches, with their objects, in `resultBucket/resultPrefix` for a second run to pick up.
 *
 * Cost per 1,000 objects (us-east-1 list prices, 100 batches): the STANDARD parent pays its state transitions,
 * a handful per run plus about one per child execution started: ~100, $0.0025. EXPRESS children are billed per
 * request and duration, not per state transition: 100 requests ($0.0001) and ~100 x 0.2 s at the 64 MB minimum
 * (~$0.00002); as STANDARD children their ~6 transitions each would be 600 ($0.015). SQS: 100 SendMessageBatch
 * requests ($0.00004), against 1,000 single sends. DynamoDB: 100 on-demand writes to the run item ($0.00006). S3:
 * one LIST ($0.000005). About $0.003 in all, most of it the parent's transitions.
 */

/** One state, as ASL writes it. */
export type AslState = { readonly Type: string } & Readonly<Record<string, unknown>>;

/** A state machine's (or an ItemProcessor's) states and where they start. */
export interface AslStates {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

export interface AslDefinition extends AslStates {
  readonly Comment?: string;
}

/** Where each child sends and counts. */
export interface EnqueueBatchOptions {
  /** The ingest queue's URL. */
  readonly queueUrl: string;
  /** The results table's name: the run item's `queued` is counted there. */
  readonly tableName: string;
}

export interface BackfillDefinitionOptions extends EnqueueBatchOptions {
  /** Child executions at once (1-10,000). */
  readonly maxConcurrency: number;
  /** Objects (in failed batches) that may fail before the map run fails, in percent (0-100). */
  readonly toleratedFailurePercentage: number;
  /** The bucket the ResultWriter writes the map run's results (its failed batches) to. */
  readonly resultBucket: string;
  /** The key prefix of those results; the map run adds `<map run id>/`. */
  readonly resultPrefix: string;
  /** Objects per child execution, 1-10 (SendMessageBatch's limit). @default 10 */
  readonly itemsPerBatch?: number;
}

/** SQS's most entries in one SendMessageBatch, and so the largest batch a child sends. */
export const MAX_ITEMS_PER_BATCH = 10;

/** The error a child fails with when SQS refused some of its messages (its Cause lists them). */
export const SEND_REFUSED_ERROR = 'Backfill.SendRefused';

/**
 * What the aws-sdk integration reports for an SQS answer worth trying again: `Sqs.` and the error's name with an
 * `Exception` suffix (Step Functions' AWS SDK integration naming), throttling by name and a 5xx as the service's
 * base exception. Whatever else fails is tried twice more by the `States.TaskFailed` retrier after it.
 */
export const SQS_TRANSIENT_ERRORS = [
  'Sqs.RequestThrottledException',
  'Sqs.KmsThrottledException',
  'Sqs.SqsException',
] as const;

/** Backoff with full jitter, so children throttled together do not come back together. */
const backoff = (maxAttempts: number) => ({
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: maxAttempts,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
});

/**
 * The child: one batch `{ BatchInput: { run, bucket, owner, reprocess, regroupFaces, reown }, Items: [<listObjectsV2 item>...] }` to
 * one SendMessageBatch and one count. Runnable alone (the local runner runs it in moto, whose interpreter has no
 * ItemBatcher or EXPRESS children), which is why it is its own definition.
 *
 * - `Messages`, an inline Map, makes each item an entry: its index in the batch as `Id` (unique within the batch,
 *   as SQS requires), the message as `MessageBody`, the item passed whole as its `object`.
 * - `Send` sends them, retried on throttling and 5xx. A retry after a send whose answer was lost sends the
 *   batch again; the processor gives the same object the same image id, so a duplicate changes nothing.
 * - `AllAccepted` fails the batch (`Refused`) if SQS refused any entry: the others are queued, but the batch is
 *   reported failed and not counted, so the shortfall shows in `queued` and in the ResultWriter's failures.
 * - `Count` ADDs the number of messages sent to the run item's `queued`: one write per batch. Retried on any error,
 *   since the messages are out by then (a retry after a write whose answer was lost counts a batch twice, rarely).
 *   The child's output is `{ queued: n }`: the results file then holds that, not the batch again.
 */
export function enqueueBatchDefinition(options: EnqueueBatchOptions): AslDefinition {
  return {
    Comment: 'One batch of a backfill: a SendMessageBatch to the ingest queue, then its count on the run item',
    StartAt: 'Messages',
    States: {
      Messages: {
        Type: 'Map',
        ItemsPath: '$.Items',
        ItemSelector: {
          'index.$': '$$.Map.Item.Index',
          body: {
            sourceObject: 1,
            'run.$': '$.BatchInput.run',
            'bucket.$': '$.BatchInput.bucket',
            'owner.$': '$.BatchInput.owner',
            'reprocess.$': '$.BatchInput.reprocess',
            'regroupFaces.$': '$.BatchInput.regroupFaces',
            'reown.$': '$.BatchInput.reown',
            'object.$': '$$.Map.Item.Value',
          },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'INLINE' },
          StartAt: 'Entry',
          States: {
            Entry: {
              Type: 'Pass',
              Parameters: {
                'Id.$': "States.Format('{}', $.index)",
                'MessageBody.$': 'States.JsonToString($.body)',
              },
              End: true,
            },
          },
        },
        // The entries, and their count carried beside them to `Count` and the child's output.
        ResultSelector: { 'entries.$': '$', summary: { 'queued.$': 'States.ArrayLength($)' } },
        ResultPath: '$.batch',
        Next: 'Send',
      },
      Send: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:sqs:sendMessageBatch',
        Parameters: { QueueUrl: options.queueUrl, 'Entries.$': '$.batch.entries' },
        ResultPath: '$.sent',
        Retry: [
          { ErrorEquals: [...SQS_TRANSIENT_ERRORS], ...backoff(6) },
          { ErrorEquals: ['States.TaskFailed'], ...backoff(2) },
        ],
        Next: 'AllAccepted',
      },
      AllAccepted: {
        Type: 'Choice',
        // `Failed` may be absent or empty when every entry was accepted: either way it has no first element.
        Choices: [{ Variable: '$.sent.Failed[0]', IsPresent: true, Next: 'Refused' }],
        Default: 'Count',
      },
      Refused: {
        Type: 'Fail',
        Error: SEND_REFUSED_ERROR,
        CausePath:
          "States.Format('SQS refused {} of the messages of this batch (the others were queued): {}', " +
          'States.ArrayLength($.sent.Failed), States.JsonToString($.sent.Failed))',
      },
      Count: {
        Type: 'Task',
        Resource: 'arn:aws:states:::dynamodb:updateItem',
        Parameters: {
          TableName: options.tableName,
          Key: { imageId: { 'S.$': `States.Format('${runKey('{}')}', $.BatchInput.run)` } },
          UpdateExpression: 'ADD queued :n',
          ExpressionAttributeValues: { ':n': { 'N.$': "States.Format('{}', $.batch.summary.queued)" } },
        },
        ResultPath: null,
        OutputPath: '$.batch.summary',
        Retry: [{ ErrorEquals: ['States.TaskFailed'], ...backoff(6) }],
        End: true,
      },
    },
  };
}

/** The parent: the run's Distributed Map over `bucket/prefix`, whose children are `enqueueBatchDefinition`. */
export function backfillDefinition(options: BackfillDefinitionOptions): AslDefinition {
  const itemsPerBatch = options.itemsPerBatch ?? MAX_ITEMS_PER_BATCH;
  if (!Number.isInteger(itemsPerBatch) || itemsPerBatch < 1 || itemsPerBatch > MAX_ITEMS_PER_BATCH) {
    throw new Error(`itemsPerBatch must be a whole number from 1 to ${MAX_ITEMS_PER_BATCH}, not ${itemsPerBatch}`);
  }
  const { StartAt, States } = enqueueBatchDefinition(options);
  return {
    Comment: 'A backfill: every object under bucket/prefix sent to the ingest queue, ten to a batch',
    StartAt: 'Objects',
    States: {
      Objects: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: itemsPerBatch,
          BatchInput: {
            'run.$': '$$.Execution.Name',
            'bucket.$': '$.bucket',
            'owner.$': '$.owner',
            'reprocess.$': '$.reprocess',
            'regroupFaces.$': '$.regroupFaces',
            'reown.$': '$.reown',
          },
        },
        ItemProcessor: {
          // EXPRESS: billed per request and duration, where STANDARD children would pay every state transition.
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt,
          States,
        },
        MaxConcurrency: options.maxConcurrency,
        ToleratedFailurePercentage: options.toleratedFailurePercentage,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: options.resultBucket, Prefix: options.resultPrefix },
        },
        End: true,
      },
    },
  };
}
