import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from './close-server';
import { originChecked, runnerOrigins } from './origin-check';

/**
 * DNS rebinding: a web page the developer opens elsewhere can point its own host name at 127.0.0.1 and then read
 * the runner's answers as same-origin, minting an admin token and listing everyone's images. The browser still
 * sends that page's host name in `Host`, so the runner answers only requests addressed to itself by a loopback
 * name on its own port (what every local client, the CLI, the web app and the tests, sends). Every port the runner
 * opens does so: its API, its Step Functions and Lambda APIs (listenOnLoopback) and the moto server it starts
 * (emulator.ts, in moto's own process).
 */

/** The `Host` values the runner on `port` answers: localhost, 127.0.0.1 and [::1], with that port. */
export function loopbackHosts(port: number): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]'].map((name) => `${name}:${port}`));
}

/** Why a request with this `Host` header is refused (421 Misdirected Request), or undefined if it is the runner's. */
export function hostProblem(host: string | undefined, allowed: ReadonlySet<string>): string | undefined {
  if (host !== undefined && allowed.has(host.toLowerCase())) return undefined;
  const shown = host === undefined ? 'no Host header' : `Host ${JSON.stringify(host.slice(0, 100))}`;
  return `${shown}: the local runner answers only ${[...allowed].join(', ')} (a page elsewhere cannot reach it through DNS rebinding)`;
}

/** `listener` behind the check: a request whose `Host` is not one of `allowed()` gets a 421 and reaches nothing. */
export function hostChecked(allowed: () => ReadonlySet<string>, listener: RequestListener): RequestListener {
  return (request, response) => {
    const problem = hostProblem(request.headers.host, allowed());
    if (!problem) return listener(request, response);
    response.writeHead(421, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: problem }));
  };
}

/** A server of the runner's on a free loopback port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, for an SDK client's endpoint. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Serve `listener` on a free loopback port, answering only requests addressed to that port (hostChecked) and, of
 * those that change anything, none a page elsewhere makes (originChecked): these APIs are the SDKs', never a page's.
 */
export async function listenOnLoopback(listener: RequestListener): Promise<LoopbackServer> {
  let allowed: ReadonlySet<string> = new Set();
  let origins: ReadonlySet<string> = new Set();
  const server = createServer(
    hostChecked(
      () => allowed,
      originChecked(() => origins, listener),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  allowed = loopbackHosts(port);
  origins = runnerOrigins(allowed);
  return { url: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

/** The ports of these URLs (the runner's API and web app, the emulator, its Step Functions and Lambda APIs). */
export function portsOf(urls: readonly string[]): number[] {
  return urls.map((url) => new URL(url)).map((url) => Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
}
