import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../../lambdas/shared/seeded-random';

/** Which AWS API a request is for, read from the wire as the emulator itself would. */
export type AwsService = 's3' | 'dynamodb' | 'sqs' | 'events' | 'secretsmanager' | 'states';
/** The services the pipeline calls per image; Secrets Manager (the rendition signing keys) only at start and on reads. */
export const SERVICES: readonly AwsService[] = ['s3', 'dynamodb', 'sqs', 'events'];
/** Also Step Functions (the runner's backfill batches, in the emulator), which would otherwise pass for S3. */
const ALL_SERVICES: readonly AwsService[] = [...SERVICES, 'secretsmanager', 'states'];

export type ServiceCounts = Record<AwsService, number>;

/** What the proxy knows of a call when it decides whether to refuse it. */
export interface ProxiedCall {
  service: AwsService;
  /** `x-amz-target`'s operation for JSON protocols (`UpdateItem`), the HTTP method for S3. */
  operation: string;
  /** The request body for JSON protocols; empty for S3, whose bodies are streamed unread. */
  body: string;
}

export interface FaultProxyOptions {
  /** The emulator to forward to, e.g. moto's `http://127.0.0.1:5000`. */
  target: string;
  /** Share of calls answered with an error instead of being forwarded, 0..1. Default 0; can be changed later. */
  faultRate?: number;
  /**
   * Calls never refused, whatever the fault rate (the call's service, operation such as `UpdateItem`, and its body
   * for JSON protocols). Default: none.
   */
  spare?: (call: ProxiedCall) => boolean;
  /**
   * Seed of the fault dice. Default: random. It fixes the sequence of throws, not which call meets which throw:
   * the order of calls varies from run to run.
   */
  seed?: number;
  /**
   * Told of every call forwarded, once its answer has been sent back (or the connection closed): to count and time
   * calls per API, as `bench/capacity/main.ts` does. Default: none.
   */
  observe?: (call: ObservedCall) => void;
}

/** A forwarded call, as `observe` is told of it. */
export interface ObservedCall {
  service: AwsService;
  /** The API's name: `x-amz-target`'s operation for JSON protocols, for S3 read from the request (`s3Api`). */
  api: string;
  method: string;
  /** The request path and query. */
  path: string;
  /** The request body for JSON protocols; empty for S3. */
  body: string;
  /** The emulator's status code (0 when the connection closed before an answer). */
  status: number;
  /** Epoch ms, fractional: when the proxy had the whole call, and when its answer was sent. */
  startedAt: number;
  endedAt: number;
}

/** JSON-protocol services: the `x-amz-target` prefix and the namespace of their error `__type`. */
const JSON_TARGETS: { prefix: string; service: AwsService; namespace: string }[] = [
  { prefix: 'DynamoDB_20120810.', service: 'dynamodb', namespace: 'com.amazonaws.dynamodb.v20120810' },
  { prefix: 'AmazonSQS.', service: 'sqs', namespace: 'com.amazonaws.sqs' },
  { prefix: 'AWSEvents.', service: 'events', namespace: 'com.amazonaws.events' },
  { prefix: 'secretsmanager.', service: 'secretsmanager', namespace: 'com.amazonaws.secretsmanager' },
  { prefix: 'AWSStepFunctions.', service: 'states', namespace: 'com.amazonaws.swf.service.model' },
];

/** Hop-by-hop headers, which belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'expect']);

/**
 * A fault-injecting HTTP proxy for an AWS emulator: what a throttled or failing AWS looks like to the SDK.
 *
 * - Each call is forwarded as it is (method, path, headers, streamed body and response), except a share of them,
 *   answered instead with the error AWS gives in that service's protocol: S3 (REST XML) `SlowDown` 503 or
 *   `InternalError` 500; DynamoDB, SQS and EventBridge (JSON) 400 `ThrottlingException` or 500/503. A refused
 *   call never reaches the emulator, as with AWS throttling: it changed nothing and is safe to retry.
 * - Browser-style presigned POST uploads (multipart/form-data) are never refused: they are the test's client,
 *   not the pipeline under test.
 * - `down()` closes the listener and drops every open connection, so calls fail with ECONNRESET/ECONNREFUSED as
 *   if the emulator had stopped; `up()` listens again on the same port. This plays an emulator restart without
 *   losing the emulator's state: moto keeps everything in memory, so really restarting it would start empty,
 *   which is not what restarting AWS (or LocalStack with persistence) means.
 * - The SDK marks its retries (`amz-sdk-request: attempt=2; max=3`), so the proxy also counts, per service, the
 *   retries it saw: how many of its faults the SDK absorbed by itself.
 */
export class FaultProxy {
  /** Share of calls refused, 0..1; change it at any time. */
  faultRate: number;
  /** Faults injected, per service. */
  readonly injected: ServiceCounts = zero();
  /** Calls forwarded to the emulator, per service. */
  readonly forwarded: ServiceCounts = zero();
  /** Calls that were an SDK retry of an earlier attempt, per service. */
  readonly retries: ServiceCounts = zero();
  /** Calls `spare` kept from faults, per service. */
  readonly spared: ServiceCounts = zero();
  /** Calls forwarded to the emulator, per `service.api` (`dynamodb.UpdateItem`, `s3.PutObject`). */
  readonly operations: Record<string, number> = {};
  /** Multipart uploads passed through without faults. */
  exempt = 0;
  /** Connections dropped by `down()`. */
  dropped = 0;
  /** The calls forwarded but not yet answered when `down()` last dropped them (`events.PutEvents`...). */
  cutOff: string[] = [];

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly onTheWire = new Map<string, ProxiedCall>();
  private readonly agent = new Agent({ keepAlive: true });
  private random: () => number;
  private spare: FaultProxyOptions['spare'];
  private readonly observe: FaultProxyOptions['observe'];
  private readonly target: URL;
  private port = 0;

  private constructor(options: FaultProxyOptions) {
    this.target = new URL(options.target);
    this.faultRate = options.faultRate ?? 0;
    this.spare = options.spare;
    this.observe = options.observe;
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.server = createServer((request, response) => this.handle(request, response));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await proxy.listen(0);
    return proxy;
  }

  /**
   * Start another run of faults on the same proxy (a file with one runner behind it, whose tests each want faults of
   * their own): the share of calls refused, the dice's seed (default random), what is spared (default nothing), and
   * the per-service counts of faults injected, retries seen and calls spared from zero.
   */
  faults(options: { rate: number; seed?: number; spare?: FaultProxyOptions['spare'] }): void {
    this.faultRate = options.rate;
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.spare = options.spare;
    for (const counts of [this.injected, this.retries, this.spared]) Object.assign(counts, zero());
  }

  /**
   * How many forwarded calls `match` names are on the wire (sent on, not yet answered): a long poll forwarded before
   * a fault was set can still take a message, so a test that refuses receives waits for this to be 0.
   */
  onWire(match: (call: ProxiedCall) => boolean): number {
    return [...this.onTheWire.values()].filter(match).length;
  }

  /** The endpoint to give the runner (AWS_ENDPOINT_URL). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server.listening;
  }

  /** Stop accepting connections and drop the open ones, calls in flight included. */
  async down(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.cutOff = [...this.onTheWire.keys()].map((call) => call.split(' ')[0] as string).sort();
    for (const socket of this.sockets) {
      socket.destroy();
      this.dropped += 1;
    }
    await closed;
  }

  /** Accept connections again, on the same port the runner was given. */
  async up(): Promise<void> {
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    if (this.isUp) await this.down();
    this.agent.destroy();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const target = header(request.headers, 'x-amz-target');
    const json = JSON_TARGETS.find((t) => target?.startsWith(t.prefix));
    if (!json) {
      this.decide(request, response, { service: 's3', operation: request.method ?? '', body: '' });
      return;
    }
    // JSON-protocol bodies are small: read them whole, so `spare` can look at them.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      const body = Buffer.concat(chunks);
      const operation = target?.slice(json.prefix.length) ?? '';
      this.decide(request, response, { service: json.service, operation, body: body.toString('utf8') }, body, json);
    });
  }

  private decide(
    request: IncomingMessage,
    response: ServerResponse,
    call: ProxiedCall,
    body?: Buffer,
    json?: { namespace: string },
  ): void {
    const attempt = Number(/attempt=(\d+)/.exec(header(request.headers, 'amz-sdk-request') ?? '')?.[1] ?? 1);
    if (attempt > 1) this.retries[call.service] += 1;
    if (this.mayFail(request, call) && this.random() < this.faultRate) {
      this.injected[call.service] += 1;
      if (body) this.refuse(request, response, json?.namespace);
      else {
        // Read the body first, as a server does, so the client's keep-alive connection stays usable.
        request.resume();
        request.once('end', () => this.refuse(request, response, json?.namespace));
      }
      return;
    }
    this.forwarded[call.service] += 1;
    const api = call.service === 's3' ? s3Api(request) : call.operation;
    this.operations[`${call.service}.${api}`] = (this.operations[`${call.service}.${api}`] ?? 0) + 1;
    const wire = `${call.service}.${call.operation} ${this.forwarded[call.service]}`;
    this.onTheWire.set(wire, call);
    const startedAt = performance.timeOrigin + performance.now();
    response.once('close', () => {
      this.onTheWire.delete(wire);
      this.observe?.({
        service: call.service,
        api,
        method: request.method ?? '',
        path: request.url ?? '',
        body: call.body,
        status: response.headersSent ? response.statusCode : 0,
        startedAt,
        endedAt: performance.timeOrigin + performance.now(),
      });
    });
    this.pass(request, response, body);
  }

  /** Everything may fail but the test's own uploads, moto's management API and what `spare` keeps. */
  private mayFail(request: IncomingMessage, call: ProxiedCall): boolean {
    if (request.url?.startsWith('/moto-api')) return false;
    const contentType = header(request.headers, 'content-type') ?? '';
    if (request.method === 'POST' && /^multipart\/form-data/i.test(contentType)) {
      this.exempt += 1;
      return false;
    }
    if (this.spare?.(call)) {
      this.spared[call.service] += 1;
      return false;
    }
    return true;
  }

  /** Forward the call, streaming its body (or sending the one already read) and streaming the answer back. */
  private pass(request: IncomingMessage, response: ServerResponse, body?: Buffer): void {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
    );
    const upstream = forward(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: request.method,
        path: request.url,
        headers,
        agent: this.agent,
      },
      (answer) => {
        const back = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
        );
        response.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`fault proxy: ${error.message}`);
    });
    if (body) {
      upstream.end(body);
      return;
    }
    // A client that goes away before its body is sent takes the call with it. One that goes away later (a socket
    // dropped by down()) does not: the emulator still applies the call, as AWS may apply a call whose answer was
    // lost.
    request.on('error', () => upstream.destroy());
    request.pipe(upstream);
  }

  /** An error in the shape the service uses, half of them throttling and half server errors. */
  private refuse(request: IncomingMessage, response: ServerResponse, namespace: string | undefined): void {
    const requestId = randomUUID();
    const throttle = this.random() < 0.5;
    if (namespace === undefined) {
      const [status, code, message] = throttle
        ? [503, 'SlowDown', 'Please reduce your request rate.']
        : [500, 'InternalError', 'We encountered an internal error. Please try again.'];
      const body =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`;
      response.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    const [status, type, message] = throttle
      ? [400, 'ThrottlingException', 'Rate exceeded']
      : this.random() < 0.5
        ? [500, 'InternalServerError', 'Internal server error']
        : [503, 'ServiceUnavailable', 'Service unavailable'];
    response.writeHead(status, {
      'content-type': header(request.headers, 'content-type') ?? 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
    });
    response.end(JSON.stringify({ __type: `${namespace}#${type}`, message }));
  }
}

/**
 * The S3 API a request calls, from its method, path and query (path-style addressing, as the runner uses):
 * `PostObject` (a browser-style presigned POST), `PutObject`, `CopyObject`, `GetObject`, `HeadObject`,
 * `DeleteObject`, `ListObjects`, `CreateBucket`, `DeleteObjects`; other bucket calls as `PUT ?notification`.
 */
export function s3Api(request: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): string {
  const method = request.method ?? '';
  const [pathname = '', query = ''] = (request.url ?? '').split('?');
  const segments = pathname.split('/').filter(Boolean);
  const subresource = [...new URLSearchParams(query).keys()].find(
    (name) => !name.toLowerCase().startsWith('x-') && name !== 'list-type',
  );
  if (method === 'POST' && /^multipart\/form-data/i.test(header(request.headers, 'content-type') ?? '')) {
    return 'PostObject';
  }
  if (segments.length === 0) return method === 'GET' ? 'ListBuckets' : method;
  if (segments.length > 1 && !subresource) {
    if (method === 'PUT') return header(request.headers, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject';
    const objectApis: Record<string, string> = { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' };
    return objectApis[method] ?? `${method} object`;
  }
  if (segments.length === 1 && !subresource) {
    const bucketApis: Record<string, string> = { GET: 'ListObjects', PUT: 'CreateBucket', HEAD: 'HeadBucket' };
    return bucketApis[method] ?? `${method} bucket`;
  }
  if (method === 'POST' && subresource === 'delete') return 'DeleteObjects';
  return `${method} ?${subresource}`;
}

function zero(): ServiceCounts {
  return Object.fromEntries(ALL_SERVICES.map((service) => [service, 0])) as ServiceCounts;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
