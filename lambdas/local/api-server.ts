import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { asFunction } from './aws-calls';
import { type FunctionUrlRoute, serveFunctionUrl } from './function-url';
import { type LambdaHandler, lambdaContext } from './lambda-context';

/** One API Gateway route: method, resource template, and the real handler behind it. */
export interface Route {
  method: string;
  /** API Gateway resource path, e.g. `/images/{id}`. */
  resource: string;
  functionName: string;
  handler: LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;
  /** The file `handler` comes from, where it is loaded on the route's first request (handlers.ts). */
  handlerFile?: string;
  /** A `public` route (lambdas/api/route.ts): let in without the API's auth, as its method in the stack has none. */
  public?: boolean;
}

/** The claims a Cognito authorizer hands the function: every value a string. */
export type AuthorizerClaims = Record<string, string>;

/** How every API route authenticates, as the deployed API's `auth` setting makes API Gateway do it. */
export type ApiAuth =
  | { mode: 'none' }
  /** A usage plan: without `x-api-key: <key>` a 403; with it, the function sees the key and its id. */
  | { mode: 'apikey'; key: string; keyId: string }
  /**
   * A Cognito authorizer: without a token that `verify` accepts (claims back) a 401; with one, the function sees
   * its claims. The server reads the header; `verify` decides.
   */
  | { mode: 'jwt'; verify: (token: string) => Promise<AuthorizerClaims | undefined> };

/** A local-only JSON endpoint, not an API route: no handler, no auth unless it asks, e.g. `GET /_local/stats`. */
export interface LocalEndpoint {
  method: 'GET' | 'POST';
  path: string;
  /** The request body as text (empty for none) in; the status and JSON body out. */
  handle: (body: string) => LocalReply | Promise<LocalReply>;
  /**
   * Refuse a body that is not `application/json` (415): a page elsewhere can send a text/plain POST to any origin
   * without a preflight, never a JSON one.
   */
  jsonOnly?: boolean;
  /** Behind the API's auth (a 401 or 403 as a route gives): it tells more than a caller who is nobody should know. */
  authenticated?: boolean;
}
export interface LocalReply {
  status: number;
  body: unknown;
}

export interface ApiServerOptions {
  routes: Route[];
  /** Default `none`: every route open. */
  auth?: ApiAuth;
  extras?: LocalEndpoint[];
  functionUrls?: FunctionUrlRoute[];
  /** API Gateway's own payload limit. */
  maxBodyBytes?: number;
  /**
   * How long a route's function may take before it is ended and answered 502. Default 29 s, API Gateway's integration
   * limit; a test suite that loads the emulator with everything at once gives it more (`npm start -- --api-timeout`).
   */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
/** API Gateway's integration timeout: a REST API ends a request to its function after 29 s. */
export const API_GATEWAY_TIMEOUT_MS = 29_000;

/**
 * A REST API stand-in: each HTTP request becomes the API Gateway proxy event the deployed API would send, is
 * given to the same handler the stack deploys, and its proxy result becomes the HTTP response.
 */
export function createApiServer(options: ApiServerOptions): Server {
  return createServer(apiRequestListener(options));
}

/** The same, as a listener for a server that is already listening (when the auth needs to know its URL). */
export function apiRequestListener(options: ApiServerOptions): RequestListener {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  return (request, response) => {
    serve(request, response, options, maxBodyBytes).catch((error: Error) => {
      // A client that went away mid-answer is not the handler's failure.
      if (response.destroyed && response.headersSent) return;
      options.log?.(`api: ${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
      if (!response.headersSent) send(response, 502, { message: 'Internal server error' });
      else response.destroy(error);
    });
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: ApiServerOptions,
  maxBodyBytes: number,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const extra = options.extras?.find((e) => e.path === url.pathname && e.method === request.method);
  if (extra) {
    if (extra.authenticated) {
      const admission = await admit(request, options.auth ?? { mode: 'none' });
      if ('refused' in admission) {
        return send(response, admission.refused.status, { message: admission.refused.message });
      }
    }
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (extra.jsonOnly && type !== 'application/json') {
      return send(response, 415, { message: `content-type: ${type ?? 'none'}; ${extra.path} takes application/json` });
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === undefined) return send(response, 413, { message: 'Request Too Long' });
    const reply = await extra.handle(body);
    return send(response, reply.status, reply.body);
  }

  const functionUrl = options.functionUrls?.find((route) => route.path.test(url.pathname));
  if (functionUrl && request.method === 'GET') return serveFunctionUrl(request, response, functionUrl);

  const match = matchRoute(options.routes, request.method ?? 'GET', url.pathname);
  if (!match) return send(response, 404, { message: `no route for ${request.method} ${url.pathname}` });
  const admission = match.route.public ? OPEN : await admit(request, options.auth ?? { mode: 'none' });
  if ('refused' in admission) return send(response, admission.refused.status, { message: admission.refused.message });
  const body = await readBody(request, maxBodyBytes);
  if (body === undefined) return send(response, 413, { message: 'Request Too Long' });

  const event = toProxyEvent(request, url, match, body, admission);
  const { functionName, handler } = match.route;
  const result = await asFunction(functionName, () =>
    handler(event, lambdaContext(functionName, options.timeoutMs ?? API_GATEWAY_TIMEOUT_MS)),
  );
  if (!result) return send(response, 502, { message: 'Internal server error' });
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

/** What API Gateway adds to the request context once it let the caller in. */
interface Admitted {
  authorizer: { claims: AuthorizerClaims } | null;
  identity: { apiKey?: string; apiKeyId?: string };
}
type Admission = Admitted | { refused: { status: 401 | 403; message: string } };

/** What API Gateway adds for a method without auth: nothing, whatever credential the request carries. */
const OPEN: Admitted = { authorizer: null, identity: {} };

/** API Gateway's answers: a usage plan's 403 `Forbidden`, a Cognito authorizer's 401 `Unauthorized`. */
async function admit(request: IncomingMessage, auth: ApiAuth): Promise<Admission> {
  switch (auth.mode) {
    case 'none':
      return OPEN;
    case 'apikey':
      if (request.headers['x-api-key'] !== auth.key) return { refused: { status: 403, message: 'Forbidden' } };
      return { authorizer: null, identity: { apiKey: auth.key, apiKeyId: auth.keyId } };
    case 'jwt': {
      const token = bearerToken(request.headers.authorization);
      const claims = token === undefined ? undefined : await auth.verify(token);
      if (!claims) return { refused: { status: 401, message: 'Unauthorized' } };
      return { authorizer: { claims }, identity: {} };
    }
  }
}

/** `Bearer <jwt>`, or the bare token, which a Cognito authorizer also takes. */
function bearerToken(header: string | undefined): string | undefined {
  return /^(?:Bearer +)?([\w-]+\.[\w-]+\.[\w-]*)$/i.exec(header?.trim() ?? '')?.[1];
}

function matchRoute(routes: Route[], method: string, pathname: string) {
  // As API Gateway does: a literal segment wins over a `{parameter}` (`/a/b` before `/a/{id}`).
  const params = (route: Route) => route.resource.split('{').length;
  for (const route of [...routes].sort((a, b) => params(a) - params(b))) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = route.resource.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const found = new RegExp(`^${pattern}$`).exec(pathname);
    if (!found) continue;
    const pathParameters: Record<string, string> = {};
    names.forEach((name, i) => {
      const raw = found[i + 1] as string;
      // API Gateway passes a segment it cannot decode through as it came; so do we (the handler then says 400).
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        pathParameters[name] = raw;
      }
    });
    return { route, pathParameters };
  }
  return undefined;
}

function toProxyEvent(
  request: IncomingMessage,
  url: URL,
  match: { route: Route; pathParameters: Record<string, string> },
  body: string,
  admitted: Admitted,
): APIGatewayProxyEvent {
  // The client names these maps' keys (`?constructor=`, a `__proto__` header): each is made from its entries, as
  // API Gateway's JSON is parsed, never by assignment into an object that has a prototype to read them from.
  const headerValues = Object.entries(request.headers).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, Array.isArray(value) ? value : [value]] as const],
  );
  const headers: Record<string, string> = Object.fromEntries(
    headerValues.map(([name, values]) => [name, values.join(',')]),
  );
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(headerValues);
  const queryValues = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) queryValues.set(name, [...(queryValues.get(name) ?? []), value]);
  const query: Record<string, string> = Object.fromEntries(
    [...queryValues].map(([name, values]) => [name, values.at(-1) as string]),
  );
  const multiQuery: Record<string, string[]> = Object.fromEntries(queryValues);
  const hasQuery = queryValues.size > 0;
  const hasPath = Object.keys(match.pathParameters).length > 0;
  return {
    httpMethod: match.route.method,
    path: url.pathname,
    resource: match.route.resource,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: hasPath ? match.pathParameters : null,
    stageVariables: null,
    body: body.length > 0 ? body : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: admitted.authorizer,
      httpMethod: match.route.method,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? null,
        ...admitted.identity,
      },
      path: `/local${url.pathname}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: match.route.resource,
      stage: 'local',
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, JSON_HEADERS);
  response.end(JSON.stringify(body));
}
