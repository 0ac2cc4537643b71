import type { IncomingHttpHeaders, RequestListener } from 'node:http';

/**
 * Cross-site requests: any web page the developer opens can make the browser send a "simple" request to the runner
 * (a POST, a form or a `text/plain` fetch) without asking it first, and the runner's auth is no help when it is
 * `none` (the default). Such a request could change any owner's data. So a request that
 * changes anything (every method but GET, HEAD and OPTIONS), and every request to the runner's own `/_local/`
 * endpoints, is answered only when it comes from one of the runner's pages or a configured web app origin
 * (`corsOrigins`):
 * - with an `Origin` header (which browsers send on every cross-origin request but a GET, and on same-origin
 *   non-GET ones too), that origin must be one of them; `null` (a sandboxed frame, a file) never is;
 * - without one, the request is a browser's only if `Sec-Fetch-Site` says so: `cross-site` or `same-site` (another
 *   port of localhost is the same site) is refused; a client that sends neither (curl, the CLI, the SDKs, the tests)
 *   is not a page, and is let in.
 * The Host check (host-check.ts) runs first: a page that rebinds its name to 127.0.0.1 never gets this far.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The runner's own endpoints (outputs, stats, token, schedules): never a page's, whatever the method. */
const LOCAL_PREFIX = '/_local/';

/**
 * The origins the runner's pages have, one for each `Host` it answers (`localhost:3000`...: host-check.ts'
 * loopbackHosts), and the configured web app origins.
 */
export function runnerOrigins(hosts: Iterable<string>, webOrigins: readonly string[] = []): Set<string> {
  return new Set([...[...hosts].map((host) => `http://${host}`), ...webOrigins.map((origin) => origin.toLowerCase())]);
}

/** What the check reads of a request. */
export interface OriginChecked {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

/** Why this request is refused (403), or undefined when it may go on. */
export function originProblem(request: OriginChecked, allowed: ReadonlySet<string>): string | undefined {
  const method = request.method ?? 'GET';
  // Read as the API server routes it (`/./_local/outputs` is `/_local/outputs` there too).
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  const local = pathname.startsWith(LOCAL_PREFIX);
  if (SAFE_METHODS.has(method) && !local) return undefined;
  const what = local ? `${method} ${pathname}` : method;
  const { origin } = request.headers;
  const site = request.headers['sec-fetch-site'];
  let from: string;
  if (origin !== undefined) {
    if (allowed.has(origin.toLowerCase())) return undefined;
    from = `Origin ${JSON.stringify(origin.slice(0, 100))}`;
  } else if (site === 'cross-site' || site === 'same-site') {
    from = `a ${site} page (Sec-Fetch-Site)`;
  } else {
    return undefined;
  }
  return (
    `${from}: the local runner takes ${what} only from its own pages (${[...allowed].join(', ')}) and clients ` +
    'that are not browsers; a page elsewhere cannot drive it. A web app on another origin goes in -c corsOrigins'
  );
}

/** `listener` behind the check: a refused request gets a 403 and reaches nothing. */
export function originChecked(allowed: () => ReadonlySet<string>, listener: RequestListener): RequestListener {
  return (request, response) => {
    const problem = originProblem(request, allowed());
    if (!problem) return listener(request, response);
    response.writeHead(403, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: problem }));
  };
}
