import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { WebhookEventType } from '../../webhooks/schemas';
import { ApiError, failureOf } from '../api-client';
import {
  clientOf,
  type EndpointWithSecret,
  exitOf,
  type Out,
  WEBHOOKS_EXIT,
  type WebhooksApi,
  type WebhooksFlags,
} from './webhooks';

/*
 * `image-intel webhooks listen`: a receiver on this machine that verifies each delivery as a subscriber would (the
 * `standardwebhooks` library) and prints it. Steps:
 * 1. listen on --host and --port (0: a free one, printed);
 * 2. without --secret, register a temporary endpoint for its URL through the API (the local runner allows loopback on its allowed ports)
 *    and verify with the secret it gets; with --secret, only receive;
 * 3. answer each POST 204 when a signature verifies, 401 when none does, and print it;
 * 4. on SIGINT or SIGTERM, delete the temporary endpoint (and say so) and stop.
 */

export interface ListenFlags extends Omit<WebhooksFlags, 'api'> {
  /** Needed without `secret`: where the temporary endpoint is registered. */
  api?: string;
  port: number;
  host: string;
  /** A `whsec_` secret: verify with it, register nothing. */
  secret?: string;
  /** The types to register for; with `secret`, the types to print (the others are still answered 204). */
  events?: WebhookEventType[];
}

const MAX_BODY_BYTES = 1024 * 1024;

/** What the receiver makes of one request: the status it answers, and a line for stdout or stderr. */
export interface Received {
  status: number;
  out?: string;
  err?: string;
}

/** The Standard Webhooks receiver, without its socket: one request's method, raw body and headers in, its answer out. */
export class Receiver {
  private readonly webhook: Webhook;
  /** How many times each `webhook-id` came: a retry or a replay comes again with the same one. */
  private readonly seen = new Map<string, number>();

  constructor(
    secret: string,
    private readonly options: { json?: boolean; events?: readonly string[]; now?: () => Date } = {},
  ) {
    this.webhook = new Webhook(secret);
  }

  receive(method: string | undefined, body: string, headers: IncomingHttpHeaders): Received {
    if (method !== 'POST') return { status: 405, err: `${method} refused: a webhook delivery is a POST` };
    const flat = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? (value[0] ?? '') : (value ?? '')]),
    );
    const webhookId = flat['webhook-id'] || '(no webhook-id)';
    let payload: { type?: string; timestamp?: string; data?: Record<string, unknown> };
    try {
      payload = this.webhook.verify(body, flat) as typeof payload;
    } catch (error) {
      const reason = error instanceof WebhookVerificationError ? error.message : String(error);
      return { status: 401, err: `401 ${webhookId}: refused, ${reason}` };
    }
    const times = (this.seen.get(webhookId) ?? 0) + 1;
    this.seen.set(webhookId, times);
    const { events } = this.options;
    if (events && events.length > 0 && !events.includes(String(payload.type))) return { status: 204 };
    if (this.options.json) return { status: 204, out: JSON.stringify(payload) };
    return { status: 204, out: eventLine(payload, webhookId, times, this.options.now?.() ?? new Date()) };
  }
}

/** `2026-01-02 03:04:05Z  Image Processed  image 01J...  msg_...`, and `(2nd time)` for a retry or replay. */
export function eventLine(
  payload: { type?: string; data?: Record<string, unknown> },
  webhookId: string,
  times: number,
  now: Date,
): string {
  const data = payload.data ?? {};
  const subject =
    typeof data.imageId === 'string'
      ? `image ${data.imageId}`
      : typeof data.endpointId === 'string'
        ? `endpoint ${data.endpointId}`
        : '';
  const again = times > 1 ? `  (${ordinal(times)} time: a retry or a replay)` : '';
  const time = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return [time, payload.type ?? '(no type)', subject, webhookId].filter(Boolean).join('  ') + again;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The URL an endpoint is registered with: a wildcard host is reached on loopback. */
export function receiverUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/`;
}

export interface ListenIo {
  out?: Out;
  err?: Out;
  client?: WebhooksApi;
  /** Resolves when the receiver should stop. Default: SIGINT or SIGTERM. */
  stop?: Promise<unknown>;
}

/** Runs the receiver until stopped; resolves to the exit code. */
export async function listenCommand(flags: ListenFlags, io: ListenIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  let receiver: Receiver | undefined = flags.secret ? new Receiver(flags.secret, flags) : undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const received =
        size > MAX_BODY_BYTES
          ? { status: 413, err: `413: a body of ${size} bytes refused` }
          : receiver
            ? receiver.receive(request.method, Buffer.concat(chunks).toString('utf8'), request.headers)
            : { status: 503, err: '503: not registered yet' };
      response.writeHead(received.status).end();
      if (received.out) out(received.out);
      if (received.err) err(received.err);
    });
  });
  const stopped = io.stop ?? stopSignal();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(flags.port, flags.host, resolve);
    });
  } catch (error) {
    err(`cannot listen on ${flags.host}:${flags.port}: ${(error as Error).message}`);
    return WEBHOOKS_EXIT.refused;
  }
  const url = receiverUrl(flags.host, (server.address() as AddressInfo).port);
  err(`listening on ${url}`);
  let endpointId: string | undefined;
  const client = io.client ?? (flags.api ? clientOf({ ...flags, api: flags.api }) : undefined);
  if (!receiver) {
    try {
      const created = (await client?.call('POST', '/webhooks', {
        url,
        description: 'image-intel webhooks listen (temporary)',
        eventTypes: flags.events ?? [],
      })) as EndpointWithSecret;
      endpointId = created.endpoint.endpointId;
      receiver = new Receiver(created.secret, { json: flags.json });
      const events = created.endpoint.eventTypes.length ? created.endpoint.eventTypes.join(', ') : 'every type';
      err(`registered the temporary endpoint ${endpointId} (${events}); it is deleted when this stops (Ctrl-C)`);
    } catch (error) {
      err(failureOf(error, flags.api ?? ''));
      if (error instanceof ApiError && error.status === 400) {
        err('a deployment takes https endpoints on public addresses only: there, give --secret and a tunnel instead');
      }
      await close(server);
      return exitOf(error);
    }
  } else {
    err(`verifying with the given secret: give ${url} as an endpoint's URL to receive its events here`);
  }
  await stopped;
  let code: number = WEBHOOKS_EXIT.ok;
  if (endpointId !== undefined && client) {
    try {
      await client.call('DELETE', `/webhooks/${encodeURIComponent(endpointId)}`);
      err(`deleted the temporary endpoint ${endpointId}`);
    } catch (error) {
      err(`the temporary endpoint ${endpointId} is left: ${failureOf(error, flags.api ?? '')}`);
      code = exitOf(error);
    }
  }
  await close(server);
  return code;
}

/** The first SIGINT or SIGTERM; the handlers are removed once it comes, so a second one ends the process. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
