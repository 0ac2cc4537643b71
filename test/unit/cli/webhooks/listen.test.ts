import { eventLine, Receiver, receiverUrl } from '../../../../lambdas/cli/webhooks/listen';
import { newSecret } from '../../../../lambdas/webhooks/endpoint';
import { signedHeaders } from '../../../../lambdas/webhooks/messages';

/** The receiver, without its socket, against deliveries signed by the delivery function's own signing code. */
const SECRET = newSecret();
const WEBHOOK_ID = 'msg_20260102T030405000Z_0123456789abcdef0123';
const PAYLOAD = {
  type: 'Image Processed',
  timestamp: '2026-01-02T03:04:05.000Z',
  data: { imageId: '01JIMAGE', owner: 'local', occurredAt: '2026-01-02T03:04:05.000Z' },
};
const BODY = JSON.stringify(PAYLOAD);
const NOW = new Date('2026-01-02T03:04:06.500Z');

function signed(secrets: string[] = [SECRET], body = BODY, at = new Date()) {
  return signedHeaders(secrets, WEBHOOK_ID, body, at);
}

describe('the webhooks listen receiver', () => {
  it('answers 204 to a verified delivery and prints its time, type, image and webhook-id', () => {
    const received = new Receiver(SECRET, { now: () => NOW }).receive('POST', BODY, signed());
    expect(received).toEqual({
      status: 204,
      out: `2026-01-02 03:04:06Z  Image Processed  image 01JIMAGE  ${WEBHOOK_ID}`,
    });
  });

  it('with json, prints the verified payload as one JSON line', () => {
    const received = new Receiver(SECRET, { json: true }).receive('POST', BODY, signed());
    expect(received.status).toBe(204);
    expect(JSON.parse(received.out as string)).toEqual(PAYLOAD);
  });

  it('says a webhook-id that comes again is a retry or a replay', () => {
    const receiver = new Receiver(SECRET, { now: () => NOW });
    receiver.receive('POST', BODY, signed());
    expect(receiver.receive('POST', BODY, signed()).out).toMatch(/ {2}\(2nd time: a retry or a replay\)$/);
  });

  it('verifies during a rotation, when the old and the new secret both sign', () => {
    const received = new Receiver(SECRET).receive('POST', BODY, signed([newSecret(), SECRET]));
    expect(received.status).toBe(204);
  });

  it('answers 401, saying why on stderr, to another secret, a changed body or an old timestamp', () => {
    const receiver = new Receiver(SECRET);
    const refused = [
      receiver.receive('POST', BODY, signed([newSecret()])),
      receiver.receive('POST', BODY.replace('01JIMAGE', '01JOTHER'), signed()),
      receiver.receive('POST', BODY, signed([SECRET], BODY, new Date(Date.now() - 10 * 60_000))),
      receiver.receive('POST', BODY, { 'content-type': 'application/json' }),
    ];
    expect(refused.map(({ status, out }) => [status, out])).toEqual(Array(4).fill([401, undefined]));
    expect(refused.map(({ err }) => err)).toEqual([
      `401 ${WEBHOOK_ID}: refused, No matching signature found`,
      `401 ${WEBHOOK_ID}: refused, No matching signature found`,
      `401 ${WEBHOOK_ID}: refused, Message timestamp too old`,
      '401 (no webhook-id): refused, Missing required headers',
    ]);
  });

  it('answers 405 to anything but a POST', () => {
    expect(new Receiver(SECRET).receive('GET', '', {}).status).toBe(405);
  });

  it('with events, answers the others 204 but prints only those', () => {
    const receiver = new Receiver(SECRET, { events: ['Image Deleted'] });
    expect(receiver.receive('POST', BODY, signed())).toEqual({ status: 204 });
  });

  it("names an endpoint's event by its endpoint", () => {
    const payload = { type: 'Webhook Endpoint Disabled', data: { endpointId: 'ep_1' } };
    expect(eventLine(payload, WEBHOOK_ID, 3, NOW)).toBe(
      `2026-01-02 03:04:06Z  Webhook Endpoint Disabled  endpoint ep_1  ${WEBHOOK_ID}  (3rd time: a retry or a replay)`,
    );
  });
});

describe('receiverUrl', () => {
  it('is reached on loopback when listening on every address', () => {
    expect(receiverUrl('127.0.0.1', 8787)).toBe('http://127.0.0.1:8787/');
    expect(receiverUrl('0.0.0.0', 8787)).toBe('http://127.0.0.1:8787/');
    expect(receiverUrl('::', 8787)).toBe('http://[::1]:8787/');
    expect(receiverUrl('::1', 1)).toBe('http://[::1]:1/');
  });
});
