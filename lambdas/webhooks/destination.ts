import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { formatPortRanges, type PortRange } from '../settings/webhooks';

/*
 * Where a webhook may be sent, and sending it (docs/webhooks.md#security). Two checks, so that no name can send a
 * request into the deployment's network:
 * - when an endpoint is created or its URL changed, every address its host resolves to is checked, and the URL is
 *   refused with the reason (a 400);
 * - at each attempt the address the connection is made to is checked again by request-filtering-agent, on the very
 *   lookup the socket connects with, so a name that resolves elsewhere since (DNS rebinding) is refused too.
 * Redirects are never followed: a 3xx is the attempt's outcome.
 * Loopback is allowed only on the ports `webhookLoopbackPorts` names (none in a deployment): on any port, a webhook to
 * the runner's emulator (`/moto-api/reset`) wiped every owner's data. An IPv6 address that carries an IPv4 one
 * (`::7f00:1`, `::ffff:127.0.0.1`, NAT64's `64:ff9b::7f00:1`, 6to4's `2002:7f00:1::`) is judged by that IPv4 address,
 * and is never a way to loopback.
 */

/** What a deployment allows: public unicast addresses over https; the runner's also loopback on some ports, over http too. */
export interface DestinationPolicy {
  /** The ports on which loopback addresses may be sent to (`webhookLoopbackPorts`); none: no loopback at all. */
  loopbackPorts: readonly PortRange[];
}

/** The loopback ranges allowed on an allowed port, written plainly (not as an IPv4-carrying IPv6 address). */
const LOOPBACK_CIDRS = ['127.0.0.0/8', '::1/128'];

/** The port a URL goes to: its own, or its scheme's. */
function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Whether loopback may be sent to on this port. */
export function loopbackAllowedOn(port: number, policy: DestinationPolicy): boolean {
  return policy.loopbackPorts.some(({ from, to }) => port >= from && port <= to);
}

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
  rfc6052: 'a NAT64 address',
  '6to4': 'a 6to4 address',
  teredo: 'a Teredo address',
};

/** IPv6 prefixes whose addresses carry an IPv4 address, and where (the 16-bit parts that hold it). */
const IPV4_CARRIERS: Array<{ cidr: [ipaddr.IPv6, number]; parts: [number, number] }> = [
  // IPv4-mapped (::ffff:a.b.c.d), SIIT's IPv4-translated (::ffff:0:a.b.c.d), NAT64 well-known and local-use prefixes.
  { cidr: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), parts: [6, 7] },
  { cidr: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), parts: [6, 7] },
  { cidr: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), parts: [6, 7] },
  { cidr: ipaddr.IPv6.parseCIDR('64:ff9b:1::/48'), parts: [6, 7] },
  // 6to4: 2002:AABB:CCDD::/48 is the site behind a.b.c.d.
  { cidr: ipaddr.IPv6.parseCIDR('2002::/16'), parts: [1, 2] },
  // IPv4-compatible (::a.b.c.d, deprecated), but :: and ::1 themselves.
  { cidr: ipaddr.IPv6.parseCIDR('::/96'), parts: [6, 7] },
];

/** The IPv4 address an IPv6 one carries, if it is of a prefix that carries one. */
function carriedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = address.range();
  if (range === 'unspecified' || range === 'loopback') return undefined;
  const carrier = IPV4_CARRIERS.find(({ cidr }) => address.match(cidr));
  if (!carrier) return undefined;
  const [high, low] = carrier.parts.map((index) => address.parts[index] as number) as [number, number];
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * Why this address may not be sent to, or undefined when it may. `loopback`: whether a loopback address may (the
 * URL's port is one `webhookLoopbackPorts` allows); only as itself, 127.0.0.0/8 or ::1, never carried in IPv6.
 */
export function addressProblem(address: string, loopback = false): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  const carried = parsed.kind() === 'ipv6' ? carriedIPv4(parsed as ipaddr.IPv6) : undefined;
  if (carried) {
    const range = carried.range();
    if (range !== 'unicast') {
      const reason = RANGE_REASONS[range] ?? `a non-public address (${range})`;
      return `${address} is an IPv6 address carrying ${carried}, ${reason}`;
    }
  }
  const range = parsed.range();
  // A public one too: request-filtering-agent refuses every such prefix but the deprecated IPv4-compatible one at
  // connect time, so the endpoint would only ever fail.
  if (carried) return `${address} is an IPv6 address carrying ${carried} (give ${carried} itself)`;
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && loopback) return undefined;
  return `${address} is ${RANGE_REASONS[range] ?? `a non-public address (${range})`}`;
}

/** A name's addresses (all of them: the connection may use any). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const resolveAll: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address }) => address);

/**
 * Why this URL may not be an endpoint, or undefined. Checked: the scheme (https; http only to loopback on an allowed
 * port), no credentials in it, and every address of its host (loopback only on a port `loopbackPorts` allows).
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
  const port = portOf(url);
  const loopback = loopbackAllowedOn(port, policy);
  for (const address of addresses) {
    const problem = addressProblem(address, loopback);
    if (!problem) continue;
    const reason = host === address ? problem : `${host} resolves to ${problem.replace(/^\S+ is /, `${address}, `)}`;
    const onLoopback = ipaddr.process(address).range() === 'loopback';
    return onLoopback ? `${reason}${loopbackPortsHint(port, policy)}` : reason;
  }
  const allLoopback = addresses.every((address) => ipaddr.process(address).range() === 'loopback');
  if (url.protocol === 'http:' && !allLoopback) return 'must be https (http only to loopback on the local runner)';
  return undefined;
}

/** Why loopback is refused on this port: which ports take it, if any. */
function loopbackPortsHint(port: number, policy: DestinationPolicy): string {
  if (policy.loopbackPorts.length === 0) return '';
  return ` (loopback only on ${portsText(policy.loopbackPorts)}, webhookLoopbackPorts, not ${port})`;
}

/** `port 8787`, `ports 8000-8999,9100`. */
function portsText(ranges: readonly PortRange[]): string {
  const one = ranges.length === 1 && ranges[0]?.from === ranges[0]?.to;
  return `port${one ? '' : 's'} ${formatPortRanges(ranges)}`;
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

/** One agent per scheme, loopback allowed or not, kept warm across attempts (a checked socket stays checked). */
function agents(loopback: boolean) {
  const options = { keepAlive: true, allowIPAddressList: loopback ? LOOPBACK_CIDRS : [] };
  return { 'http:': new RequestFilteringHttpAgent(options), 'https:': new RequestFilteringHttpsAgent(options) };
}

/**
 * dns.lookup, refusing an address that carries a non-public IPv4 one, which request-filtering-agent takes for a
 * public IPv6 address (`::7f00:1` is unicast to it). The agent checks the rest of each address it returns.
 */
const carrierCheckedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, found) => {
    if (error) return callback(error, '', 0);
    const refused = found.find(({ address }) => ipaddr.isValid(address) && carriedIPv4Problem(address));
    if (refused) {
      const reason = carriedIPv4Problem(refused.address);
      return callback(new Error(`DNS lookup ${refused.address} (host: ${hostname}) is not allowed: ${reason}`), '', 0);
    }
    if (options.all) return callback(null, found);
    const first = found[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

/** Why an address that carries an IPv4 one may not be sent to, or undefined (any other address: the agent's). */
function carriedIPv4Problem(address: string): string | undefined {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() !== 'ipv6' || !carriedIPv4(parsed as ipaddr.IPv6)) return undefined;
  return addressProblem(address);
}

/** Sends webhooks: POST, a timeout over the whole exchange, no redirect followed, the answer's start kept. */
export class WebhookSender {
  private readonly publicOnly = agents(false);
  private readonly withLoopback = agents(true);

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly timeoutMs: number,
  ) {}

  async post(target: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(target);
    // The port is checked now, not only when the endpoint was made: a runner's ports change from run to run.
    const loopback = loopbackAllowedOn(portOf(url), this.policy);
    if (url.protocol === 'http:' && !loopback) {
      const where = this.policy.loopbackPorts.length > 0 ? ` on ${portsText(this.policy.loopbackPorts)}` : '';
      return {
        ok: false,
        latencyMs: 0,
        error: `refused: http is allowed only to loopback${where} on the local runner`,
      };
    }
    const agent = (loopback ? this.withLoopback : this.publicOnly)[url.protocol as 'http:' | 'https:'];
    if (!agent) return { ok: false, latencyMs: 0, error: `refused: ${url.protocol} URL` };
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    const carried = ipaddr.isValid(literal) ? carriedIPv4Problem(literal) : undefined;
    if (carried) return { ok: false, latencyMs: 0, error: `refused: ${carried}` };
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<PostOutcome>((resolve) => {
      const request = send(url, {
        method: 'POST',
        agent,
        lookup: carrierCheckedLookup,
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
