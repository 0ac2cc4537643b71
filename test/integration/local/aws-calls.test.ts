import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type AwsCall, asFunction, recordAwsCalls, resourceFields } from '../../../lambdas/local/aws-calls';
import { type LambdaService, startLambdaService } from '../../../lambdas/local/lambda-service';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dir = mkdtempSync(path.join(tmpdir(), 'aws-calls-'));
const file = path.join(dir, 'calls.jsonl');
recordAwsCalls(file);

const recorded = (): AwsCall[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AwsCall);

let service: LambdaService;
let lambda: LambdaClient;

beforeAll(async () => {
  service = await startLambdaService([
    {
      name: 'pipe-vision',
      functionName: 'vision',
      timeoutMs: 5_000,
      handler: async (event) => {
        const { fail, key } = event as { fail?: boolean; key: string };
        if (fail) throw Object.assign(new Error(`no thumbnail at ${key}`), { name: 'SourceImageMissing' });
        // The invoked function's own calls are its own, not its caller's.
        const s3 = new S3Client({ region: 'us-east-1', credentials, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
        await s3.send(new GetObjectCommand({ Bucket: 'images', Key: key })).catch(() => undefined);
        return { labels: [key] };
      },
    },
  ]);
  lambda = new LambdaClient({ region: 'us-east-1', credentials, endpoint: service.url, maxAttempts: 1 });
});

afterAll(async () => {
  await service.stop();
  rmSync(dir, { recursive: true, force: true });
});

const invoke = (FunctionName: string, payload: unknown) =>
  asFunction('processor', () =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(payload)) })),
  );

describe('the local Lambda service', () => {
  it("answers an SDK client's Invoke with the function's result, by name or by ARN", async () => {
    for (const name of ['pipe-vision', 'arn:aws:lambda:us-east-1:123456789012:function:pipe-vision']) {
      const result = await invoke(name, { key: 'thumbnails/a.webp' });
      expect(result.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(result.Payload as Uint8Array).toString())).toEqual({
        labels: ['thumbnails/a.webp'],
      });
    }
  });

  it('reports a thrown error as Lambda does: FunctionError and the error type and message as the payload', async () => {
    const result = await invoke('pipe-vision', { key: 'thumbnails/gone.webp', fail: true });
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload as Uint8Array).toString())).toMatchObject({
      errorType: 'SourceImageMissing',
      errorMessage: 'no thumbnail at thumbnails/gone.webp',
    });
  });

  it('refuses a function it does not serve with ResourceNotFoundException', async () => {
    await expect(invoke('pipe-other', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('recording AWS calls', () => {
  it('tags each call with the function that made it, through an invocation of another function', async () => {
    await invoke('pipe-vision', { key: 'thumbnails/b.webp' });
    expect(recorded()).toEqual(
      expect.arrayContaining([
        { fn: 'processor', service: 'Lambda', operation: 'Invoke', input: { FunctionName: 'pipe-vision' } },
        { fn: 'vision', service: 'S3', operation: 'GetObject', input: { Bucket: 'images', Key: 'thumbnails/b.webp' } },
      ]),
    );
  });

  it('records a presigned URL and a presigned POST as calls the signing function needs permission for', async () => {
    const s3 = new S3Client({ region: 'us-east-1', credentials });
    await asFunction('create-upload', async () => {
      await createPresignedPost(s3, { Bucket: 'images', Key: 'uploads/u1/x.png' });
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'images', Key: 'thumbnails/x.webp' }));
    });
    expect(recorded()).toEqual(
      expect.arrayContaining([
        {
          fn: 'create-upload',
          service: 'S3',
          operation: 'PutObject',
          input: { Bucket: 'images', Key: 'uploads/u1/x.png' },
          presigned: true,
        },
        {
          fn: 'create-upload',
          service: 'S3',
          operation: 'GetObject',
          input: { Bucket: 'images', Key: 'thumbnails/x.webp' },
          presigned: true,
        },
      ]),
    );
  });

  it('writes each distinct call once, however often it is made', async () => {
    const before = recorded().length;
    await invoke('pipe-vision', { key: 'thumbnails/b.webp' });
    await invoke('pipe-vision', { key: 'thumbnails/b.webp' });
    expect(recorded()).toHaveLength(before);
  });
});

describe('resourceFields', () => {
  it('keeps what a call acts on and leaves bodies and items out', () => {
    expect(
      resourceFields({
        Bucket: 'images',
        Key: 'k',
        Body: Buffer.from('x'),
        Item: { pk: { S: 'a' } },
        RequestItems: { results: [], search: [] },
        Entries: [{ EventBusName: 'bus', Detail: '{}' }],
        Delete: { Objects: [{ Key: 'renditions/a' }, { Key: 'renditions/b' }] },
        TransactItems: [
          { Put: { TableName: 'people', Item: { pk: 'a#IMAGE#1' } } },
          { Update: { TableName: 'people', Key: { pk: 'a#PERSON#1' }, UpdateExpression: 'ADD faceCount :one' } },
        ],
        Limit: 10,
      }),
    ).toEqual({
      Bucket: 'images',
      Key: 'k',
      RequestItems: ['results', 'search'],
      Entries: [{ EventBusName: 'bus' }],
      Keys: ['renditions/a', 'renditions/b'],
      TransactItems: [{ Put: 'people' }, { Update: 'people' }],
      Limit: 10,
    });
  });
});
