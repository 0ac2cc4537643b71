import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyHandler, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { parseEnv } from '../settings/env';
import { AppError, BadRequestError, TooManyRequestsError, UnsupportedMediaTypeError } from '../shared/errors';
import { createPowertools, instrument, type Powertools } from '../shared/powertools';
import { isImageId } from '../store/keys';
import type { Caller } from '../store/owner';
import { callerOf, callerSource } from './caller';
import type { ApiEnv } from './env';

export { AppError, BadRequestError, NotFoundError } from '../shared/errors';

/** What a route answers; `httpHandler` makes it an API Gateway result. No body means an empty one (204). */
export interface HttpResult {
  statusCode: number;
  body?: unknown;
  /** Headers besides the JSON ones and CORS (a 429's `Retry-After`). */
  headers?: Record<string, string>;
}

export type HttpRoute = (event: APIGatewayProxyEvent) => Promise<HttpResult>;

/**
 * On every answer to a caller: `true` when the API takes the caller for an admin, else `false`. A client (the web app)
 * learns from any answer whether to offer the admin pages, instead of asking an admin-only route and being refused.
 */
export const CALLER_ADMIN_HEADER = 'X-Image-Intel-Admin';

/** `result`, saying whether its caller is an admin (CALLER_ADMIN_HEADER). */
export function answeredTo(result: HttpResult, caller: Caller): HttpResult {
  return { ...result, headers: { ...result.headers, [CALLER_ADMIN_HEADER]: String(caller.admin) } };
}

/** An API function as it starts: its parsed environment, its Powertools, and `serve` to make its handler. */
export interface ApiFunctionStart<Config> {
  config: Config;
  tools: Powertools;
  /**
   * The handler: each request is answered by `answer` with its caller read, errors made answers (`httpHandler`), the
   * whole instrumented (logs, metrics, a trace).
   */
  serve: (answer: (event: APIGatewayProxyEvent, caller: Caller) => Promise<HttpResult>) => APIGatewayProxyHandler;
  /**
   * The handler of a `public` route (route.ts): as `serve`, but no caller is read (API Gateway checked none, so
   * there is none to read) and the answer does not say whether one is an admin.
   */
  servePublic: (answer: (event: APIGatewayProxyEvent) => Promise<HttpResult>) => APIGatewayProxyHandler;
}

/**
 * The start every API function's handler (`lambdas/<room>/functions/<operationId>/handler.ts`) shares, once, when
 * Lambda loads it: its environment parsed (a missing variable fails the load, naming it), Powertools made, and where its
 * callers are read from settled. The handler makes its dependencies from `config` beside it, then `serve`s.
 */
export function apiFunction<Schema extends z.ZodType<ApiEnv>>(
  functionName: string,
  schema: Schema,
): ApiFunctionStart<z.output<Schema>> {
  const config = parseEnv(schema, process.env, functionName);
  const tools = createPowertools(config);
  const callers = callerSource(config);
  return {
    config,
    tools,
    serve: (answer) => {
      const route: HttpRoute = async (event) => {
        const caller = await callerOf(event, callers);
        return answeredTo(await answer(event, caller), caller);
      };
      return instrument(httpHandler(route, tools, { corsOrigins: config.CORS_ORIGINS }), tools);
    },
    servePublic: (answer) => instrument(httpHandler(answer, tools, { corsOrigins: config.CORS_ORIGINS }), tools),
  };
}

export interface HttpOptions {
  /** Browser origins whose requests get an `Access-Control-Allow-Origin` echo. */
  corsOrigins: readonly string[];
}

/**
 * Adapt a route to API Gateway (REST API, proxy integration): errors become JSON `{message}` bodies, CORS headers
 * are added for allowed origins. Errors are mapped here, inside the handler, rather than in a middy `onError`:
 * the Powertools middlewares then see an ordinary response, so a 400 is not recorded as a fault in the trace.
 */
export function httpHandler(route: HttpRoute, tools: Powertools, options: HttpOptions) {
  return async (event: APIGatewayProxyEvent, _context: Context): Promise<APIGatewayProxyResult> => {
    tools.logger.appendKeys({ requestId: event.requestContext?.requestId });
    let result: HttpResult;
    try {
      result = await route(event);
    } catch (error) {
      result = errorResult(error, tools);
    }
    return toProxyResult(result, corsHeaders(header(event, 'origin'), options.corsOrigins));
  };
}

/** An error as an answer: a 4xx says what was wrong, anything else is logged and answered 500 without details. */
export function errorResult(error: unknown, { logger, metrics, tracer }: Powertools): HttpResult {
  if (error instanceof AppError && error.statusCode < 500) {
    logger.info('request refused', { statusCode: error.statusCode, reason: error.message });
    metrics.addMetric('ClientErrors', MetricUnit.Count, 1);
    const headers =
      error instanceof TooManyRequestsError ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined;
    return { statusCode: error.statusCode, body: { message: error.message }, headers };
  }
  const cause = error instanceof Error ? error : new Error(String(error));
  logger.error('request failed', cause);
  metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
  tracer?.addErrorAsMetadata(cause);
  return { statusCode: 500, body: { message: 'internal error' } };
}

function toProxyResult(
  { statusCode, body, headers: own }: HttpResult,
  cors: Record<string, string>,
): APIGatewayProxyResult {
  if (body === undefined) return { statusCode, headers: { ...own, ...cors }, body: '' };
  return {
    statusCode,
    // Bodies can carry presigned URLs: nothing between the API and the caller should keep them.
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...own, ...cors },
    body: JSON.stringify(body),
  };
}

/**
 * An allowed origin is echoed (browsers accept one origin, not a list). `Vary: Origin` goes on every response once
 * any origin is configured, so a cache never hands one origin's answer to another.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (allowed.length === 0) return {};
  if (origin === undefined || !allowed.includes(origin)) return { Vary: 'Origin' };
  // A browser shows a cross-origin script only the safelisted headers, and those it is told of: whether the caller is
  // an admin, and how long a share link that had too many wrong passwords waits (the web app's shared page says it).
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': `${CALLER_ADMIN_HEADER}, Retry-After`,
    Vary: 'Origin',
  };
}

/** A request header by name; REST APIs pass headers with the client's casing. */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/**
 * The request body as JSON; missing or malformed is a 400, sent as anything but `application/json` a 415. A page
 * elsewhere can make a browser send a `text/plain` POST without asking (no preflight), never a JSON one; and API
 * Gateway checks a body against a route's model only when it comes as `application/json`, passing any other through.
 */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === '') {
    throw new BadRequestError('body: a JSON object is required');
  }
  const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new UnsupportedMediaTypeError(`content-type: ${type || 'none'}; the body must be sent as application/json`);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('body: not valid JSON');
  }
}

/** Validate request input; a failure is a 400 naming each bad field (`what` names the input itself). */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path) || what}: ${issue.message}`);
  throw new BadRequestError(problems.join('; '));
}

/** `['tags', 3]` → `tags[3]`, `['metadata', 'camera']` → `metadata.camera`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

/** The `{id}` path parameter, which must be an image id (a ULID). */
export function imageIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !isImageId(id)) throw new BadRequestError('id: not an image id (a 26-character ULID)');
  return id;
}
