import type { QueuedEvent } from '../../../lambdas/events/queue-sink';
import { cachingEndpoints, ENDPOINT_CACHE_MS } from '../../../lambdas/webhooks/delivery';
import type { WebhookEndpoint } from '../../../lambdas/webhooks/endpoint';
import { signingSecrets } from '../../../lambdas/webhooks/endpoint';
import { idTime, parseMessage, timeOfId, webhookIdOf } from '../../../lambdas/webhooks/messages';
import { WEBHOOK_ID_PATTERN } from '../../../lambdas/webhooks/schemas';

const event = (occurredAt: string, imageId = '01M8BAXDS837R3CJZGFVP0KYP8') =>
  ({ detailType: 'Image Processed', detail: { imageId, occurredAt } }) as unknown as QueuedEvent;

describe('webhook ids', () => {
  it('are the same for the same event, differ between events, and sort by the time of the event', () => {
    const early = webhookIdOf(event('2026-11-26T07:15:02.123Z'));
    expect(early).toMatch(WEBHOOK_ID_PATTERN);
    expect(webhookIdOf(event('2026-11-26T07:15:02.123Z'))).toBe(early);
    expect(webhookIdOf(event('2026-11-26T07:15:02.123Z', '01M8BAXDS837R3CJZGFVP0KYP9'))).not.toBe(early);
    const later = webhookIdOf(event('2026-11-26T08:00:00.000Z'));
    expect(early < later).toBe(true);
    expect(idTime('2026-11-26T07:15:02.123Z') < early).toBe(true);
  });

  it('give back the time of their event (how far back a release reaches for a held replay)', () => {
    expect(timeOfId(webhookIdOf(event('2026-11-26T07:15:02.123Z')))).toBe('2026-11-26T07:15:02.123Z');
  });
});

describe('queue messages', () => {
  it('reads an event as the sink sends it, and the delivery function’s own kinds', () => {
    expect(parseMessage(JSON.stringify({ detailType: 'Image Deleted', detail: { imageId: 'x' } })).kind).toBe('event');
    const attempt = {
      kind: 'attempt',
      endpointId: 'ep',
      webhookId: 'w',
      attempt: 2,
      notBefore: '2026-11-26T07:15:02.123Z',
    };
    expect(parseMessage(JSON.stringify(attempt))).toEqual(attempt);
    expect(() => parseMessage('{"kind":"attempt"}')).toThrow();
    expect(() => parseMessage('not json')).toThrow();
  });
});

describe('signing secrets', () => {
  it('a rotated secret signs beside the new one until its overlap ends', () => {
    const secrets = [
      { secret: 'whsec_new', createdAt: '2026-11-26T07:00:00.000Z' },
      { secret: 'whsec_old', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-11-27T07:00:00.000Z' },
    ];
    expect(signingSecrets({ secrets }, new Date('2026-11-26T08:00:00.000Z'))).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets({ secrets }, new Date('2026-11-27T07:00:00.001Z'))).toEqual(['whsec_new']);
  });
});

describe('the endpoint cache', () => {
  it('reads an owner’s endpoints once per ENDPOINT_CACHE_MS, and not a failed read again', async () => {
    let now = 0;
    let reads = 0;
    let fail = false;
    const store = {
      listOf: async (_owner: string): Promise<WebhookEndpoint[]> => {
        reads++;
        if (fail) throw new Error('throttled');
        return [];
      },
    };
    const cached = cachingEndpoints(store, () => now);
    await cached.listOf('alice');
    await cached.listOf('alice');
    expect(reads).toBe(1);
    now += ENDPOINT_CACHE_MS + 1;
    fail = true;
    await expect(cached.listOf('alice')).rejects.toThrow('throttled');
    fail = false;
    await cached.listOf('alice');
    expect(reads).toBe(3);
  });
});
