import { createServer } from 'node:net';
import { EXCERPT_BYTES, WebhookSender } from '../../../lambdas/webhooks/destination';
import { WebhookReceiver } from '../../support/webhook-receiver';

/**
 * The sender against real sockets on loopback: what an attempt comes to for each kind of answer, and the check at
 * connect time, which refuses a non-public address whatever the name said when the endpoint was made (DNS rebinding).
 */
/** Every port: the receivers listen on free ones. */
const runnerPolicy = { loopbackPorts: [{ from: 1, to: 65_535 }] };
const receivers: WebhookReceiver[] = [];

async function receiving(answer: (n: number) => number | 'hang') {
  const receiver = new WebhookReceiver(answer);
  receivers.push(receiver);
  return { receiver, url: await receiver.start() };
}
afterAll(() => Promise.all(receivers.map((receiver) => receiver.stop())));

describe('sending a webhook', () => {
  it('a 2xx is a success, with its latency', async () => {
    const { url, receiver } = await receiving(() => 204);
    const outcome = await new WebhookSender(runnerPolicy, 2000).post(url, { 'webhook-id': 'msg_1' }, '{"a":1}');
    expect(outcome).toMatchObject({ ok: true, statusCode: 204 });
    expect(receiver.received[0]).toMatchObject({ body: '{"a":1}', headers: { 'webhook-id': 'msg_1' } });
  });

  it('a 500 is a failure that keeps the start of the answer', async () => {
    const { url } = await receiving(() => 500);
    expect(await new WebhookSender(runnerPolicy, 2000).post(url, {}, '{}')).toMatchObject({
      ok: false,
      statusCode: 500,
      error: 'HTTP 500',
      excerpt: 'refused with 500',
    });
  });

  it('a redirect is not followed', async () => {
    const { url } = await receiving(() => 302);
    const outcome = await new WebhookSender(runnerPolicy, 2000).post(url, {}, '{}');
    expect(outcome).toMatchObject({ ok: false, statusCode: 302 });
    expect(outcome.error).toBe('redirect not followed (HTTP 302 to http://127.0.0.1:9/elsewhere)');
  });

  it('an endpoint that never answers times out', async () => {
    const { url } = await receiving(() => 'hang');
    const outcome = await new WebhookSender(runnerPolicy, 500).post(url, {}, '{}');
    expect(outcome).toMatchObject({ ok: false, error: 'timed out after 0.5 s' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(450);
  });

  it('keeps at most EXCERPT_BYTES of a long answer', async () => {
    const server = createServer((socket) => {
      // The sender stops reading once it has its excerpt: the rest of the write is reset.
      socket.on('error', () => undefined);
      socket.once('data', () => {
        const body = 'x'.repeat(100_000);
        socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const outcome = await new WebhookSender(runnerPolicy, 2000).post(`http://127.0.0.1:${port}/`, {}, '{}');
    server.close();
    expect(outcome.excerpt).toHaveLength(EXCERPT_BYTES);
    expect(outcome.error).toBe('HTTP 400');
  });
});

describe("a deployment's sender", () => {
  const deployment = new WebhookSender({ loopbackPorts: [] }, 2000);

  it('refuses http', async () => {
    const { url, receiver } = await receiving(() => 204);
    expect((await deployment.post(url, {}, '{}')).error).toMatch(/^refused: http is allowed only to loopback/);
    expect(receiver.received).toHaveLength(0);
  });

  it.each(['127.0.0.1', 'localhost'])('refuses at connect a name or address that is not public (%s)', async (host) => {
    const { url, receiver } = await receiving(() => 204);
    const target = url.replace('http://127.0.0.1', `https://${host}`);
    expect((await deployment.post(target, {}, '{}')).error).toBe(`refused: ${host} resolved to a non-public address`);
    expect(receiver.received).toHaveLength(0);
  });
});

describe("the runner's sender, loopback on some ports only", () => {
  it('sends to loopback on an allowed port, and refuses it on any other, at connect, over http and https', async () => {
    const allowed = await receiving(() => 204);
    const other = await receiving(() => 204);
    const port = Number(new URL(allowed.url).port);
    const sender = new WebhookSender({ loopbackPorts: [{ from: port, to: port }] }, 2000);
    expect(await sender.post(allowed.url, {}, '{}')).toMatchObject({ ok: true, statusCode: 204 });
    expect((await sender.post(other.url, {}, '{}')).error).toBe(
      `refused: http is allowed only to loopback on port ${port} on the local runner`,
    );
    const tls = other.url.replace('http://127.0.0.1', 'https://localhost');
    expect((await sender.post(tls, {}, '{}')).error).toBe('refused: localhost resolved to a non-public address');
    expect(other.receiver.received).toHaveLength(0);
  });

  it.each(['::7f00:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::'])(
    'refuses [%s], loopback carried in IPv6, even on an allowed port',
    async (address) => {
      const { url, receiver } = await receiving(() => 204);
      const target = url.replace('127.0.0.1', `[${address}]`);
      const outcome = await new WebhookSender(runnerPolicy, 2000).post(target, {}, '{}');
      expect(outcome.ok).toBe(false);
      expect(outcome.error).toMatch(/^refused: .* is an IPv6 address carrying 127\.0\.0\.1, a loopback address$/);
      expect(receiver.received).toHaveLength(0);
    },
  );
});
