import type { AwsCall } from '../../../lambdas/local/aws-calls';

/** Where the calls were made: every ARN is written in this Region and account. */
export interface Place {
  readonly region: string;
  readonly account: string;
}

/** One IAM authorization a call needs: an action on a resource, with the request's condition keys. */
export interface Need {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Why a call needs an action it does not name (`s3:ListBucket` for a GetObject). */
  readonly why?: string;
  /**
   * The item's key, when the call names one (DynamoDB's `Key`, plain or marshalled): the check reads the table's
   * partition key out of it as `dynamodb:LeadingKeys` (check.ts), which a grant's condition may test.
   */
  readonly itemKey?: Readonly<Record<string, unknown>>;
}

/** A call this table does not know: the check fails on it, so a new operation cannot go unchecked. */
export class UnknownOperationError extends Error {
  override readonly name = 'UnknownOperationError';
}

type Mapper = (input: Record<string, unknown>, place: Place, call: AwsCall) => Need[];

const text = (input: Record<string, unknown>, field: string): string => {
  const value = input[field];
  if (typeof value !== 'string' || !value) throw new UnknownOperationError(`no ${field} in the recorded input`);
  return value;
};

const bucketArn = (input: Record<string, unknown>) => `arn:aws:s3:::${text(input, 'Bucket')}`;
const objectArn = (input: Record<string, unknown>) => `${bucketArn(input)}/${text(input, 'Key')}`;
const tableArn = (table: string, { region, account }: Place) => `arn:aws:dynamodb:${region}:${account}:table/${table}`;

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` or an emulator's `http://host/<account>/<name>`. */
export function queueArn(url: string, { region }: Place): string {
  const [account, name] = new URL(url).pathname.split('/').filter(Boolean).slice(-2);
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

const item =
  (action: string): Mapper =>
  (input, place) => [
    {
      action: `dynamodb:${action}`,
      resource: tableArn(text(input, 'TableName'), place),
      ...(input.Key !== null && typeof input.Key === 'object' && { itemKey: input.Key as Record<string, unknown> }),
    },
  ];
const batch =
  (action: string): Mapper =>
  (input, place) =>
    ((input.RequestItems as string[] | undefined) ?? []).map((table) => ({
      action: `dynamodb:${action}`,
      resource: tableArn(table, place),
    }));
const queue =
  (action: string): Mapper =>
  (input, place) => [{ action: `sqs:${action}`, resource: queueArn(text(input, 'QueueUrl'), place) }];
const secret =
  (action: string): Mapper =>
  (input) => [{ action: `secretsmanager:${action}`, resource: text(input, 'SecretId') }];
const imageBytes =
  (action: string): Mapper =>
  () => [{ action: `rekognition:${action}`, resource: '*' }];
/** An S3 Vectors operation, on the index its input names. */
const vectors =
  (action: string): Mapper =>
  (input, { region, account }) => [
    {
      action: `s3vectors:${action}`,
      resource:
        `arn:aws:s3vectors:${region}:${account}:bucket/${text(input, 'vectorBucketName')}` +
        `/index/${text(input, 'indexName')}`,
    },
  ];
/** A face collection operation, on the collection its input names (the face grouping's IndexFaces and others). */
const collection =
  (action: string): Mapper =>
  (input, { region, account }) => [
    {
      action: `rekognition:${action}`,
      resource: `arn:aws:rekognition:${region}:${account}:collection/${text(input, 'CollectionId')}`,
    },
  ];

/** Each item of a transaction is authorized as its own action (there is no `dynamodb:TransactWriteItems`). */
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};
const transactWrite: Mapper = (input, place, call) =>
  ((input.TransactItems as Record<string, string>[] | undefined) ?? []).flatMap((item) =>
    Object.entries(item).map(([operation, table]) => {
      const action = TRANSACT_ACTIONS[operation];
      if (!action) throw new UnknownOperationError(`${call.fn} sent a transaction item ${operation}, not mapped`);
      return { action: `dynamodb:${action}`, resource: tableArn(table, place) };
    }),
  );

/**
 * A GetObject of a key that may not be there. Without `s3:ListBucket` on the bucket S3 answers a missing key with
 * 403 AccessDenied, not 404 NoSuchKey, and the code that reads a missing object as a state (the processor's
 * MISSING outcome, the render function's stored-rendition lookup) would fail instead.
 */
const getObject: Mapper = (input, _place, call) => [
  { action: 's3:GetObject', resource: objectArn(input) },
  ...(call.presigned
    ? []
    : [
        {
          action: 's3:ListBucket',
          resource: bucketArn(input),
          context: { 's3:prefix': text(input, 'Key') },
          why: 'so that a missing key answers 404 NoSuchKey, not 403',
        },
      ]),
];

/**
 * A Step Functions operation on the ARN its input names (the Service Authorization Reference: StartExecution and
 * ListExecutions on the state machine, DescribeExecution, StopExecution and ListMapRuns on an execution,
 * DescribeMapRun on a map run).
 */
const states =
  (action: string, field: 'stateMachineArn' | 'executionArn' | 'mapRunArn'): Mapper =>
  (input) => [{ action: `states:${action}`, resource: text(input, field) }];

/** `<Service>:<Operation>` as the recorder names them, to what IAM authorizes for it. */
const OPERATIONS: Record<string, Mapper> = {
  'S3:GetObject': getObject,
  'S3:HeadObject': getObject,
  'S3:PutObject': (input) => [{ action: 's3:PutObject', resource: objectArn(input) }],
  // A copy within S3 reads its source (`CopySource`: `<bucket>/<key>`, URL-encoded) and writes its destination.
  'S3:CopyObject': (input) => [
    { action: 's3:GetObject', resource: `arn:aws:s3:::${decodeURIComponent(text(input, 'CopySource'))}` },
    { action: 's3:PutObject', resource: objectArn(input) },
  ],
  'S3:DeleteObject': (input) => [{ action: 's3:DeleteObject', resource: objectArn(input) }],
  'S3:DeleteObjects': (input) =>
    ((input.Keys as string[] | undefined) ?? []).map((key) => ({
      action: 's3:DeleteObject',
      resource: `${bucketArn(input)}/${key}`,
    })),
  'S3:ListObjectsV2': (input) => [
    {
      action: 's3:ListBucket',
      resource: bucketArn(input),
      ...(typeof input.Prefix === 'string' && { context: { 's3:prefix': input.Prefix } }),
    },
  ],
  'DynamoDB:GetItem': item('GetItem'),
  'DynamoDB:PutItem': item('PutItem'),
  'DynamoDB:UpdateItem': item('UpdateItem'),
  'DynamoDB:DeleteItem': item('DeleteItem'),
  'DynamoDB:Query': (input, place) => {
    const table = tableArn(text(input, 'TableName'), place);
    const index = typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : '';
    return [{ action: 'dynamodb:Query', resource: `${table}${index}` }];
  },
  'DynamoDB:BatchGetItem': batch('BatchGetItem'),
  'DynamoDB:BatchWriteItem': batch('BatchWriteItem'),
  'DynamoDB:TransactWriteItems': transactWrite,
  'SQS:ReceiveMessage': queue('ReceiveMessage'),
  'SQS:DeleteMessage': queue('DeleteMessage'),
  'SQS:DeleteMessageBatch': queue('DeleteMessage'),
  'SQS:ChangeMessageVisibility': queue('ChangeMessageVisibility'),
  'SQS:ChangeMessageVisibilityBatch': queue('ChangeMessageVisibility'),
  'SQS:SendMessage': queue('SendMessage'),
  'SQS:SendMessageBatch': queue('SendMessage'),
  'SQS:GetQueueAttributes': queue('GetQueueAttributes'),
  'EventBridge:PutEvents': (input, { region, account }) =>
    ((input.Entries as { EventBusName?: string }[] | undefined) ?? []).map((entry) => ({
      action: 'events:PutEvents',
      resource: `arn:aws:events:${region}:${account}:event-bus/${entry.EventBusName ?? 'default'}`,
    })),
  'Lambda:Invoke': (input, { region, account }) => {
    const name = text(input, 'FunctionName');
    const arn = name.startsWith('arn:') ? name : `arn:aws:lambda:${region}:${account}:function:${name}`;
    return [{ action: 'lambda:InvokeFunction', resource: arn }];
  },
  'SecretsManager:GetSecretValue': secret('GetSecretValue'),
  'SecretsManager:DescribeSecret': secret('DescribeSecret'),
  'SecretsManager:PutSecretValue': secret('PutSecretValue'),
  'SecretsManager:UpdateSecretVersionStage': secret('UpdateSecretVersionStage'),
  'SSM:GetParameter': (input, { region, account }) => [
    {
      action: 'ssm:GetParameter',
      resource: `arn:aws:ssm:${region}:${account}:parameter/${text(input, 'Name').replace(/^\//, '')}`,
    },
  ],
  'SFN:StartExecution': states('StartExecution', 'stateMachineArn'),
  'SFN:DescribeExecution': states('DescribeExecution', 'executionArn'),
  'SFN:StopExecution': states('StopExecution', 'executionArn'),
  'SFN:ListExecutions': (input, place, call) => {
    // With mapRunArn it lists a map run's child executions, which nothing of ours does: left unmapped, so noticed.
    if (input.mapRunArn !== undefined) {
      throw new UnknownOperationError(`${call.fn} listed a map run's executions, which operations.ts does not map`);
    }
    return states('ListExecutions', 'stateMachineArn')(input, place, call);
  },
  'SFN:ListMapRuns': states('ListMapRuns', 'executionArn'),
  'SFN:DescribeMapRun': states('DescribeMapRun', 'mapRunArn'),
  'Rekognition:DetectLabels': imageBytes('DetectLabels'),
  'Rekognition:DetectText': imageBytes('DetectText'),
  'Rekognition:DetectFaces': imageBytes('DetectFaces'),
  'Rekognition:DetectModerationLabels': imageBytes('DetectModerationLabels'),
  'Rekognition:IndexFaces': collection('IndexFaces'),
  'Rekognition:SearchFaces': collection('SearchFaces'),
  'Rekognition:DeleteFaces': collection('DeleteFaces'),
  // Search by meaning: the model by its foundation-model ARN (no account), the vectors by their index's ARN.
  'BedrockRuntime:InvokeModel': (input, { region }) => [
    {
      action: 'bedrock:InvokeModel',
      resource: `arn:aws:bedrock:${region}::foundation-model/${text(input, 'modelId')}`,
    },
  ],
  'S3Vectors:PutVectors': vectors('PutVectors'),
  'S3Vectors:DeleteVectors': vectors('DeleteVectors'),
  // Every query of ours filters (the owner is pinned): a filtered query needs GetVectors as well.
  'S3Vectors:QueryVectors': (input, place, call) => [
    ...vectors('QueryVectors')(input, place, call),
    ...vectors('GetVectors')(input, place, call).map((need) => ({ ...need, why: 'QueryVectors with a filter' })),
  ],
};

/** What IAM must allow for this call to succeed in AWS. */
export function needsOf(call: AwsCall, place: Place): Need[] {
  const mapper = OPERATIONS[`${call.service}:${call.operation}`];
  if (!mapper) {
    throw new UnknownOperationError(
      `${call.fn} called ${call.service} ${call.operation}, which test/support/permissions/operations.ts does not ` +
        'map to IAM actions yet: add it (the Service Authorization Reference names the action and resource)',
    );
  }
  return mapper(call.input, place, call);
}
