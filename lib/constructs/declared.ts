import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { environmentOf } from '../../lambdas/kit/api-function';
import type { DeclaredUse, Use } from '../../lambdas/kit/uses';
import { ALL_PIPELINE_FUNCTIONS, type PipelineFunction, pipelineHandlerModule } from '../../lambdas/manifest/manifest';
import type { DeploymentSettings } from '../../lambdas/settings';
import {
  mergeWiring,
  type QueueDeclaration,
  type ScheduleDeclaration,
  type TableDeclaration,
  type WiringPart,
} from '../../lambdas/settings/resources';
import { dlqNotEmptyAlarm } from './alarm-notifications';
import { constructIdOf } from './api-handlers';
import type { UseTarget } from './grant-uses';
import { type FunctionBasicsProps, NodeFunction } from './node-function';
import type { RoomStacks } from './room-stacks';

/*
 * The generic constructs of the resources rooms declare (lambdas/settings/resources.ts): the stack makes one per
 * declaration in a loop, as the runner does, so a room added with a table and a queue touches no construct. Those
 * deployed before the declarations are made by them too, where their own constructs were (lib/declared-placements.ts),
 * so that they keep their logical ids. A resource that needs what these cannot say without naming its feature (a
 * grant of its own, a stream, an S3 notification, an alarm more) keeps a construct of its own (`ownConstruct`).
 */

export interface DeclaredTableProps {
  readonly declaration: TableDeclaration;
  /** @default RemovalPolicy.RETAIN - deleting the stack keeps the data */
  readonly removalPolicy?: RemovalPolicy;
}

/** A declared table: its keys, indexes and TTL, on demand, point-in-time recovery, the AWS-managed key. */
export class DeclaredTable extends Construct implements UseTarget<DeclaredUse> {
  public readonly table: Table;
  public readonly declaration: TableDeclaration;

  constructor(scope: Construct, id: string, props: DeclaredTableProps) {
    super(scope, id);
    const { design } = props.declaration;
    this.declaration = props.declaration;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: design.partitionKey, type: AttributeType.STRING },
      ...(design.sortKey && { sortKey: { name: design.sortKey, type: AttributeType.STRING } }),
      ...(design.timeToLiveAttribute && { timeToLiveAttribute: design.timeToLiveAttribute }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(design.indexes ?? {})) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
        ...(index.nonKeyAttributes && { nonKeyAttributes: [...index.nonKeyAttributes] }),
      });
    }
  }

  /** Exactly the item actions, or the Query on the table or its named indexes, a use says. */
  grantUse(grantee: IGrantable, use: DeclaredUse): void {
    if (use.kind === 'declared-items') {
      // The table's items alone: `Table.grant` adds its indexes (`/index/*`), which no item action reaches.
      const actions = use.actions.map((action) => `dynamodb:${action}`);
      Grant.addToPrincipal({ grantee, actions, resourceArns: [this.table.tableArn] });
    } else if (use.kind === 'declared-query') {
      const indexes = this.declaration.design.indexes ?? {};
      const arns = use.on.map((on) => {
        if (on === 'table') return this.table.tableArn;
        const index = indexes[on];
        if (!index) throw new Error(`${this.node.path}: no index ${on} in the declaration of ${this.declaration.name}`);
        return `${this.table.tableArn}/index/${index.indexName}`;
      });
      Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: arns });
    } else {
      throw new Error(`${this.node.path}: a table takes no ${use.kind}`);
    }
  }
}

export interface DeclaredQueueProps {
  readonly declaration: QueueDeclaration;
  readonly settings: DeploymentSettings;
  /** Where the DLQ alarm goes. @default - no actions */
  readonly alarmTopic?: ITopic;
}

export interface DeclaredConsumerProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /** What the consumer's contract makes its environment from; the queue's own part is merged in. */
  readonly wiring: object;
  /**
   * Where the consumer goes: its room's stack, under its function's name (`PurgeTrash`). @default - this construct,
   * as `Function`
   */
  readonly rooms?: RoomStacks;
}

/**
 * A declared queue: SQS-managed encryption, SSL only, its DLQ with the declared redrive under an alarm, and its
 * consumer (lambdas/manifest/manifest.ts) fed by an event source with partial batch failures. The consumer is added
 * once the wiring is whole (`addConsumer`): a function's environment may name any queue, its own among them.
 */
export class DeclaredQueue extends Construct implements UseTarget<DeclaredUse> {
  public readonly declaration: QueueDeclaration;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly dlqDepthAlarm: Alarm;
  /** What its consumer's manifest entry says it uses: the stack grants them once every resource exists. */
  public readonly consumerUses: readonly Use[];
  private readonly settings: DeploymentSettings;
  private readonly consumerFunction: PipelineFunction;
  private consumer?: { readonly function: NodeFunction; readonly eventSource: SqsEventSource };

  constructor(scope: Construct, id: string, props: DeclaredQueueProps) {
    super(scope, id);
    const { declaration, settings } = props;
    const { consumer, redrive } = declaration;
    this.declaration = declaration;
    const fn = ALL_PIPELINE_FUNCTIONS[consumer.function];
    if (!fn) throw new Error(`${this.node.path}: no function ${consumer.function} in lambdas/manifest/manifest.ts`);
    this.consumerUses = fn.uses;
    this.consumerFunction = fn;
    this.settings = settings;
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(redrive.dlqRetentionDays),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.visibilityTimeoutSeconds(settings)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: redrive.maxReceiveCount },
    });
    this.dlqDepthAlarm = dlqNotEmptyAlarm(
      this,
      this.deadLetterQueue,
      `Messages of ${Stack.of(this).stackName}'s ${declaration.name} queue that failed ${redrive.maxReceiveCount} times are waiting in its DLQ.`,
    );
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      this.dlqDepthAlarm.addAlarmAction(action);
      this.dlqDepthAlarm.addOkAction(action);
    }
  }

  /** Its consumer, fed by the queue's event source: once, with the wiring every function's environment is made from. */
  addConsumer(props: DeclaredConsumerProps): NodeFunction {
    if (this.consumer) throw new Error(`${this.node.path}: its consumer is made once`);
    const { consumer } = this.declaration;
    const { settings, consumerFunction: fn } = this;
    const [scope, id] = props.rooms ? [props.rooms.of(fn.room), constructIdOf(consumer.function)] : [this, 'Function'];
    const made = new NodeFunction(scope, id, {
      entry: `lambdas/${pipelineHandlerModule(consumer.function)}.ts`,
      serviceName: `image-intel-${consumer.function}`,
      description: fn.does,
      timeout: Duration.seconds(consumer.timeoutSeconds(settings)),
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: environmentOf(
        fn,
        mergeWiring([props.wiring as WiringPart, this.declaration.wiring(this.queue.queueUrl)]),
      ),
    });
    const eventSource = new SqsEventSource(this.queue, {
      batchSize: consumer.batchSize(settings),
      ...(consumer.batchWindowSeconds && {
        maxBatchingWindow: Duration.seconds(consumer.batchWindowSeconds(settings)),
      }),
      ...(consumer.concurrency && { maxConcurrency: consumer.concurrency(settings) }),
      reportBatchItemFailures: true,
    });
    made.addEventSource(eventSource);
    this.consumer = { function: made, eventSource };
    return made;
  }

  /** The consumer (`addConsumer`). */
  get function(): NodeFunction {
    return this.made().function;
  }

  get eventSource(): SqsEventSource {
    return this.made().eventSource;
  }

  private made(): { readonly function: NodeFunction; readonly eventSource: SqsEventSource } {
    if (!this.consumer) throw new Error(`${this.node.path}: its consumer is not made yet`);
    return this.consumer;
  }

  /** An EventBridge rule that puts a declared schedule's message on this queue, as often as it says. */
  addSchedule(id: string, schedule: ScheduleDeclaration): Rule {
    if (schedule.queue !== this.declaration.name) {
      throw new Error(`${this.node.path}: the schedule ${schedule.name} feeds the ${schedule.queue} queue`);
    }
    return new Rule(this, id, {
      description: schedule.description,
      schedule: Schedule.expression(schedule.every),
      targets: [new SqsQueue(this.queue, { message: RuleTargetInput.fromObject(schedule.message) })],
    });
  }

  /** `sqs:SendMessage` alone (grantSendMessages adds GetQueueAttributes and GetQueueUrl, which no sender calls). */
  grantUse(grantee: IGrantable, use: DeclaredUse): void {
    if (use.kind !== 'declared-send') throw new Error(`${this.node.path}: a queue takes no ${use.kind}`);
    this.queue.grant(grantee, 'sqs:SendMessage');
  }
}

/**
 * The declared tables and queues as use targets, by their names (a use names its resource): a table and a queue of
 * one name (a table and the queue beside it) are one target, each use going to the kind that grants it. `off`: the
 * names of declarations this deployment's settings turn off, whose uses grant nothing.
 */
export function declaredTargets(
  tables: readonly DeclaredTable[],
  queues: readonly DeclaredQueue[],
  off: readonly string[],
): Record<string, UseTarget<DeclaredUse> | null> {
  const targets: Record<string, UseTarget<DeclaredUse> | null> = Object.fromEntries(off.map((name) => [name, null]));
  const named = (name: string) => {
    if (targets[name]) throw new Error(`two declared tables or two declared queues are named ${name}`);
  };
  for (const table of tables) {
    named(table.declaration.name);
    targets[table.declaration.name] = table;
  }
  for (const queue of queues) {
    const { name } = queue.declaration;
    const table = targets[name];
    if (table instanceof DeclaredTable) {
      targets[name] = {
        grantUse: (grantee, use) => (use.kind === 'declared-send' ? queue : table).grantUse(grantee, use),
      };
    } else {
      named(name);
      targets[name] = queue;
    }
  }
  return targets;
}
