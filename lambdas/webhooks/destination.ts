import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/*
 * Where a webhook may be sent, and sending it (docs/webhooks.md#security). Two checks, so that no name can send a
 * request into the deployment's network:
 * - when an endpoint is created or its URL changed, every address its host resolves to is checked, and the URL is
 *   refused with the reason (a 400);
 * - at each attempt the address the connection is made to is checked again by request-filtering-agent, on the very
 *   lookup the socket connects with, so a name that resolves elsewhere since (DNS rebinding) is refused too.
 * Redirects are never followed: a 3xx is the attempt's outcome.
 */

/** What a deployment allows: public unicast addresses over https; the runner's also loopback, over http too. */
export interface DestinationPolicy {
  allowLoopback: boolean;
}

/** The loopback ranges the runner's policy lets through. */
const LOOPBACK_CIDRS = ['127.0.0.0/8', '::1/128'];

/** Why an address is not public, in the words of the refusal. */
const RANGE_REASONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address (such as the cloud metadata service, 169.254.169.254)',
  uniqueLocal: 'a private (unique local) address',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
};

/** Why this address may not be sent to, or undefined when it may. */
export function addressProblem(address: string, policy: DestinationPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  return `${address} is ${RANGE_REASONS[range] ?? `a non-public address (${range})`}`;
}

/** A name's addresses (all of them: the connection may use any). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address }) => address);

/**
 * Why this URL may not be an endpoint, or undefined. Checked: the scheme (https; http only to loopback with
 * `allowLoopback`), no credentials in it, and every address of its host.
 */
export async function urlProblem(
  text: string,
  policy: DestinationPolicy,
  resolve: Resolver = resolveAll,
): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `${url.protocol} URLs cannot receive webhooks`;
  if (url.username || url.password) return 'must not carry credentials (a receiver checks the signature instead)';
  if (url.hash) return 'must not have a fragment (#...)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : await resolve(host);
  } catch {
    return `${host} does not resolve`;
  }
  if (addresses.length === 0) return `${host} does not resolve`;
  for (const address of addresses) {
    const problem = addressProblem(address, policy);
    if (problem)
      return host === address ? problem : `${host} resolves to ${problem.replace(/^\S+ is /, `${address}, `)}`;
  }
  const loopback = addresses.every((address) => ipaddr.process(address).range() === 'loopback');
  if (url.protocol === 'http:' && !loopback) return 'must be https (http only to loopback on the local runner)';
  return undefined;
}

/** What one attempt came to. */
export interface PostOutcome {
  /** The HTTP status, when the endpoint answered. */
  statusCode?: number;
  ok: boolean;
  latencyMs: number;
  /** The start of the answer's body (at most EXCERPT_BYTES), for the log. */
  excerpt?: string;
  /** Why it failed, when it did: `HTTP 500`, `timed out after 10 s`, `redirect not followed (to ...)`, the refusal. */
  error?: string;
}

/** The bytes of an answer kept in the log. */
export const EXCERPT_BYTES = 512;

/** One agent per scheme and policy, kept warm across attempts (a checked socket stays checked). */
function agents(policy: DestinationPolicy) {
  const options = { keepAlive: true, allowIPAddressList: policy.allowLoopback ? LOOPBACK_CIDRS : [] };
  return { 'http:': new RequestFilteringHttpAgent(options), 'https:': new RequestFilteringHttpsAgent(options) };
}

/** Sends webhooks: POST, a timeout over the whole exchange, no redirect followed, the answer's start kept. */
export class WebhookSender {
  private readonly agents: ReturnType<typeof agents>;

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly timeoutMs: number,
  ) {
    this.agents = agents(policy);
  }

  async post(target: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(target);
    if (url.protocol === 'http:' && !this.policy.allowLoopback) {
      return { ok: false, latencyMs: 0, error: 'refused: http is allowed only to loopback on the local runner' };
    }
    const agent = this.agents[url.protocol as 'http:' | 'https:'];
    if (!agent) return { ok: false, latencyMs: 0, error: `refused: ${url.protocol} URL` };
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<PostOutcome>((resolve) => {
      const request = send(url, {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let settled = false;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
          kept += chunk.length;
          // The rest of a long answer is not read: the excerpt is all the log keeps.
          if (kept >= EXCERPT_BYTES) response.destroy();
        });
        const done = () => {
          if (settled) return;
          settled = true;
          const statusCode = response.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).toString('utf8') || undefined;
          const ok = statusCode >= 200 && statusCode < 300;
          const location = response.headers.location;
          const error = ok
            ? undefined
            : statusCode >= 300 && statusCode < 400
              ? `redirect not followed (HTTP ${statusCode}${location ? ` to ${location.slice(0, 200)}` : ''})`
              : `HTTP ${statusCode}`;
          resolve({ statusCode, ok, latencyMs: elapsed(), excerpt, error });
        };
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      });
      request.on('error', (error) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
        const reason = timedOut
          ? `timed out after ${this.timeoutMs / 1000} s`
          : /is not allowed/.test(error.message)
            ? `refused: ${url.hostname} resolved to a non-public address`
            : `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`.slice(0, 300);
        resolve({ ok: false, latencyMs: elapsed(), error: reason });
      });
      request.end(body);
    });
  }
}
