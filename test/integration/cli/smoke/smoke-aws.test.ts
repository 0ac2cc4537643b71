import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EXIT } from '../../../../lambdas/cli/record';
import { readBacklog, SmokeSubscriber } from '../../../../lambdas/cli/smoke/subscriber';
import { TargetError, targetFromRunner, targetFromStack } from '../../../../lambdas/cli/smoke/target';
import { run } from '../run-cli';

const sqsMock = mockClient(SQSClient);
const eventsMock = mockClient(EventBridgeClient);
const cfnMock = mockClient(CloudFormationClient);

const NAME = 'image-intel-smoke-0a1b2c3d';
const QUEUE_URL = `https://sqs.eu-west-1.amazonaws.com/111122223333/${NAME}`;
const QUEUE_ARN = `arn:aws:sqs:eu-west-1:111122223333:${NAME}`;
const RULE_ARN = `arn:aws:events:eu-west-1:111122223333:rule/ImageIntelBus/${NAME}`;

const aws = (name: string, message: string) => Object.assign(new Error(message), { name });

function subscriber() {
  return new SmokeSubscriber(new SQSClient({}), new EventBridgeClient({}), 'ImageIntelBus', NAME);
}

function working() {
  sqsMock.on(CreateQueueCommand).resolves({ QueueUrl: QUEUE_URL });
  sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: QUEUE_ARN } });
  eventsMock.on(PutRuleCommand).resolves({ RuleArn: RULE_ARN });
  eventsMock.on(PutTargetsCommand).resolves({ FailedEntryCount: 0 });
}

beforeEach(() => {
  sqsMock.reset();
  eventsMock.reset();
  cfnMock.reset();
});

describe('the smoke subscriber', () => {
  it('makes a queue and a rule for Image Processed from image-intel, which only that rule may send to', async () => {
    working();
    await expect(subscriber().open()).resolves.toBe(`rule ${NAME} on bus ImageIntelBus -> queue ${NAME}`);
    expect(sqsMock).toHaveReceivedCommandWith(CreateQueueCommand, { QueueName: NAME });
    expect(eventsMock).toHaveReceivedCommandWith(PutRuleCommand, {
      Name: NAME,
      EventBusName: 'ImageIntelBus',
      EventPattern: JSON.stringify({ source: ['image-intel'], 'detail-type': ['Image Processed'] }),
    });
    const policy = JSON.parse(
      sqsMock.commandCalls(SetQueueAttributesCommand)[0]?.args[0].input.Attributes?.Policy ?? '',
    );
    expect(policy.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE_ARN,
        Condition: { ArnEquals: { 'aws:SourceArn': RULE_ARN } },
      },
    ]);
    expect(eventsMock).toHaveReceivedCommandWith(PutTargetsCommand, {
      Rule: NAME,
      EventBusName: 'ImageIntelBus',
      Targets: [{ Id: 'smoke-queue', Arn: QUEUE_ARN }],
    });
  });

  it('names the call that was refused, and removes only what it made', async () => {
    working();
    eventsMock.on(PutRuleCommand).rejects(aws('AccessDeniedException', 'not authorized to perform: events:PutRule'));
    const made = subscriber();
    await expect(made.open()).rejects.toThrow(
      'events:PutRule: AccessDeniedException: not authorized to perform: events:PutRule',
    );
    await expect(made.close()).resolves.toEqual([]);
    expect(sqsMock).toHaveReceivedCommandWith(DeleteQueueCommand, { QueueUrl: QUEUE_URL });
    expect(eventsMock).not.toHaveReceivedCommand(RemoveTargetsCommand);
    expect(eventsMock).not.toHaveReceivedCommand(DeleteRuleCommand);
  });

  it('fails when EventBridge refuses the queue as a target', async () => {
    working();
    eventsMock
      .on(PutTargetsCommand)
      .resolves({ FailedEntryCount: 1, FailedEntries: [{ ErrorMessage: 'queue is in another Region' }] });
    await expect(subscriber().open()).rejects.toThrow(
      'events:PutTargets refused the queue: queue is in another Region',
    );
  });

  it('tries every removal when one fails, and says how to remove what is left', async () => {
    working();
    eventsMock.on(DeleteRuleCommand).rejects(aws('AccessDeniedException', 'denied'));
    const made = subscriber();
    await made.open();
    await expect(made.close()).resolves.toEqual([
      `rule ${NAME} (AccessDeniedException: denied; aws events delete-rule --name ${NAME} --event-bus-name ImageIntelBus)`,
    ]);
    expect(eventsMock).toHaveReceivedCommandWith(RemoveTargetsCommand, { Rule: NAME, Ids: ['smoke-queue'] });
    expect(sqsMock).toHaveReceivedCommandWith(DeleteQueueCommand, { QueueUrl: QUEUE_URL });
  });

  it("finds the image's event among others on the queue, and deletes what it read", async () => {
    working();
    const body = (imageId: string, detailType = 'Image Processed') =>
      JSON.stringify({ 'detail-type': detailType, source: 'image-intel', detail: { imageId, status: 'PROCESSED' } });
    sqsMock
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [{ Body: body('OTHER'), ReceiptHandle: 'r1' }] })
      .resolvesOnce({
        Messages: [
          { Body: 'not json', ReceiptHandle: 'r2' },
          { Body: body('MINE'), ReceiptHandle: 'r3' },
        ],
      });
    const made = subscriber();
    await made.open();
    await expect(made.waitFor('MINE', 'Image Processed', 10_000)).resolves.toEqual({
      detailType: 'Image Processed',
      source: 'image-intel',
      detail: { imageId: 'MINE', status: 'PROCESSED' },
    });
    expect(sqsMock).toHaveReceivedCommandTimes(DeleteMessageBatchCommand, 2);
    expect(sqsMock).toHaveReceivedCommandWith(DeleteMessageBatchCommand, {
      Entries: [
        { Id: '0', ReceiptHandle: 'r2' },
        { Id: '1', ReceiptHandle: 'r3' },
      ],
    });
  });

  it('answers undefined when no event for the image came in time', async () => {
    working();
    sqsMock.on(ReceiveMessageCommand).resolves({ Messages: [] });
    const made = subscriber();
    await made.open();
    await expect(made.waitFor('MINE', 'Image Processed', 1)).resolves.toBeUndefined();
  });

  it('reads the ingest queue and DLQ counts', async () => {
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: 'ingest' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' } })
      .on(GetQueueAttributesCommand, { QueueUrl: 'dlq' })
      .resolves({ Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '0' } });
    await expect(readBacklog(new SQSClient({}), 'ingest', 'dlq')).resolves.toEqual({
      waiting: 3,
      inFlight: 1,
      deadLettered: 2,
    });
  });
});

describe("a deployed stack's outputs", () => {
  const outputs = {
    ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
    EventBusName: 'ImageIntelBus',
    QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ingest',
    DlqUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq',
  };
  const stack = (
    status: StackStatus,
    extra: Record<string, string> = {},
  ): Omit<DescribeStacksCommandOutput, '$metadata'> => ({
    Stacks: [
      {
        StackName: 'ImageIntel',
        StackStatus: status,
        CreationTime: new Date(),
        Outputs: Object.entries({ ...outputs, ...extra }).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
      },
    ],
  });
  const cfn = () => new CloudFormationClient({ region: 'eu-west-1' });

  it("points the API at ApiUrl and the SDK at the stack's Region, and knows a Cognito stack wants a token", async () => {
    cfnMock
      .on(DescribeStacksCommand, { StackName: 'ImageIntel' })
      .resolves(stack('UPDATE_COMPLETE', { UserPoolId: 'p' }));
    await expect(targetFromStack('ImageIntel', 'eu-west-1', cfn())).resolves.toEqual({
      label: 'stack ImageIntel in eu-west-1',
      apiUrl: outputs.ApiUrl,
      eventBus: 'ImageIntelBus',
      queueUrl: outputs.QueueUrl,
      dlqUrl: outputs.DlqUrl,
      aws: { region: 'eu-west-1' },
      authHint: "the stack uses Cognito: --token takes a user's ID token, see docs/deploy.md#users-with-authcognito",
    });
  });

  it('tells how to read the API key of an apikey stack', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(stack('CREATE_COMPLETE', { ApiKeyId: 'k123' }));
    const target = await targetFromStack('ImageIntel', 'eu-west-1', cfn());
    expect(target.authHint).toBe(
      'the stack takes API keys: --api-key KEY, from aws apigateway get-api-key --include-value --api-key k123',
    );
  });

  it.each([
    [
      aws('ValidationError', 'Stack with id Nope does not exist'),
      'stack Nope not found in eu-west-1: check --stack (the stackName you deployed, default ImageIntel) and --region',
    ],
    [
      aws('CredentialsProviderError', 'Could not load credentials from any providers'),
      'no AWS credentials to read stack Nope: set them up as for cdk deploy (aws configure, AWS_PROFILE, aws sso ' +
        'login): Could not load credentials from any providers',
    ],
    [
      aws('ExpiredToken', 'The security token included in the request is expired'),
      'cannot read stack Nope in eu-west-1: ExpiredToken: The security token included in the request is expired',
    ],
  ])('says what to fix when DescribeStacks fails (%s)', async (error, message) => {
    cfnMock.on(DescribeStacksCommand).rejects(error);
    await expect(targetFromStack('Nope', 'eu-west-1', cfn())).rejects.toThrow(new TargetError(message));
  });

  it('refuses a stack whose deploy is under way or failed', async () => {
    cfnMock.on(DescribeStacksCommand).resolves(stack('UPDATE_IN_PROGRESS'));
    await expect(targetFromStack('ImageIntel', 'eu-west-1', cfn())).rejects.toThrow(
      'stack ImageIntel in eu-west-1 is UPDATE_IN_PROGRESS: wait until its deploy has finished',
    );
    cfnMock.on(DescribeStacksCommand).resolves(stack('ROLLBACK_COMPLETE'));
    await expect(targetFromStack('ImageIntel', 'eu-west-1', cfn())).rejects.toThrow(
      'stack ImageIntel in eu-west-1 is ROLLBACK_COMPLETE: its resources may not all be there: see aws ' +
        'cloudformation describe-stack-events --stack-name ImageIntel --region eu-west-1',
    );
  });

  it('names the outputs a stack lacks', async () => {
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: stack('CREATE_COMPLETE').Stacks?.map((s) => ({ ...s, Outputs: [] })) });
    await expect(targetFromStack('Other', 'eu-west-1', cfn())).rejects.toThrow(
      'stack Other in eu-west-1 has no output ApiUrl, EventBusName, QueueUrl, DlqUrl: is it an image-intel stack, ' +
        'deployed by this version?',
    );
  });
});

describe("the local runner's outputs", () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  /** Each request's headers, in the order they came. */
  const asked: Array<Record<string, unknown>> = [];
  async function serve(status: number, body: unknown): Promise<string> {
    const server = createServer((request, response) => {
      asked.push(request.headers);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const outputs = {
    ApiUrl: 'http://localhost:3000',
    EventBusName: 'image-intel-local-events',
    QueueUrl: 'http://127.0.0.1:4566/123456789012/image-intel-local-ingest',
    DlqUrl: 'http://127.0.0.1:4566/123456789012/image-intel-local-ingest-dlq',
    Endpoint: 'http://127.0.0.1:4566',
    Region: 'us-east-1',
  };

  it('points the SDK at the emulator, with test credentials when none are set', async () => {
    const api = await serve(200, outputs);
    await expect(targetFromRunner(api, {})).resolves.toEqual({
      label: `the local runner at ${api}`,
      apiUrl: api,
      eventBus: outputs.EventBusName,
      queueUrl: outputs.QueueUrl,
      dlqUrl: outputs.DlqUrl,
      aws: {
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:4566',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
    });
    expect((await targetFromRunner(api, { AWS_ACCESS_KEY_ID: 'mine' })).aws.credentials).toBeUndefined();
  });

  it("sends the API's credentials: the runner asks for them there as on its routes", async () => {
    const api = await serve(200, outputs);
    await targetFromRunner(api, {}, { token: 'a.b.c' });
    expect(asked.at(-1)).toMatchObject({ authorization: 'Bearer a.b.c' });
    await targetFromRunner(api, {}, { apiKey: 'k3y' });
    expect(asked.at(-1)).toMatchObject({ 'x-api-key': 'k3y' });
  });

  it.each([
    [
      401,
      'Unauthorized',
      {},
      'the runner takes --auth jwt: give --token (or IMAGE_INTEL_TOKEN), from npx image-intel token',
    ],
    [403, 'Forbidden', {}, 'the runner takes --auth apikey: give --api-key KEY (its banner shows it)'],
    [403, 'Forbidden', { apiKey: 'wrong' }, 'the runner did not take --api-key: its banner shows its key'],
  ])('says what the runner asks for when it answers %d %s', async (status, message, credentials, said) => {
    const api = await serve(status, { message });
    await expect(targetFromRunner(api, {}, credentials)).rejects.toThrow(
      new TargetError(`${api} answers ${status} to GET /_local/outputs: ${said}`),
    );
  });

  it('says --api is for the runner when the API has no outputs route', async () => {
    const api = await serve(403, { message: 'Missing Authentication Token' });
    await expect(targetFromRunner(api, {})).rejects.toThrow(
      new TargetError(
        `${api} answers 403 to GET /_local/outputs: --api is for the local runner (npm start); for a deployed ` +
          'stack give --stack NAME',
      ),
    );
  });

  it('says which outputs an older runner lacks', async () => {
    const api = await serve(200, { ApiUrl: 'http://localhost:3000' });
    await expect(targetFromRunner(api, {})).rejects.toThrow(
      "the runner's outputs have no EventBusName, QueueUrl, DlqUrl: is the runner older than this CLI? restart npm start",
    );
  });

  it('says it cannot reach a runner that is not there, on one line, and exits 3 having run no step', async () => {
    const api = await serve(200, outputs);
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stdout, stderr } = await run('smoke', '--api', api);
    expect([code, stdout]).toEqual([EXIT.noTarget, '']);
    expect(stderr).toBe(
      `image-intel: cannot reach ${api}: connect ECONNREFUSED ${api.slice('http://'.length)}: is the local runner ` +
        'running (npm start)?\n',
    );
  });
});
