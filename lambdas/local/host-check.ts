/**
 * DNS rebinding: a web page the developer opens elsewhere can point its own host name at 127.0.0.1 and then read
 * the runner's answers as same-origin, minting an admin token and listing everyone's images. The browser still
 * sends that page's host name in `Host`, so the runner answers only requests addressed to itself by a loopback
 * name on its own port (what every local client, the CLI, the web app and the tests, sends).
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
