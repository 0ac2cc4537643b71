import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type LambdaHandler, lambdaContext } from './lambda-context';

/** One API Gateway route: method, resource template, and the real handler behind it. */
export interface Route {
  method: string;
  /** API Gateway resource path, e.g. `/images/{id}`. */
  resource: string;
  functionName: string;
  handler: LambdaHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;
}

export interface ApiServerOptions {
  routes: Route[];
  /** When set, every route requires `x-api-key: <apiKey>`, as an API Gateway usage plan would. */
  apiKey?: string;
  /** Extra local-only JSON endpoints (not API routes), e.g. `/_local/stats`. */
  extras?: Record<string, () => unknown>;
  /** API Gateway's own payload limit. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * A REST API stand-in: each HTTP request becomes the API Gateway proxy event the deployed API would send, is
 * given to the same handler the stack deploys, and its proxy result becomes the HTTP response.
 */
export function createApiServer(options: ApiServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  return createServer((request, response) => {
    serve(request, response, options, maxBodyBytes).catch((error: Error) => {
      options.log?.(`api: ${request.method} ${request.url} failed: ${error.stack ?? error.message}`);
      if (!response.headersSent) send(response, 502, { message: 'Internal server error' });
    });
  });
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  options: ApiServerOptions,
  maxBodyBytes: number,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const extra = options.extras?.[url.pathname];
  if (extra && request.method === 'GET') return send(response, 200, extra());

  const match = matchRoute(options.routes, request.method ?? 'GET', url.pathname);
  if (!match) return send(response, 404, { message: `no route for ${request.method} ${url.pathname}` });
  if (options.apiKey !== undefined && request.headers['x-api-key'] !== options.apiKey) {
    return send(response, 403, { message: 'Forbidden' });
  }
  const body = await readBody(request, maxBodyBytes);
  if (body === undefined) return send(response, 413, { message: 'Request Too Long' });

  const event = toProxyEvent(request, url, match, body);
  const result = await match.route.handler(event, lambdaContext(match.route.functionName, 29_000));
  if (!result) return send(response, 502, { message: 'Internal server error' });
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

function matchRoute(routes: Route[], method: string, pathname: string) {
  for (const route of routes) {
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
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
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
      authorizer: null,
      httpMethod: match.route.method,
      identity: { sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? null },
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
