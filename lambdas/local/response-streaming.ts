import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';

/**
 * Lambda response streaming outside Lambda. The Node.js runtime defines a global `awslambda` whose
 * `streamifyResponse(handler)` marks a handler as streaming (it is then called with `(event, responseStream,
 * context)`) and whose `HttpResponseStream.from(stream, {statusCode, headers})` puts a function URL's status and
 * headers in front of the body. middy calls both when its handler is made (`streamifyResponse: true`), so the shim
 * must be installed before such a handler is imported.
 */

/** What a function URL's streamed answer starts with. */
export interface ResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
}

/** The part of the runtime's global that streaming handlers use (@types/aws-lambda types it as a namespace). */
interface AwsLambdaGlobal {
  streamifyResponse<H>(handler: H): H;
  HttpResponseStream: { from(stream: Writable, prelude: ResponsePrelude): Writable };
}

/**
 * Define `awslambda`'s streaming members as the runtime does, for handlers this process runs itself; their streams
 * are `HttpResponseWriter`s, which take the prelude. Other members are left as they are (the SDK's invoke store
 * makes the global an empty object when it loads), and in Lambda the runtime's own members are kept.
 */
export function installResponseStreaming(): void {
  const runtime = globalThis as { awslambda?: Partial<AwsLambdaGlobal> };
  runtime.awslambda ??= {};
  const { awslambda } = runtime;
  awslambda.streamifyResponse ??= (handler) => handler;
  awslambda.HttpResponseStream ??= {
    from: (stream, prelude) => {
      if (!(stream instanceof HttpResponseWriter)) {
        throw new Error('HttpResponseStream.from: the stream is not one the local runner made');
      }
      stream.prelude = prelude;
      return stream;
    },
  };
}

/**
 * The response stream a streaming handler writes to, onto an HTTP response: the prelude's status and headers go
 * out with the first bytes (or at the end, for an empty body), then every chunk as it comes, with the response's
 * backpressure, so a body of any size passes through without being held. A client that goes away destroys it,
 * which stops the handler's pipeline.
 */
export class HttpResponseWriter extends Writable {
  /** Set by `HttpResponseStream.from`; without one the answer is a 200 with no headers, as in Lambda. */
  prelude: ResponsePrelude = {};

  /** The client went away before the whole answer was sent: what the handler does next reaches no one. */
  clientGone = false;

  constructor(private readonly response: ServerResponse) {
    super();
    response.once('close', () => {
      if (response.writableFinished) return;
      this.clientGone = true;
      this.destroy(new Error('the client closed the connection'));
    });
    // A client that went away is no failure of the runner's: the handler's pipeline, once it pipes here, gets the
    // error through its own listener; before it does (a rendition still being made), the error has no one else to
    // go to, and an 'error' event no one listens to would end the runner's process.
    this.on('error', () => {});
  }

  /** As the runtime's stream has it: the type of a body sent without a prelude. */
  setContentType(contentType: string): void {
    this.prelude = { ...this.prelude, headers: { ...this.prelude.headers, 'content-type': contentType } };
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendHead();
    if (this.response.write(chunk)) callback();
    else this.response.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendHead();
    this.response.end(() => callback());
  }

  private sendHead(): void {
    if (this.response.headersSent) return;
    this.response.writeHead(this.prelude.statusCode ?? 200, this.prelude.headers ?? {});
  }
}
