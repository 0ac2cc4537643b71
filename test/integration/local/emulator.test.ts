import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Emulator, MOTO_REQUIREMENT, spawnMoto, startEmulator } from '../../../lambdas/local/emulator';
import { TEST_MOTO_ENV, testEndpoint } from '../../support/shared-moto';

/** Python for `python3 -c <this> -H <host> -p <port>`: a server answering 200 to every GET, as moto's health path does. */
const STAND_IN_SERVER = [
  'import sys, http.server',
  'host, port = sys.argv[sys.argv.index("-H") + 1], int(sys.argv[sys.argv.index("-p") + 1])',
  'class Ok(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")',
  '    def log_message(self, *args): pass',
  'http.server.HTTPServer((host, port), Ok).serve_forever()',
].join('\n');

/** The stand-in, saying first that it loads a data folder, for `seconds`, as moto-snapshot-keeper.ts does. */
const loadingFirst = (seconds: number, said = true) =>
  [
    'import sys, time',
    ...(said
      ? ["sys.stderr.write('image-intel data folder: loading /library (230.0 MB)\\n'); sys.stderr.flush()"]
      : []),
    `time.sleep(${seconds})`,
    ...(said ? ["sys.stderr.write('image-intel data folder: loaded /library in 3.00 s\\n'); sys.stderr.flush()"] : []),
    STAND_IN_SERVER,
  ].join('\n');

const START_EMULATOR = path.join(__dirname, 'support/start-emulator.ts');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'emulator-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run support/start-emulator.ts with a PATH whose only `python3` records its arguments and exits 1, as a
 * python3 without moto does.
 */
async function startWithoutMoto(endpoint?: string) {
  const bin = path.join(dir, 'bin');
  const marker = path.join(dir, 'python3-calls');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'python3'), `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`);
  chmodSync(path.join(bin, 'python3'), 0o755);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', START_EMULATOR, path.join(dir, 'venv'), ...(endpoint ? [endpoint] : [])],
    { cwd: path.join(__dirname, '../../..'), env: { PATH: bin }, timeout: 30_000 },
  );
  const outcome = JSON.parse(stdout) as {
    endpoint?: string;
    description?: string;
    error?: string;
    message?: string;
    pypiAsked: boolean;
  };
  return { ...outcome, pythonRan: existsSync(marker) };
}

/** How every client here reaches the run's moto. */
const ON_MOTO = {
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

/** Clients of the run's moto: the raw DynamoDB one (tables) and the document one (items). */
function dynamo() {
  const raw = new DynamoDBClient(ON_MOTO);
  return { raw, client: DynamoDBDocumentClient.from(raw) };
}

/** An on-demand table keyed by the string `pk`, and the string `rangeKey` when given. */
async function createTable(raw: DynamoDBClient, TableName: string, rangeKey?: string): Promise<void> {
  const keys = [
    { name: 'pk', type: 'HASH' as const },
    ...(rangeKey ? [{ name: rangeKey, type: 'RANGE' as const }] : []),
  ];
  await raw.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map(({ name }) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: keys.map(({ name, type }) => ({ AttributeName: name, KeyType: type })),
    }),
  );
}

describe('startEmulator', () => {
  it('uses the endpoint it is given (AWS_ENDPOINT_URL) and starts nothing', async () => {
    const outcome = await startWithoutMoto('http://localhost:4566');
    expect(outcome).toEqual({
      endpoint: 'http://localhost:4566',
      description: 'http://localhost:4566 (AWS_ENDPOINT_URL)',
      pypiAsked: false,
      pythonRan: false,
    });
  }, 30_000);

  it('stops with the exact pip command when python3 cannot import moto and PyPI does not answer', async () => {
    const outcome = await startWithoutMoto();
    expect(outcome.error).toBe('EmulatorUnavailableError');
    expect(outcome.message).toContain('python3 cannot import moto and PyPI is not reachable');
    expect(outcome.message).toContain(`python3 -m pip install '${MOTO_REQUIREMENT}'`);
    expect(outcome).toMatchObject({ pypiAsked: true, pythonRan: true });
    expect(existsSync(path.join(dir, 'venv'))).toBe(false);
  }, 30_000);

  describe('with the machine’s python3 and moto', () => {
    let emulator: Emulator | undefined;
    afterEach(async () => {
      await emulator?.stop();
    });

    // The run's moto is the one startEmulator started (test/support/shared-moto.ts, in jest's global setup): a second
    // one here would check the same launch again. Unless the run was given an endpoint: then this file starts one.
    it("starts moto on a free loopback port: the run's own, a live moto server", async () => {
      const given = !process.env[TEST_MOTO_ENV]?.startsWith('moto server ');
      emulator = given ? await startEmulator({ venvDir: path.join(dir, 'venv'), log: () => undefined }) : undefined;
      const endpoint = emulator?.endpoint ?? testEndpoint();
      const description = emulator?.description ?? (process.env[TEST_MOTO_ENV] as string);
      expect(description).toMatch(/^moto server \d+\.\d+\.\d+ on http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)$/);
      expect(description).toContain(` on ${endpoint} `);
      expect((await fetch(`${endpoint}/moto-api/`)).ok).toBe(true);
      const pid = Number(/\(pid (\d+)\)/.exec(description)?.[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
      expect(command.slice(-4)).toEqual(['-H', '127.0.0.1', '-p', new URL(endpoint).port]);
      expect(command[1]).toBe('-c');
    }, 60_000);

    // What stop() does is spawnMoto's whatever the server: a stand-in answering moto's health path, not a second moto.
    it('answers until stop() ends the process', async () => {
      const moto = await spawnMoto('python3', STAND_IN_SERVER);
      expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${moto.endpoint}/moto-api/`)).ok).toBe(true);
      await moto.stop();
      expect(() => process.kill(moto.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
    }, 60_000);

    // A 10,000-photo library took longer to load than moto's 30 s to start on a busy machine, and the runner gave up.
    it('waits past the start timeout while moto says it loads the data folder, and no longer for a silent one', async () => {
      // 5 s to start, so a busy machine's Python says it is loading in time; a load twice as long.
      const said: string[] = [];
      const loaded = await spawnMoto('python3', loadingFirst(10), 3000, {
        startTimeoutMs: 5000,
        log: (line) => said.push(line),
      });
      expect((await fetch(`${loaded.endpoint}/moto-api/`)).ok).toBe(true);
      await loaded.stop();
      expect(said).toEqual([
        'image-intel data folder: loading /library (230.0 MB)',
        'image-intel data folder: loaded /library in 3.00 s',
      ]);
      await expect(spawnMoto('python3', loadingFirst(10, false), 3000, { startTimeoutMs: 5000 })).rejects.toThrow(
        /did not start: no answer from http:\/\/127\.0\.0\.1:\d+ within 5000 ms/,
      );
    }, 60_000);

    it("answers a Query from the key's own partition as DynamoDB does: in order, reversed, paged, and no other key's", async () => {
      // The run's moto was started by startEmulator too (test/support/shared-moto.ts), with the same launcher.
      const { raw, client } = dynamo();
      const TableName = `partitions-${randomUUID().slice(0, 8)}`;
      await createTable(raw, TableName, 'sk');
      for (const pk of ['a', 'b', 'c']) {
        for (const sk of ['3', '1', '4', '2']) {
          await client.send(new PutCommand({ TableName, Item: { pk, sk, value: `${pk}${sk}` } }));
        }
      }
      const query = (pk: string, start?: Record<string, unknown>) =>
        client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ScanIndexForward: false,
            Limit: 3,
            ExclusiveStartKey: start,
          }),
        );
      const first = await query('b');
      expect(first.Items?.map((item) => item.value)).toEqual(['b4', 'b3', 'b2']);
      const second = await query('b', first.LastEvaluatedKey);
      expect(second.Items?.map((item) => item.value)).toEqual(['b1']);
      expect((await query('none')).Items).toEqual([]);
      raw.destroy();
    }, 60_000);

    it('cancels a transaction as DynamoDB does: none of its writes stays, in either kind of table; a passing one keeps all', async () => {
      const { raw, client } = dynamo();
      const suffix = randomUUID().slice(0, 8);
      const ranged = `transactions-ranged-${suffix}`;
      const plain = `transactions-plain-${suffix}`;
      await createTable(raw, ranged, 'sk');
      await createTable(raw, plain);
      await client.send(new PutCommand({ TableName: ranged, Item: { pk: 'a', sk: '1', n: 1 } }));
      await client.send(new PutCommand({ TableName: ranged, Item: { pk: 'a', sk: '2', n: 2 } }));
      await client.send(new PutCommand({ TableName: plain, Item: { pk: 'x', n: 1 } }));
      const everything = async () => ({
        ranged: (await client.send(new ScanCommand({ TableName: ranged }))).Items?.sort((a, b) =>
          `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`),
        ),
        plain: (await client.send(new ScanCommand({ TableName: plain }))).Items?.sort((a, b) =>
          a.pk.localeCompare(b.pk),
        ),
      });
      const before = await everything();
      const writes = (condition: string) => [
        { Put: { TableName: ranged, Item: { pk: 'b', sk: '1', n: 9 } } },
        {
          Update: {
            TableName: ranged,
            Key: { pk: 'a', sk: '1' },
            UpdateExpression: 'SET n = :n',
            ExpressionAttributeValues: { ':n': 9 },
          },
        },
        { Delete: { TableName: ranged, Key: { pk: 'a', sk: '2' } } },
        { Put: { TableName: plain, Item: { pk: 'y', n: 9 } } },
        {
          Update: {
            TableName: plain,
            Key: { pk: 'x' },
            UpdateExpression: 'SET n = :n',
            ConditionExpression: condition,
            ExpressionAttributeValues: { ':n': 9, ':one': 1 },
          },
        },
      ];
      // The last write's condition fails after the first four were made: all five are undone.
      await expect(client.send(new TransactWriteCommand({ TransactItems: writes('n <> :one') }))).rejects.toMatchObject(
        { name: 'TransactionCanceledException' },
      );
      expect(await everything()).toEqual(before);
      await client.send(new TransactWriteCommand({ TransactItems: writes('n = :one') }));
      expect(await everything()).toEqual({
        ranged: [
          { pk: 'a', sk: '1', n: 9 },
          { pk: 'b', sk: '1', n: 9 },
        ],
        plain: [
          { pk: 'x', n: 9 },
          { pk: 'y', n: 9 },
        ],
      });
      raw.destroy();
    }, 60_000);

    it('counts every concurrent ADD, to one item and across two tables, transactions holding both tables at once', async () => {
      const { raw, client } = dynamo();
      const suffix = randomUUID().slice(0, 8);
      const tables = [`counts-a-${suffix}`, `counts-b-${suffix}`];
      for (const TableName of tables) {
        await createTable(raw, TableName);
      }
      const add = (TableName: string, pk: string) => ({
        TableName,
        Key: { pk },
        UpdateExpression: 'ADD n :one',
        ExpressionAttributeValues: { ':one': 1 },
      });
      const ROUNDS = 30;
      await Promise.all(
        Array.from({ length: ROUNDS }, (_, i) => [
          ...tables.map((table) => client.send(new UpdateCommand(add(table, 'single')))),
          // Half name the tables in one order, half in the other: neither waits on the other for ever.
          client.send(
            new TransactWriteCommand({
              TransactItems: (i % 2 ? tables : [...tables].reverse()).map((table) => ({ Update: add(table, 'both') })),
            }),
          ),
        ]).flat(),
      );
      const count = async (TableName: string, pk: string) =>
        (await client.send(new GetCommand({ TableName, Key: { pk }, ConsistentRead: true }))).Item?.n;
      expect(await Promise.all(tables.flatMap((table) => [count(table, 'single'), count(table, 'both')]))).toEqual([
        ROUNDS,
        ROUNDS,
        ROUNDS,
        ROUNDS,
      ]);
      raw.destroy();
    }, 60_000);

    it('never shows a read half of an update: every attribute one UpdateItem sets, or none, in GetItem and Query', async () => {
      const { raw, client } = dynamo();
      const TableName = `whole-${randomUUID().slice(0, 8)}`;
      await createTable(raw, TableName, 'sk');
      // As the processor's final write: one UpdateItem setting many attributes, read meanwhile.
      const names = Array.from({ length: 40 }, (_, i) => `a${i}`);
      const key = { pk: 'image', sk: 'record' };
      const update = (n: number) =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: key,
            UpdateExpression: `SET ${names.map((name) => `${name} = :n`).join(', ')}`,
            ExpressionAttributeValues: { ':n': n },
          }),
        );
      await update(0);
      const torn: unknown[] = [];
      const check = (item: Record<string, unknown> | undefined) => {
        const values = new Set(names.map((name) => item?.[name]));
        if (values.size !== 1) torn.push(item);
      };
      const reads = async () => {
        for (let i = 0; i < 25; i += 1) {
          check((await client.send(new GetCommand({ TableName, Key: key }))).Item);
          const page = await client.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': 'image' },
            }),
          );
          check(page.Items?.[0]);
        }
      };
      const writes = async () => {
        for (let n = 1; n <= 50; n += 1) await update(n);
      };
      await Promise.all([writes(), writes(), reads(), reads(), reads()]);
      expect(torn).toEqual([]);
      raw.destroy();
    }, 60_000);

    it('keeps the connection open between calls, after a body moto left unread and a large upload', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const CREDENTIALS =
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
      const bucket = `keep-alive-${randomUUID().slice(0, 8)}`;
      const call = (method: string, pathname: string, body?: Buffer) =>
        new Promise<{ status: number; body: Buffer; reused: boolean; connection?: string }>((resolve, reject) => {
          const request = http.request(`${testEndpoint()}${pathname}`, {
            method,
            agent,
            // moto checks no signature, but answers a call with no credentials as an anonymous one.
            headers: { 'content-length': String(body?.length ?? 0), authorization: CREDENTIALS },
          });
          request.on('error', reject);
          request.on('response', (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                body: Buffer.concat(chunks),
                reused: request.reusedSocket,
                connection: response.headers.connection,
              }),
            );
          });
          request.end(body);
        });
      try {
        expect(await call('PUT', `/${bucket}`)).toMatchObject({ status: 200, reused: false });
        // A GET with a body moto never reads: the next request on the socket must still parse.
        expect(await call('GET', `/${bucket}?location`, Buffer.from('ignored '.repeat(1000)))).toMatchObject({
          status: 200,
          reused: true,
        });
        const large = randomBytes(3 * 1024 * 1024);
        expect(await call('PUT', `/${bucket}/large.bin`, large)).toMatchObject({ status: 200, reused: true });
        const read = await call('GET', `/${bucket}/large.bin`);
        expect(read).toMatchObject({ status: 200, reused: true });
        expect(read.body.equals(large)).toBe(true);
        // Asked to close, it closes: the next call opens a new connection.
        const closing = await new Promise<string | undefined>((resolve, reject) => {
          const request = http.request(`${testEndpoint()}/${bucket}/large.bin`, {
            method: 'HEAD',
            agent,
            headers: { connection: 'close', authorization: CREDENTIALS },
          });
          request.on('error', reject);
          request.on('response', (response) => {
            response.resume();
            response.on('end', () => resolve(response.headers.connection));
          });
          request.end();
        });
        expect(closing).toBe('close');
        expect(await call('DELETE', `/${bucket}/large.bin`)).toMatchObject({ status: 204, reused: false });
        expect(await call('DELETE', `/${bucket}`)).toMatchObject({ status: 204, reused: true });
      } finally {
        agent.destroy();
      }
    }, 60_000);

    it('refuses a page of another origin, the request or its preflight, and serves loopback pages and the SDKs', async () => {
      const sqs = new SQSClient(ON_MOTO);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `origin-${randomUUID().slice(0, 8)}` }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept' }));
      // What a page can send anywhere without a preflight: a form POST. And the preflight of a DynamoDB Scan.
      const purge = (origin: string) =>
        fetch(QueueUrl as string, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ Action: 'PurgeQueue', QueueUrl: QueueUrl as string }).toString(),
        });
      const preflight = (origin: string) =>
        fetch(testEndpoint(), {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'x-amz-target,content-type',
          },
        });
      const refused = await preflight('https://evil.example');
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example:3000']) {
        const posted = await purge(origin);
        expect({ origin, status: posted.status }).toEqual({ origin, status: 403 });
        expect(await posted.json()).toEqual({
          message: `Origin ${JSON.stringify(origin)}: the local emulator answers only pages of loopback origins (a page elsewhere cannot drive or read it)`,
        });
      }
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      expect(Attributes?.ApproximateNumberOfMessages).toBe('1');
      // The runner's web app (posting uploads straight to S3) is on a loopback origin.
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:41234', 'http://app.localhost:5173']) {
        const allowed = await preflight(origin);
        expect({ origin, status: allowed.status }).toEqual({ origin, status: 200 });
        expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
      }
    });

    it('answers GetQueueAttributes and ReceiveMessage as SQS does: the names asked for, All, counts, an unknown name refused', async () => {
      // The launcher works a queue's attributes out once a request (moto did it three times a name asked for).
      const sqs = new SQSClient(ON_MOTO);
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({
          QueueName: `attributes-${randomUUID().slice(0, 8)}`,
          Attributes: { MessageRetentionPeriod: '120' },
        }),
      );
      for (const body of ['one', 'two', 'three'])
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
      expect(Messages.map((message) => message.Body).sort()).toEqual(['one', 'two']);
      // Visible again at once: counted as visible, not in flight.
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl,
          ReceiptHandle: Messages[1]?.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      const counts = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'Policy'],
        }),
      );
      expect(counts.Attributes).toEqual({
        ApproximateNumberOfMessages: '2',
        ApproximateNumberOfMessagesNotVisible: '1',
      });
      const all = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
      expect(all.Attributes).toMatchObject({ MessageRetentionPeriod: '120', ApproximateNumberOfMessages: '2' });
      expect(Object.keys(all.Attributes ?? {})).toEqual(expect.arrayContaining(['QueueArn', 'VisibilityTimeout']));
      await expect(
        sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Colour' as 'All'] })),
      ).rejects.toThrow(/Colour/);
      sqs.destroy();
    }, 60_000);

    it('takes no message for a long poll whose client has gone, as a stopping runner leaves one', async () => {
      const sqs = new SQSClient(ON_MOTO);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `orphan-${randomUUID().slice(0, 8)}` }));
      const abort = new AbortController();
      const orphan = sqs
        .send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 }), { abortSignal: abort.signal })
        .catch((error: Error) => error.name);
      await new Promise((resolve) => setTimeout(resolve, 300));
      abort.abort();
      expect(await orphan).toBe('AbortError');
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'for the next receiver' }));
      // moto's orphaned poll took it (invisible for 30 s) before the launcher ended polls whose client had gone.
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      expect(Messages.map((message) => message.Body)).toEqual(['for the next receiver']);
      sqs.destroy();
    }, 60_000);
  });
});
