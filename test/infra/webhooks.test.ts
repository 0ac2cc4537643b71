import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { declaredFor } from '../../lambdas/manifest/resources';
import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../lambdas/settings';
import { WEBHOOKS_ROOM } from '../../lambdas/webhooks/room';
import { isWriteAction, RUNTIME_ACTIONS } from '../../lib/constructs/read-only';
import { routes } from './support/api';
import { permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * Webhooks in the template (docs/webhooks.md): on (the default), the endpoints' and delivery log's table, the queue
 * with its DLQ and alarm, the delivery function behind it, the webhook routes, and each publisher's second sink,
 * each function granted exactly what its manifest entry uses; with `webhooks=false`, none of it.
 */
const WEBHOOK_API_FUNCTIONS = WEBHOOKS_ROOM.routes ?? [];
const WEBHOOK_ROUTES = WEBHOOK_API_FUNCTIONS.map(({ route }) => route(DEFAULT_SETTINGS).operationId);

function webhooksOf(s: Synthesized) {
  // The generic constructs of the webhooks' declarations (lib/constructs/declared.ts); each throws if there is none.
  const { table } = s.stack.declaredTable('webhooks');
  const { queue, deadLetterQueue, function: fn, dlqDepthAlarm } = s.stack.declaredQueue('webhooks');
  const webhooks = { table, queue, deadLetterQueue, function: fn, dlqDepthAlarm };
  return {
    webhooks,
    table: logicalIdOf(webhooks.table),
    queue: logicalIdOf(webhooks.queue),
    dlq: logicalIdOf(webhooks.deadLetterQueue),
    fn: logicalIdOf(webhooks.function),
  };
}

/** What a function is granted besides its log lines and traces, as `action resource`, sorted. */
const grantsOf = (s: Synthesized, fn: IConstruct) =>
  permissionsOfFunction(s.json, logicalIdOf(fn))
    .filter((p) => !RUNTIME_ACTIONS.includes(p.action))
    .map((p) => `${p.action} ${p.resource}`)
    .sort();

/** The functions that publish events: each sends its events to the webhooks' queue too. */
const publishers = (s: Synthesized): Record<string, IConstruct> => ({
  processor: s.stack.processor.function,
  'delete-image': s.stack.api.handlers.named('delete-image'),
  'correct-labels': s.stack.api.handlers.named('correct-labels'),
});

describe('webhooks on (the default)', () => {
  const s = synth({ alarmEmail: 'ops@example.com' });
  const { webhooks, table, queue, dlq, fn } = webhooksOf(s);

  it('makes the table from its design: pk/sk, byOwnerEndpoints, byImageDeliveries, TTL, on-demand, PITR, encrypted, retained', () => {
    const resource = s.json.Resources[table];
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwnerEndpoints',
          KeySchema: [
            { AttributeName: 'endpointOwner', KeyType: 'HASH' },
            { AttributeName: 'endpointSort', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'byImageDeliveries',
          KeySchema: [
            { AttributeName: 'deliveryImage', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    // A customer managed key would need grants the functions do not have.
    expect(resource?.Properties?.SSESpecification).not.toHaveProperty('KMSMasterKeyId');
  });

  it('deletes the table with the stack only with destroyOnRemove', () => {
    const destroyed = synth({ destroyOnRemove: 'true' });
    expect(destroyed.json.Resources[webhooksOf(destroyed).table]?.DeletionPolicy).toBe('Delete');
  });

  it('queues with a DLQ after 5 receives, kept 14 days, a visibility of 6 x the delivery timeout, TLS only', () => {
    expect(s.json.Resources[queue]?.Properties).toEqual({
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 5 },
      SqsManagedSseEnabled: true,
      // webhookTimeoutSeconds 10: a 40 s function, 240 s.
      VisibilityTimeout: 240,
    });
    expect(s.json.Resources[dlq]?.Properties).toEqual({
      MessageRetentionPeriod: 14 * 86_400,
      SqsManagedSseEnabled: true,
    });
    for (const id of [queue, dlq]) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('takes the function timeout and the visibility from webhookTimeoutSeconds', () => {
    const slow = synth({ webhookTimeoutSeconds: '30' });
    const ids = webhooksOf(slow);
    expect(slow.json.Resources[ids.fn]?.Properties?.Timeout).toBe(80);
    expect(slow.json.Resources[ids.queue]?.Properties?.VisibilityTimeout).toBe(480);
    expect(s.json.Resources[fn]?.Properties).toMatchObject({ Timeout: 40, Runtime: 'nodejs22.x' });
  });

  it('consumes the queue in batches of 10 with partial batch failures', () => {
    const mappings = s.template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: fn } },
    });
    expect(Object.values(mappings).map((mapping) => mapping.Properties)).toEqual([
      {
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        FunctionName: { Ref: fn },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    ]);
  });

  it('gives the delivery function the table, its queue, the bus and the webhook settings', () => {
    expect(environmentOf(s, webhooks.function)).toEqual({
      POWERTOOLS_SERVICE_NAME: 'image-intel-deliver-webhooks',
      POWERTOOLS_METRICS_NAMESPACE: 'ImageIntel',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      WEBHOOKS_TABLE: { Ref: table },
      EVENT_BUS_NAME: { Ref: logicalIdOf(s.stack.events.bus) },
      WEBHOOK_QUEUE_URL: { Ref: queue },
      WEBHOOK_RETRY_SCHEDULE: '0,5,300,1800,7200,18000,36000,36000',
      WEBHOOK_TIMEOUT_SECONDS: '10',
      WEBHOOK_DISABLE_AFTER_HOURS: '24',
      WEBHOOK_HOLD_AFTER_MINUTES: '5',
      WEBHOOK_LOG_DAYS: '30',
      // Loopback is the local runner's: never a deployment's default.
      WEBHOOK_LOOPBACK_PORTS: '',
    });
  });

  it("grants the delivery function its queue's consumption, the table's reads and writes it sends, and the bus", () => {
    const [tableArn, queueArn] = [`<${table}.Arn>`, `<${queue}.Arn>`];
    expect(grantsOf(s, webhooks.function)).toEqual(
      [
        // The event source mapping's.
        ...['ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl', 'ReceiveMessage'].map(
          (action) => `sqs:${action} ${queueArn}`,
        ),
        // The next attempt, a replay's next page, a Webhook Endpoint Disabled event.
        `sqs:SendMessage ${queueArn}`,
        `dynamodb:Query ${tableArn}`,
        `dynamodb:Query ${tableArn}/index/byOwnerEndpoints`,
        // An image deleted for good: its deliveries found and deleted.
        `dynamodb:Query ${tableArn}/index/byImageDeliveries`,
        `dynamodb:DeleteItem ${tableArn}`,
        `dynamodb:GetItem ${tableArn}`,
        `dynamodb:PutItem ${tableArn}`,
        `dynamodb:UpdateItem ${tableArn}`,
        `events:PutEvents <${logicalIdOf(s.stack.events.bus)}.Arn>`,
      ].sort(),
    );
  });

  it('makes every webhook route, each with its function and environment', () => {
    const made = routes(s);
    for (const { route } of WEBHOOK_API_FUNCTIONS) {
      const { method, path, operationId } = route(DEFAULT_SETTINGS);
      expect([operationId, made.has(`${method} ${path}`)]).toEqual([operationId, true]);
      const handler = s.stack.api.handlers.byName[operationId] as IConstruct;
      expect(environmentOf(s, handler)).toMatchObject({
        WEBHOOKS_TABLE: { Ref: table },
        WEBHOOK_QUEUE_URL: { Ref: queue },
        WEBHOOK_ENDPOINTS_PER_OWNER: '10',
        WEBHOOK_ROTATION_OVERLAP_HOURS: '24',
        WEBHOOK_LOOPBACK_PORTS: '',
      });
    }
  });

  it('grants each webhook route exactly the table actions it sends, and only the replay the queue', () => {
    const [on, index, send] = [`<${table}.Arn>`, `<${table}.Arn>/index/byOwnerEndpoints`, `<${queue}.Arn>`];
    const items = (...actions: string[]) => actions.map((action) => `dynamodb:${action} ${on}`);
    const expected: Record<string, string[]> = {
      'create-webhook': items('PutItem', 'UpdateItem'),
      'list-webhooks': [`dynamodb:Query ${index}`],
      'get-webhook': items('GetItem'),
      'update-webhook': items('GetItem', 'UpdateItem'),
      'delete-webhook': items('DeleteItem', 'GetItem', 'UpdateItem'),
      'rotate-webhook-secret': items('GetItem', 'UpdateItem'),
      'list-webhook-deliveries': [...items('GetItem'), `dynamodb:Query ${on}`],
      'replay-webhook-deliveries': [...items('GetItem', 'UpdateItem'), `sqs:SendMessage ${send}`],
    };
    expect(Object.keys(expected).sort()).toEqual([...WEBHOOK_ROUTES].sort());
    for (const name of WEBHOOK_ROUTES) {
      const handler = s.stack.api.handlers.byName[name] as IConstruct;
      expect([name, grantsOf(s, handler)]).toEqual([name, (expected[name] ?? []).sort()]);
    }
  });

  it('lets no other function reach the table, and no GET route write', () => {
    const reaching = Object.entries(s.stack.api.handlers.byName)
      .filter(([name]) => !WEBHOOK_ROUTES.includes(name))
      .flatMap(([name, handler]) => grantsOf(s, handler).map((grant) => `${name} ${grant}`))
      .filter((grant) => grant.includes(`<${table}.Arn>`));
    expect(reaching).toEqual([]);
    const reads = WEBHOOK_API_FUNCTIONS.map(({ route }) => route(DEFAULT_SETTINGS)).filter(
      (route) => route.method === 'GET',
    );
    expect(reads.map((route) => route.operationId).sort()).toEqual([
      'get-webhook',
      'list-webhook-deliveries',
      'list-webhooks',
    ]);
    for (const { operationId } of reads) {
      const handler = s.stack.api.handlers.byName[operationId] as IConstruct;
      expect([
        operationId,
        grantsOf(s, handler).filter((grant) => isWriteAction(grant.split(' ')[0] as string)),
      ]).toEqual([operationId, []]);
    }
  });

  it("sends each publisher's events to the queue too: its URL, and SendMessage on it alone", () => {
    for (const [name, publisher] of Object.entries(publishers(s))) {
      expect([name, environmentOf(s, publisher).WEBHOOK_QUEUE_URL]).toEqual([name, { Ref: queue }]);
      const sends = grantsOf(s, publisher).filter((grant) => grant.startsWith('sqs:SendMessage'));
      expect([name, sends]).toEqual([name, [`sqs:SendMessage <${queue}.Arn>`]]);
    }
  });

  it('alarms on any message in the DLQ, to the alarm topic, on alarm and on recovery', () => {
    const topic = { Ref: logicalIdOf(s.stack.alarms?.topic as never) };
    expect(s.json.Resources[logicalIdOf(webhooks.dlqDepthAlarm)]?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  it('outputs the table, the queue and the DLQ', () => {
    expect(s.json.Outputs).toMatchObject({
      WebhooksTableName: { Value: { Ref: table } },
      WebhookQueueUrl: { Value: { Ref: queue } },
      WebhookDlqUrl: { Value: { Ref: dlq } },
    });
  });
});

describe('webhooks off (-c webhooks=false)', () => {
  const s = synth({ webhooks: 'false' });

  it('makes no table, no queue, no delivery function and no output of them', () => {
    expect(s.stack.declaredTables.map(({ declaration }) => declaration.name)).not.toContain('webhooks');
    expect(s.stack.declaredQueues.map(({ declaration }) => declaration.name)).not.toContain('webhooks');
    // Every declared table and queue (each with its DLQ and its consumer's event source) but the webhooks'.
    const declared = declaredFor(parseDeploymentSettings({ webhooks: 'false' }));
    expect(declared.tables.map(({ name }) => name)).not.toContain('webhooks');
    expect(declared.queues.map(({ name }) => name)).not.toContain('webhooks');
    expect(Object.keys(s.template.findResources('AWS::DynamoDB::Table'))).toHaveLength(declared.tables.length);
    expect(Object.keys(s.template.findResources('AWS::SQS::Queue'))).toHaveLength(2 * declared.queues.length);
    expect(Object.keys(s.template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(
      declared.queues.length,
    );
    const services = Object.values(s.template.findResources('AWS::Lambda::Function')).map(
      (fn) => (fn.Properties?.Environment?.Variables as Record<string, unknown> | undefined)?.POWERTOOLS_SERVICE_NAME,
    );
    expect(services).not.toContain('image-intel-deliver-webhooks');
    expect(Object.keys(s.json.Outputs ?? {}).filter((name) => name.startsWith('Webhook'))).toEqual([]);
  });

  it('has no webhook route and no function for one', () => {
    expect([...routes(s).keys()].filter((route) => route.includes('/webhooks'))).toEqual([]);
    expect(Object.keys(s.stack.api.handlers.byName).filter((name) => WEBHOOK_ROUTES.includes(name))).toEqual([]);
  });

  it('gives the publishers no queue URL and no sqs:SendMessage', () => {
    for (const [name, publisher] of Object.entries(publishers(s))) {
      expect([name, 'WEBHOOK_QUEUE_URL' in environmentOf(s, publisher)]).toEqual([name, false]);
      expect([name, grantsOf(s, publisher).filter((grant) => grant.startsWith('sqs:SendMessage'))]).toEqual([name, []]);
    }
  });
});
