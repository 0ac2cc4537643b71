import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { UseOf, WebhookItemAction, WebhookQueryTarget } from '../../lambdas/manifest/uses';
import { KEY_ATTRIBUTE_TYPE } from '../../lambdas/store/table-design';
import {
  type DeliverWebhooksWiring,
  deliveryTimeoutSeconds,
  environmentFor,
  WEBHOOK_QUEUE_DESIGN,
} from '../../lambdas/webhooks/functions/deliver-webhooks/contract';
import { WEBHOOKS_TABLE_DESIGN } from '../../lambdas/webhooks/table-design';
import type { WebhooksWiring } from '../../lambdas/webhooks/wiring';
import { dlqNotEmptyAlarm } from './alarm-notifications';
import type { UseTarget } from './grant-uses';
import { type FunctionBasicsProps, NodeFunction } from './node-function';

/** Where `Query` may go: the table's own keys (an endpoint's delivery log) or the endpoints index. */

export interface WebhooksProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /** The pipeline's bus: a `Webhook Endpoint Disabled` event goes there (and to the webhooks' own queue). */
  readonly bus: IEventBus;
  /** The `webhook*` settings the delivery function reads; `webhookTimeoutSeconds` also sets its timeout. */
  readonly settings: DeliverWebhooksWiring['settings'];
  /**
   * Of the table. RETAIN keeps the endpoints (their secrets) and the delivery log after the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Where the DLQ alarm (and its recovery) is sent. @default - the alarm has no actions */
  readonly alarmTopic?: ITopic;
}

const ATTRIBUTE_TYPES = { S: AttributeType.STRING } as const;

/**
 * Webhooks (`webhooks`, docs/webhooks.md): the table of endpoints and delivery log, built from
 * `WEBHOOKS_TABLE_DESIGN` (on-demand, point-in-time recovery, AWS-managed encryption, TTL on `expiresAt`); the
 * queue every event, attempt and replay goes through (SSE, TLS only), with a DLQ after
 * `WEBHOOK_QUEUE_DESIGN.maxReceiveCount` receives and an alarm on it; and the delivery function that consumes it.
 * What each function uses of it is granted by the stack, through the grants below, as lambdas/manifest/ declares it.
 */
export class Webhooks extends Construct implements UseTarget<UseOf<'webhooks'>> {
  public readonly table: Table;
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  /** deliver-webhooks: signs and sends each delivery, records its attempts, queues the next. */
  public readonly function: NodeFunction;
  public readonly eventSource: SqsEventSource;
  /** Any message in the DLQ: one whose handling failed `maxReceiveCount` times (the table or SQS, not an endpoint). */
  public readonly dlqDepthAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);
    const key = (name: string) => ({ name, type: ATTRIBUTE_TYPES[KEY_ATTRIBUTE_TYPE] });
    const design = WEBHOOKS_TABLE_DESIGN;
    this.table = new Table(this, 'Table', {
      partitionKey: key(design.partitionKey),
      sortKey: key(design.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: design.timeToLiveAttribute,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const index of Object.values(design.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType[index.projection],
      });
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(WEBHOOK_QUEUE_DESIGN.dlqRetentionDays),
    });
    const timeout = Duration.seconds(deliveryTimeoutSeconds(props.settings));
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's guidance for an SQS event source: a batch Lambda is still retrying is not delivered again.
      visibilityTimeout: Duration.seconds(WEBHOOK_QUEUE_DESIGN.visibilityTimeoutFactor * timeout.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WEBHOOK_QUEUE_DESIGN.maxReceiveCount },
    });

    this.function = new NodeFunction(this, 'DeliverFunction', {
      entry: 'lambdas/webhooks/functions/deliver-webhooks/handler.ts',
      serviceName: 'image-intel-deliver-webhooks',
      description: "Signs each event per Standard Webhooks and POSTs it to its owner's endpoints, with retries",
      timeout,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: environmentFor({
        eventBusName: props.bus.eventBusName,
        webhooks: this.wiring,
        settings: props.settings,
      }),
    });
    // Its grantConsumeMessages adds sqs:GetQueueAttributes, GetQueueUrl and ChangeMessageVisibility, which the
    // event source mapping uses and no call of the handler makes (test/support/permissions/explained.ts).
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: WEBHOOK_QUEUE_DESIGN.batchSize,
      reportBatchItemFailures: true,
    });
    this.function.addEventSource(this.eventSource);

    this.dlqDepthAlarm = dlqNotEmptyAlarm(
      this,
      this.deadLetterQueue,
      'Webhook messages whose handling failed the maximum number of times are waiting in the DLQ.',
    );
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      this.dlqDepthAlarm.addAlarmAction(action);
      this.dlqDepthAlarm.addOkAction(action);
    }
  }

  /** What the webhook routes and the delivery function are wired with (their WEBHOOKS_TABLE and WEBHOOK_QUEUE_URL). */
  get wiring(): WebhooksWiring {
    return { tableName: this.table.tableName, queueUrl: this.queue.queueUrl };
  }

  /** These item actions on the table itself (not its index): each function is granted the ones it sends. */
  grantItems(grantee: IGrantable, ...actions: WebhookItemAction[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: actions.map((action) => `dynamodb:${action}`),
      resourceArns: [this.table.tableArn],
    });
  }

  /**
   * `Query` on the table's own keys (`table`: an endpoint's delivery log) or on the named index, by exact ARNs:
   * `Table.grantReadData` would add Scan, BatchGetItem and `index/*`.
   */
  grantQuery(grantee: IGrantable, ...on: WebhookQueryTarget[]): Grant {
    const arn = this.table.tableArn;
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: on.map((target) =>
        target === 'table' ? arn : `${arn}/index/${WEBHOOKS_TABLE_DESIGN.indexes[target].indexName}`,
      ),
    });
  }

  /**
   * `sqs:SendMessage` on the queue (SendMessageBatch is authorized as it). Not `grantSendMessages`, which adds
   * GetQueueAttributes and GetQueueUrl that no publisher calls; the queue's SQS-managed encryption needs no key grant.
   */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [this.queue.queueArn] });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/manifest/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'webhooks'>): void {
    if (use.kind === 'webhook-items') this.grantItems(grantee, ...use.actions);
    else if (use.kind === 'webhook-query') this.grantQuery(grantee, ...use.on);
    else this.grantSend(grantee);
  }
}
