import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { asFunction } from './aws-calls';
import { lambdaContext } from './lambda-context';
import { HttpResponseWriter } from './response-streaming';

/** A handler made with `awslambda.streamifyResponse` (see response-streaming.ts), as middy exports it. */
export type StreamingHandler = (
  event: LambdaFunctionURLEvent,
  responseStream: HttpResponseWriter,
  context: Context,
) => Promise<unknown>;

/**
 * A function URL served beside the API (a rendition function's, which CloudFront reaches in AWS): every GET whose
 * path matches goes to the streaming handler as a function URL event, without the API's auth (the URL's own
 * signature is its access control).
 */
export interface FunctionUrlRoute {
  /** Paths this function answers, such as `/<imageId>`. */
  path: RegExp;
  functionName: string;
  /** Its Lambda timeout: the context's remaining time counts down from it. */
  timeoutMs: number;
  handler: StreamingHandler;
}

/**
 * A function URL's invocation: the request as the event Lambda builds, the handler's stream onto the response. A
 * handler that fails before its first byte is a 502, as a function URL answers it.
 */
export async function serveFunctionUrl(
  request: IncomingMessage,
  response: ServerResponse,
  route: FunctionUrlRoute,
): Promise<void> {
  const stream = new HttpResponseWriter(response);
  try {
    await asFunction(route.functionName, () =>
      route.handler(functionUrlEvent(request), stream, lambdaContext(route.functionName, route.timeoutMs)),
    );
  } catch (error) {
    // A client that went away (a browser leaving a page mid-load) stops the handler's pipeline: nothing failed, and
    // there is no one left to answer.
    if (stream.clientGone) return;
    throw error;
  }
  // The handler pipes its body into the stream; one that returned without ending it has nothing more to say.
  if (!stream.writableEnded) stream.end();
}

/** A function URL's event (payload 2.0): the raw path and query as sent, headers lowercased, no body for a GET. */
export function functionUrlEvent(request: IncomingMessage): LambdaFunctionURLEvent {
  const target = request.url ?? '/';
  const at = target.indexOf('?');
  const rawPath = at < 0 ? target : target.slice(0, at);
  const rawQueryString = at < 0 ? '' : target.slice(at + 1);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // Repeated names joined by commas, as Lambda does; a Map, so no name (`__proto__`) can reach a prototype.
  const query = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const earlier = query.get(name);
    query.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: query.size === 0 ? undefined : Object.fromEntries(query),
    isBase64Encoded: false,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}
