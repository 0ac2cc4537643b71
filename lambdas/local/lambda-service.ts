import type { IncomingMessage, ServerResponse } from 'node:http';
import { asFunction } from './aws-calls';
import { listenOnLoopback } from './host-check';
import { type LambdaHandler, lambdaContext } from './lambda-context';

/** A function the runner invokes for another, as Lambda would. */
export interface LocalFunction {
  /** The name it is invoked by (`FunctionName` in Invoke). */
  name: string;
  /** Its name among the runner's functions, for the call record (`vision`). */
  functionName: string;
  timeoutMs: number;
  handler: LambdaHandler<unknown, unknown>;
}

export interface LambdaService {
  /** For `AWS_ENDPOINT_URL_LAMBDA`: where an SDK Lambda client's Invoke reaches these functions. */
  url: string;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Lambda's Invoke API (RequestResponse) for the functions one function of the runner invokes: moto runs a function
 * only in docker, and an in-process call would skip what Invoke does between them. Here the caller's SDK client
 * sends its real request, the payload is the JSON the function receives, and a thrown error comes back as Lambda
 * reports one (`X-Amz-Function-Error` and `{errorType, errorMessage}`), so the caller reads failures as in AWS.
 */
export async function startLambdaService(functions: readonly LocalFunction[]): Promise<LambdaService> {
  const byName = new Map(functions.map((fn) => [fn.name, fn]));
  return listenOnLoopback((request, response) => {
    invoke(request, response, byName).catch((error: Error) => reply(response, 500, {}, { message: error.message }));
  });
}

async function invoke(
  request: IncomingMessage,
  response: ServerResponse,
  byName: ReadonlyMap<string, LocalFunction>,
): Promise<void> {
  const match = INVOKE_PATH.exec(new URL(request.url ?? '/', 'http://lambda').pathname);
  const name = decodeURIComponent(match?.[1] ?? '');
  const fn = byName.get(name.split(':').at(-1) ?? name);
  if (request.method !== 'POST' || !fn) {
    const errorType = 'ResourceNotFoundException';
    return reply(
      response,
      404,
      { 'x-amzn-errortype': errorType },
      { Type: 'User', message: `Function not found: ${name}` },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const event: unknown = text ? JSON.parse(text) : {};
  try {
    const result = await asFunction(fn.functionName, () => fn.handler(event, lambdaContext(fn.name, fn.timeoutMs)));
    reply(response, 200, {}, result ?? null);
  } catch (error) {
    const { name: errorType = 'Error', message: errorMessage = String(error) } = error as Error;
    reply(response, 200, { 'x-amz-function-error': 'Unhandled' }, { errorType, errorMessage, trace: [] });
  }
}

function reply(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...headers });
  response.end(JSON.stringify(body));
}
