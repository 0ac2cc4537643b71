import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { FileCounter, FormHeadReader, formBoundary } from './s3-form';
import {
  type FormAllowance,
  type GatewayCredentials,
  gatewayCredentials,
  postPolicyProblem,
  querySignatureProblem,
  type S3Refusal,
  s3ErrorXml,
  sizeProblem,
} from './s3-signatures';

/**
 * With `--host` serving the network, the S3 URLs the runner hands out (the upload form, originals, thumbnails,
 * downloads) must be reachable from another machine, and the emulator listens on loopback and checks no signature.
 * So they name the runner's own address under `/s3/`, on the API's port: one port to reach (and open in a
 * firewall), the web app's uploads same-origin, the Host check already in front. The gateway forwards to the
 * emulator only what the runner's presigned URLs and forms allow (s3-signatures.ts), streaming the bodies both ways;
 * the functions' own S3 calls still go straight to the emulator.
 */
export const GATEWAY_PATH = '/s3';

export interface S3Gateway {
  /** `http://<address>:<port>/s3`: the endpoint presigned URLs name. */
  url: string;
  /** Answers a request under `/s3/` (true), or leaves it to the next listener (false). */
  handle(request: IncomingMessage, response: ServerResponse): boolean;
  /** Stop presigning through the gateway (the runner's stop). */
  stop(): void;
}

/**
 * Open the gateway at `apiUrl` in front of `emulator`, and have every presigned URL and form of this process's
 * functions name it, signed with credentials made for this start.
 */
export function startS3Gateway(apiUrl: string, emulator: string, region: string): S3Gateway {
  const credentials = gatewayCredentials();
  const url = `${apiUrl}${GATEWAY_PATH}`;
  const stop = presignThrough(new S3Client({ endpoint: url, forcePathStyle: true, region, credentials }));
  const target = new URL(emulator);
  const agent = new Agent({ keepAlive: true });
  return {
    url,
    stop: () => {
      stop();
      agent.destroy();
    },
    handle: (request, response) => {
      const path = request.url ?? '/';
      if (path !== GATEWAY_PATH && !path.startsWith(`${GATEWAY_PATH}/`) && !path.startsWith(`${GATEWAY_PATH}?`)) {
        return false;
      }
      serve(request, response, { credentials, target, agent }).catch((error: Error) =>
        refuse(request, response, { status: 403, code: 'AccessDenied', message: error.message }),
      );
      return true;
    },
  };
}

/**
 * The handlers call `getSignedUrl` and `createPresignedPost` with their own client, whose endpoint is the emulator:
 * the runner has them sign with `client` instead (the gateway's endpoint and credentials). The deployed functions are
 * unchanged; this runs in the runner's process only, as aws-calls.ts records calls there.
 */
function presignThrough(client: S3Client): () => void {
  const presigner = require('@aws-sdk/s3-request-presigner') as { getSignedUrl: (...args: unknown[]) => unknown };
  const post = require('@aws-sdk/s3-presigned-post') as { createPresignedPost: (...args: unknown[]) => unknown };
  const { getSignedUrl } = presigner;
  const { createPresignedPost } = post;
  const signedUrl = (_client: unknown, ...rest: unknown[]) => getSignedUrl(client, ...rest);
  const presignedPost = (_client: unknown, ...rest: unknown[]) => createPresignedPost(client, ...rest);
  presigner.getSignedUrl = signedUrl;
  post.createPresignedPost = presignedPost;
  // Undone only if nothing wrapped them since (aws-calls.ts records through its own wrapper).
  return () => {
    if (presigner.getSignedUrl === signedUrl) presigner.getSignedUrl = getSignedUrl;
    if (post.createPresignedPost === presignedPost) post.createPresignedPost = createPresignedPost;
  };
}

interface Upstream {
  credentials: GatewayCredentials;
  target: URL;
  agent: Agent;
}

async function serve(request: IncomingMessage, response: ServerResponse, upstream: Upstream): Promise<void> {
  const raw = request.url ?? '/';
  const at = raw.indexOf('?');
  const [path, query] = at < 0 ? [raw, ''] : [raw.slice(0, at), raw.slice(at + 1)];
  const method = request.method ?? 'GET';
  if (method === 'POST') return servePost(request, response, upstream, path);
  const problem = await querySignatureProblem(
    { method, path, query, headers: request.headers },
    upstream.credentials,
    new Date(),
  );
  if (problem) return refuse(request, response, problem);
  const forwarded = forward(request, response, upstream, raw);
  request.pipe(forwarded);
}

/**
 * A presigned POST: its fields read first and its policy checked before the emulator sees a byte; then the body
 * streamed on, its file counted, and its last chunk held back until the file's size is known to be allowed, so a
 * refused upload never completes there (the emulator drops a body cut short).
 */
function servePost(request: IncomingMessage, response: ServerResponse, upstream: Upstream, path: string): void {
  const boundary = formBoundary(request.headers['content-type']);
  const bucket = decodeURIComponent(path.slice(GATEWAY_PATH.length + 1).split('/')[0] ?? '');
  if (!boundary || !bucket || path.slice(GATEWAY_PATH.length + 1).includes('/')) {
    refuse(request, response, {
      status: 403,
      code: 'AccessDenied',
      message: "a POST to the runner's S3 gateway must be a presigned form (multipart/form-data) to /s3/<bucket>",
    });
    return;
  }
  const reader = new FormHeadReader(boundary);
  const counter = new FileCounter(boundary);
  let state: 'head' | 'checking' | 'body' | 'done' = 'head';
  let allowance: FormAllowance = {};
  let pending: Buffer[] = [];
  let held: Buffer | undefined;
  let sent: ReturnType<typeof forward> | undefined;
  let ended = false;
  const fail = (refusal: S3Refusal) => {
    if (state === 'done') return;
    state = 'done';
    sent?.destroy();
    refuse(request, response, refusal);
  };
  const tooLarge = () => sizeProblem(counter.atLeast, { lengthRange: [0, allowance.lengthRange?.[1] ?? Infinity] });
  const finish = () => {
    if (state !== 'body' || !ended || !sent) return;
    if (counter.size === undefined)
      return fail({ status: 400, code: 'MalformedPOSTRequest', message: "the form's file part has no end" });
    const problem = sizeProblem(counter.size, allowance);
    if (problem) return fail(problem);
    state = 'done';
    sent.end(held);
  };
  const send = (chunk: Buffer) => {
    if (held && sent && !sent.write(held)) {
      request.pause();
      sent.once('drain', () => request.resume());
    }
    held = chunk;
  };
  request.on('data', (chunk: Buffer) => {
    if (state === 'done') return;
    if (state === 'checking') {
      pending.push(chunk);
      return;
    }
    if (state === 'body') {
      counter.push(chunk);
      const large = tooLarge();
      if (large) return fail(large);
      return send(chunk);
    }
    pending.push(chunk);
    let head: ReturnType<FormHeadReader['push']>;
    try {
      head = reader.push(chunk);
    } catch (error) {
      // A FormError; anything else thrown here would take the runner down with it.
      return fail({ status: 400, code: 'MalformedPOSTRequest', message: (error as Error).message });
    }
    if (!head) return;
    state = 'checking';
    const counted = pending.length;
    counter.push(head.bytes.subarray(head.fileStart));
    postPolicyProblem(head.fields, bucket, upstream.credentials, new Date()).then(
      (checked) => {
        if (state === 'done') return;
        if ('refusal' in checked) return fail(checked.refusal);
        allowance = checked;
        // The head's chunks are counted already; those that came while the policy was checked are not.
        for (const chunk of pending.slice(counted)) counter.push(chunk);
        const large = tooLarge();
        if (large) return fail(large);
        state = 'body';
        sent = forward(request, response, upstream, request.url ?? '/');
        for (const chunk of pending) send(chunk);
        pending = [];
        finish();
      },
      (error: Error) => fail({ status: 403, code: 'AccessDenied', message: error.message }),
    );
  });
  request.on('end', () => {
    ended = true;
    if (state === 'head')
      return fail({ status: 400, code: 'MalformedPOSTRequest', message: 'the form has no file part' });
    finish();
  });
}

/** A request to the emulator for this one, its answer streamed back; the caller writes (or pipes) the body. */
function forward(request: IncomingMessage, response: ServerResponse, upstream: Upstream, raw: string) {
  // The emulator answers loopback names only, and pages of loopback origins only: the runner has checked both.
  const { host: _host, origin: _origin, connection: _connection, ...headers } = request.headers;
  const sent = httpRequest({
    protocol: upstream.target.protocol,
    hostname: upstream.target.hostname,
    port: upstream.target.port,
    method: request.method,
    path: `/${raw.slice(GATEWAY_PATH.length).replace(/^\//, '')}`,
    headers: { ...headers, host: upstream.target.host },
    agent: upstream.agent,
  });
  sent.on('response', (answer) => {
    const { connection: _c, 'keep-alive': _k, ...answered } = answer.headers;
    response.writeHead(answer.statusCode ?? 502, answered);
    // A client that goes away mid-download ends the emulator's answer too, freeing its connection.
    pipeline(answer, response, () => undefined);
  });
  sent.on('error', () => {
    // A refused upload's request is destroyed on purpose, after the refusal was answered.
    if (response.writableEnded) return;
    if (!response.headersSent) {
      refuse(request, response, { status: 503, code: 'ServiceUnavailable', message: 'the emulator did not answer' });
    } else response.destroy();
  });
  return sent;
}

function refuse(request: IncomingMessage, response: ServerResponse, refusal: S3Refusal): void {
  if (response.headersSent) return void response.destroy();
  const body = s3ErrorXml(refusal);
  response.writeHead(refusal.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
  // What is left of a refused body is read and dropped, so the client reads the answer rather than a reset.
  request.resume();
}
