import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How a receiver answers its n-th request (from 1): a status, or `hang` (accept, never answer). */
export type Answer = number | 'hang';

/**
 * An HTTP receiver on loopback for webhook tests: it keeps every request and answers as `answer` says. Closing it
 * ends the requests it left hanging.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly hanging: ServerResponse[] = [];
  private server?: Server;

  constructor(private readonly answer: (n: number) => Answer = () => 204) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const answer = this.answer(this.received.length);
        if (answer === 'hang') {
          this.hanging.push(response);
          return;
        }
        response.writeHead(answer, answer >= 300 && answer < 400 ? { location: 'http://127.0.0.1:9/elsewhere' } : {});
        response.end(answer >= 400 ? `refused with ${answer}` : '');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Wait until `count` requests matching `which` have come, and answer them. */
  async waitFor(
    count: number,
    which: (got: Received) => boolean = () => true,
    timeoutMs = 60_000,
  ): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = this.received.filter(which);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) {
        throw new Error(
          `${matching.length} of ${count} webhooks came in ${timeoutMs} ms (${this.received.length} in all)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The type and data of a received webhook's payload. */
export function payloadOf(got: Received): { type: string; data: Record<string, unknown> } {
  return JSON.parse(got.body) as { type: string; data: Record<string, unknown> };
}
