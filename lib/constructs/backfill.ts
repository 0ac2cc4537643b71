import { ArnFormat, Aws, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable, Policy } from 'aws-cdk-lib/aws-iam';
import type { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { backfillDefinition } from '../../lambdas/backfill/definition';
import { runKey } from '../../lambdas/backfill/run-keys';
import type { UseOf } from '../../lambdas/kit/uses';
import type { DeploymentSettings, SourceBucket } from '../../lambdas/settings';
import { UPLOAD_PREFIX } from '../../lambdas/store/keys';
import { ANY_RESOURCE_FINDING, acknowledge, wildcardFinding } from '../nag';
import type { UseTarget } from './grant-uses';
import type { ImageStorage } from './image-storage';
import { logGroupOf } from './node-function';
import type { ResultsTable } from './results-table';

/** Where in the images bucket a backfill's map run writes its results (its failed batches). */
export const BACKFILL_RESULTS_PREFIX = 'backfills/';

export interface BackfillProps {
  /** The images bucket: its `uploads/` may be backfilled (reprocessed), and the runs' results go under `backfills/`. */
  readonly storage: ImageStorage;
  /** The ingest queue every object is sent to. */
  readonly queue: IQueue;
  /** The results table, whose run items (`backfill#<run>`) count what was queued. */
  readonly table: ResultsTable;
  /** The `backfill*` settings and `sourceBuckets` (defaults in the schema). */
  readonly settings: Pick<
    DeploymentSettings,
    'backfillMaxConcurrency' | 'backfillToleratedFailurePercentage' | 'sourceBuckets'
  >;
  /** How long the state machine's logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to its log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** How long a run's results are kept under `backfills/`. @default Duration.days(30) */
  readonly resultsExpiration?: Duration;
}

/**
 * The backfill state machine (lambdas/backfill/definition.ts): a STANDARD workflow whose Distributed Map lists a
 * bucket and sends its objects, ten to a SendMessageBatch from EXPRESS child executions, to the ingest queue, so old
 * photos go through the same processor as uploads. Its role may list only the images bucket's `uploads/` and the
 * `sourceBuckets`, send only to the ingest queue, update only run items of the results table, write only under
 * `backfills/`, and start only its own child executions.
 *
 * The results (every batch's input and outcome, in JSON files beside a manifest: some 300 bytes an object) are kept
 * in the images bucket under `backfills/`, with their own expiry, rather than in a bucket of their own: that bucket
 * is already private, TLS-only, encrypted and access-logged, and its notification watches `uploads/` only, so a
 * second bucket would add its policy, its log target and its nag findings for nothing.
 */
export class Backfill extends Construct implements UseTarget<UseOf<'backfill'>> {
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;
  private readonly sourceBuckets: readonly SourceBucket[];
  private readonly table: ResultsTable;

  constructor(scope: Construct, id: string, props: BackfillProps) {
    super(scope, id);
    const { settings, storage, table, queue } = props;
    this.sourceBuckets = settings.sourceBuckets;
    this.table = table;
    const stack = Stack.of(this);

    this.logGroup = logGroupOf(this, 'Logs', props);
    const definition = backfillDefinition({
      queueUrl: queue.queueUrl,
      tableName: table.table.tableName,
      maxConcurrency: settings.backfillMaxConcurrency,
      toleratedFailurePercentage: settings.backfillToleratedFailurePercentage,
      resultBucket: storage.bucket.bucketName,
      resultPrefix: BACKFILL_RESULTS_PREFIX,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // toJsonString, not JSON.stringify: the queue URL, table and bucket names are deploy-time references.
      definitionBody: DefinitionBody.fromString(stack.toJsonString(definition)),
      stateMachineType: StateMachineType.STANDARD,
      // ALL (cdk-nag AwsSolutions-SF1) without the execution data: the events, not the object keys and owners in
      // them. The EXPRESS children log here too: ~20 events a batch, ~$0.0003 of ingestion per 1,000 objects.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    const role = this.stateMachine.role;
    acknowledge(
      role,
      ANY_RESOURCE_FINDING,
      "Step Functions' log delivery (logs:CreateLogDelivery and the other delivery actions) and X-Ray " +
        '(xray:PutTraceSegments...), which CDK grants on "*" for logging and tracing: neither takes a narrower resource.',
    );

    // The ItemReader: the images bucket's uploads (a reprocessing run) and the source buckets, each under its prefix.
    storage.grantList(role, UPLOAD_PREFIX);
    for (const source of this.sourceBuckets) grantListing(role, source);
    // SendMessageBatch is authorized as sqs:SendMessage; grantSendMessages would add GetQueueAttributes and
    // GetQueueUrl, which no state calls.
    Grant.addToPrincipal({ grantee: role, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
    // The run items only: grantItems takes no condition, and this role has no business with any image's item.
    Grant.addToPrincipal({
      grantee: role,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [table.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [runKey('*')] } },
    });
    // The ResultWriter, as AWS's example policy for it has it: it writes in multipart uploads, and reads back.
    storage.grantObjects(
      role,
      BACKFILL_RESULTS_PREFIX,
      's3:PutObject',
      's3:GetObject',
      's3:ListMultipartUploadParts',
      's3:AbortMultipartUpload',
    );
    storage.bucket.addLifecycleRule({
      id: 'ExpireBackfillResults',
      prefix: BACKFILL_RESULTS_PREFIX,
      expiration: props.resultsExpiration ?? Duration.days(30),
    });
    this.grantChildExecutions();
  }

  /**
   * What the API or the CLI needs to run backfills: start one, follow it (DescribeExecution, ListExecutions) and its
   * map run (ListMapRuns, DescribeMapRun: how many batches succeeded and failed so far).
   */
  grantStart(grantee: IGrantable): Grant {
    const start = this.stateMachine.grantStartExecution(grantee);
    this.grantList(grantee);
    this.grantDescribe(grantee);
    return start;
  }

  /** ListExecutions: the runs, newest first. */
  grantList(grantee: IGrantable): Grant {
    return this.stateMachine.grant(grantee, 'states:ListExecutions');
  }

  /**
   * What `POST /backfills` checks a new run against (lambdas/backfill/overlap.ts) besides starting it: the runs
   * (ListExecutions), their inputs (DescribeExecution) and their counters, not their map runs; and the lease that
   * lets one start of a bucket at a time.
   */
  grantCheckOverlap(grantee: IGrantable): void {
    this.grantList(grantee);
    this.grantDescribeExecutions(grantee, 'DescribeExecution');
    this.grantReadCounts(grantee);
    // The bucket's start lease (backfill#start#<bucket>, start-lease.ts): conditional UpdateItems, run items only.
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.table.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [runKey('*')] } },
    });
  }

  /** DescribeExecution of the runs, and ListMapRuns and DescribeMapRun of their map runs (what was listed). */
  grantDescribe(grantee: IGrantable): void {
    this.grantDescribeExecutions(grantee, 'DescribeExecution', 'ListMapRuns');
    // By hand: no grant covers a map run (mapRun:<state machine name>/<label or id>:<id>).
    const mapRuns = this.arnOf('mapRun', '/*');
    Grant.addToPrincipal({ grantee, actions: ['states:DescribeMapRun'], resourceArns: [mapRuns] });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledge(
        principal,
        wildcardFinding(this, mapRuns, principal),
        "DescribeMapRun on the backfill runs' map runs.",
      );
    }
  }

  /** These actions on the runs: by hand, as grantExecution names them by splitting the ARN, which no finding can name. */
  private grantDescribeExecutions(grantee: IGrantable, ...actions: string[]): void {
    const executions = this.arnOf('execution', ':*');
    Grant.addToPrincipal({ grantee, actions: actions.map((action) => `states:${action}`), resourceArns: [executions] });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledge(
        principal,
        wildcardFinding(this, executions, principal),
        `${actions.join(' and ')} on the backfill state machine's runs: their names are the run ids.`,
      );
    }
  }

  /**
   * Reading a run's counters (readRunCounts: one BatchGetItem of the run item and its shards), and no image's item:
   * grantItems takes no condition, so by hand, as the state machine's UpdateItem.
   */
  grantReadCounts(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:BatchGetItem'],
      resourceArns: [this.table.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [runKey('*')] } },
    });
  }

  /**
   * Reading the source buckets' objects, under their prefixes, for the processor: GetObject, and ListBucket so that
   * an object deleted before it is read is S3's 404 (a MISSING outcome) rather than 403, as for uploads.
   */
  grantSourceReads(grantee: IGrantable): void {
    const principal = grantee.grantPrincipal;
    for (const source of this.sourceBuckets) {
      grantListing(grantee, source);
      const objects = `${bucketArn(source.bucket)}/${source.prefix}*`;
      Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [objects] });
      if (!Construct.isConstruct(principal)) continue;
      acknowledge(
        principal,
        wildcardFinding(this, objects, principal),
        `s3:GetObject on the objects under ${source.prefix || 'the root'} of the source bucket ${source.bucket} ` +
          '(the sourceBuckets setting): a backfill may bring in any of them.',
      );
    }
  }

  /**
   * A Distributed Map starts its children as executions of the state machine itself, so its role needs
   * states:StartExecution on it, and DescribeExecution and StopExecution on its executions (AWS's "IAM policies
   * for using Distributed Map states"). In a policy of its own: in the role's default policy the state machine's
   * ARN would make a circle, since the state machine waits for that policy. Not RedriveExecution: a run is redone
   * by starting it again, and the processor records nothing twice.
   */
  private grantChildExecutions(): void {
    const policy = new Policy(this, 'ChildExecutions', { roles: [this.stateMachine.role] });
    this.stateMachine.grantStartExecution(policy);
    // By hand, as in grantStart: the executions named so that the finding below can name them.
    const executions = this.arnOf('execution', ':*');
    Grant.addToPrincipal({
      grantee: policy,
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resourceArns: [executions],
    });
    acknowledge(
      policy,
      wildcardFinding(this, executions),
      "DescribeExecution and StopExecution on this state machine's own executions, which its Distributed Map starts " +
        'and stops: their names are made at run time.',
    );
  }

  /** `arn:...:states:<Region>:<account>:<resource>:<this state machine's name><rest>`. */
  private arnOf(resource: 'execution' | 'mapRun', rest: string): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource,
      resourceName: `${this.stateMachine.stateMachineName}${rest}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'backfill'>): void {
    const { access } = use;
    if (access === 'start') this.stateMachine.grantStartExecution(grantee);
    else if (access === 'list') this.grantList(grantee);
    else if (access === 'check-overlap') this.grantCheckOverlap(grantee);
    else if (access === 'describe') this.grantDescribe(grantee);
    else if (access === 'read-counts') this.grantReadCounts(grantee);
    else this.grantSourceReads(grantee);
  }
}

const bucketArn = (bucket: string) => `arn:${Aws.PARTITION}:s3:::${bucket}`;

/** ListBucket on a source bucket, for the keys under its prefix only (S3 checks `s3:prefix`) when it has one. */
function grantListing(grantee: IGrantable, source: SourceBucket): void {
  Grant.addToPrincipal({
    grantee,
    actions: ['s3:ListBucket'],
    resourceArns: [bucketArn(source.bucket)],
    conditions: source.prefix ? { StringLike: { 's3:prefix': [`${source.prefix}*`] } } : undefined,
  });
}
