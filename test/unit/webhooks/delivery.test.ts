import { Webhook } from 'standardwebhooks';
import type { QueuedEvent } from '../../../lambdas/events/queue-sink';
import type { ImageEvent } from '../../../lambdas/manifest/events';
import { shareEvent } from '../../../lambdas/shares/create-share';
import { SHARES_EVENTS } from '../../../lambdas/shares/events';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from '../../../lambdas/webhooks/deliveries';
import { type DeliveryDeps, handleMessage, REPLAY_PAGE } from '../../../lambdas/webhooks/delivery';
import type { PostOutcome } from '../../../lambdas/webhooks/destination';
import type { WebhookEndpoint } from '../../../lambdas/webhooks/endpoint';
import type { AttemptMessage, ReplayMessage } from '../../../lambdas/webhooks/messages';
import { webhookIdOf } from '../../../lambdas/webhooks/messages';
import { DELIVERY_SHARDS, deliveryKey } from '../../../lambdas/webhooks/table-design';

/*
 * The delivery use case with every port in memory: the schedule, the disable rule, duplicates, hops and replays.
 * The real stores, queue and sender are exercised by test/e2e/webhooks.test.ts.
 */

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function endpoint(over: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    endpointId: `ep_01M8BAW5JWMBNJJR9S9F0B8G${over.owner === '*' ? 'AA' : '1S'}`,
    owner: 'alice',
    url: 'https://hooks.example.com/in',
    description: '',
    eventTypes: [],
    enabled: true,
    secrets: [{ secret: SECRET, createdAt: new Date(T0).toISOString() }],
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    ...over,
  };
}

function processed(owner: string | undefined, imageId = '01M8BAXDS837R3CJZGFVP0KYP8'): QueuedEvent {
  const event = {
    detailType: 'Image Processed',
    detail: {
      version: 1,
      imageId,
      bucket: 'b',
      key: `uploads/${imageId}.jpg`,
      occurredAt: new Date(T0).toISOString(),
      owner,
    },
  };
  return event as unknown as QueuedEvent;
}

/** Every port in memory; `answers` is what the sender answers each POST, in turn (then 204). */
function harness(endpoints: WebhookEndpoint[], answers: PostOutcome[] = []) {
  let now = T0;
  const log = new Map<string, Delivery>();
  const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  const queued: { message: AttemptMessage | ReplayMessage; delay: number }[] = [];
  const published: ImageEvent[] = [];
  const store = new Map(endpoints.map((e) => [e.endpointId, { ...e }]));
  const key = (endpointId: string, webhookId: string) => JSON.stringify(deliveryKey(endpointId, webhookId));
  const deps: DeliveryDeps = {
    endpoints: {
      get: async (id) => store.get(id),
      listOf: async (owner) => [...store.values()].filter((e) => e.owner === owner),
      markFailing: async (id, since) => {
        const e = store.get(id);
        if (e && !e.failingSince) e.failingSince = since;
      },
      markHealthy: async (id) => {
        const e = store.get(id);
        if (!e?.failingSince) return undefined;
        const { heldFrom } = e;
        delete e.failingSince;
        delete e.heldFrom;
        return heldFrom ? { heldFrom } : {};
      },
      noteHeld: async (id, from) => {
        const e = store.get(id);
        if (!e?.failingSince) return false;
        if (e.heldFrom === undefined || e.heldFrom > from) e.heldFrom = from;
        return true;
      },
      endRangeReplay: async (id, until) => {
        const e = store.get(id);
        if (e?.rangeReplayUntil === until) delete e.rangeReplayUntil;
      },
      disableFailing: async (id, since, reason) => {
        const e = store.get(id);
        if (!e?.enabled || e.failingSince !== since) return false;
        Object.assign(e, { enabled: false, disabledReason: reason });
        return true;
      },
    },
    log: {
      create: async (d) => {
        if (log.has(key(d.endpointId, d.webhookId))) return false;
        log.set(key(d.endpointId, d.webhookId), structuredClone(d));
        return true;
      },
      get: async (endpointId, webhookId) => structuredClone(log.get(key(endpointId, webhookId))),
      recordAttempt: async (d, attempt: DeliveryAttempt, status: DeliveryStatus, next?: string) => {
        const held = log.get(key(d.endpointId, d.webhookId)) as Delivery;
        Object.assign(held, { attempts: [...d.attempts, attempt], status, nextAttemptAt: next });
      },
      requeue: async (endpointId, webhookId) => {
        const held = log.get(key(endpointId, webhookId));
        if (!held) return 'missing';
        if (held.status === 'PENDING') return 'pending';
        held.status = 'PENDING';
        return 'queued';
      },
      forgetImage: async (imageId, keep) => {
        const gone = [...log.entries()].filter(([, d]) => d.imageId === imageId && d.webhookId !== keep);
        for (const [k] of gone) log.delete(k);
        return gone.length;
      },
      hold: async (endpointId, webhookId, was) => {
        const held = log.get(key(endpointId, webhookId));
        if (!held || (held.status === 'PENDING') !== (was === 'pending')) return false;
        held.status = 'HELD';
        return true;
      },
      deliveriesBetween: async (endpointId, shard, from, to, limit, after) =>
        [...log.values()]
          .filter((d) => d.endpointId === endpointId && deliveryKey(endpointId, d.webhookId).pk.endsWith(`#${shard}`))
          .filter(({ webhookId: id }) => id >= from && id <= to && (after === undefined || id > after))
          .sort((a, b) => (a.webhookId < b.webhookId ? -1 : 1))
          .slice(0, limit)
          .map(({ webhookId, status }) => ({ webhookId, status })),
    },
    sender: {
      post: async (url, headers, body) => {
        sent.push({ url, headers, body });
        return answers.shift() ?? { ok: true, statusCode: 204, latencyMs: 3 };
      },
    },
    queue: {
      send: async (message, delay = 0) => {
        queued.push({ message, delay });
      },
      sendAll: async (messages) => {
        for (const message of messages) queued.push({ message, delay: 0 });
      },
    },
    events: { publish: async (event) => void published.push(event as ImageEvent) },
    settings: { retrySchedule: [0, 5, 300, 7200], disableAfterHours: 24, holdAfterMinutes: 5, logDays: 30 },
    now: () => new Date(now),
  };
  /** Run the queued messages that are due, in order, until none is (a hop re-queues). */
  const drain = async () => {
    while (queued.length > 0) {
      const next = queued.shift() as { message: AttemptMessage | ReplayMessage; delay: number };
      now += next.delay * 1000;
      await handleMessage(next.message, deps);
    }
  };
  return { deps, log, sent, queued, published, store, drain, advance: (ms: number) => (now += ms) };
}

const failure: PostOutcome = { ok: false, statusCode: 500, latencyMs: 4, error: 'HTTP 500' };

afterEach(() => jest.restoreAllMocks());

describe('delivering an event', () => {
  it("posts it to the owner's endpoints and every owner's, signed, and to no one else's", async () => {
    const mine = endpoint();
    const everyone = endpoint({ owner: '*' });
    const bobs = endpoint({ endpointId: 'ep_01M8BAW5JWMBNJJR9S9F0B8GBB', owner: 'bob' });
    const h = harness([mine, everyone, bobs]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);

    expect(h.sent.map(({ url }) => url)).toHaveLength(2);
    // The verifier checks the timestamp against its clock: the test's.
    jest.spyOn(Date, 'now').mockReturnValue(T0);
    for (const { headers, body } of h.sent) {
      expect(new Webhook(SECRET).verify(body, headers)).toMatchObject({ type: 'Image Processed' });
      expect(headers['webhook-id']).toBe(webhookIdOf(processed('alice')));
    }
    expect([...h.log.values()].map((d) => [d.endpointId, d.status]).sort()).toEqual([
      [mine.endpointId, 'SUCCEEDED'],
      [everyone.endpointId, 'SUCCEEDED'],
    ]);
  });

  it('skips disabled endpoints and those that do not take the type; an event without an owner goes to no owner', async () => {
    const off = endpoint({ enabled: false });
    const other = endpoint({ endpointId: 'ep_01M8BAW5JWMBNJJR9S9F0B8GCC', eventTypes: ['Image Deleted'] });
    const h = harness([off, other]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    await handleMessage({ kind: 'event', event: processed(undefined) }, h.deps);
    expect(h.sent).toHaveLength(0);
  });

  it("posts a share link's event to its owner's endpoints that take it, never its token", async () => {
    const takes = endpoint({ eventTypes: ['Share Created'] });
    const not = endpoint({ endpointId: 'ep_01M8BAW5JWMBNJJR9S9F0B8GCC', eventTypes: ['Image Processed'] });
    const bobs = endpoint({ endpointId: 'ep_01M8BAW5JWMBNJJR9S9F0B8GBB', owner: 'bob' });
    const h = harness([takes, not, bobs]);
    const fields = {
      shareId: '0123456789abcdef',
      owner: 'alice',
      kind: 'album' as const,
      albumId: 'al_0123456789abcdef0123',
      protected: true,
      allowDownload: false,
      occurredAt: new Date(T0).toISOString(),
    };
    const { detailType, detail } = shareEvent(SHARES_EVENTS.shareCreated, fields);
    await handleMessage({ kind: 'event', event: { detailType, detail } }, h.deps);
    expect(h.sent).toHaveLength(1);
    jest.spyOn(Date, 'now').mockReturnValue(T0);
    const payload = new Webhook(SECRET).verify(h.sent[0]?.body as string, h.sent[0]?.headers ?? {});
    expect(payload).toMatchObject({ type: 'Share Created', data: { ...fields, eventId: detail.eventId } });
    expect(h.sent[0]?.headers['webhook-id']).toBe(detail.eventId);
    // The detail names the link by its shareId: nothing else is in it, a token least of all.
    const data = (payload as { data: object }).data;
    expect(Object.keys(data).sort()).toEqual([...Object.keys(fields), 'version', 'eventId'].sort());
  });

  it('the same event again sends nothing more: its delivery is recorded already', async () => {
    const h = harness([endpoint()]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    expect(h.sent).toHaveLength(1);
  });
});

describe('the retry schedule', () => {
  it('queues each next attempt after its wait, with the same webhook-id, until one succeeds', async () => {
    const h = harness([endpoint()], [failure, failure]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    expect(h.queued.map(({ message, delay }) => [(message as AttemptMessage).attempt, delay])).toEqual([[2, 5]]);
    await h.drain();

    const [delivery] = [...h.log.values()];
    expect(delivery?.status).toBe('SUCCEEDED');
    expect(delivery?.attempts.map(({ attempt, ok, at }) => [attempt, ok, at])).toEqual([
      [1, false, '2026-11-26T10:00:00.000Z'],
      [2, false, '2026-11-26T10:00:05.000Z'],
      [3, true, '2026-11-26T10:05:05.000Z'],
    ]);
    expect(new Set(h.sent.map(({ headers }) => headers['webhook-id'])).size).toBe(1);
    // Its failures were forgotten with the success.
    expect([...h.store.values()][0]?.failingSince).toBeUndefined();
  });

  it('a wait longer than SQS allows hops in the queue, at most 15 min at a time, and attempts only when due', async () => {
    const h = harness([endpoint()], [failure, failure, failure]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    await h.drain();
    // The 2 h wait before the fourth attempt: 8 hops of 900 s, then the attempt.
    const fourth = h.log.values().next().value?.attempts[3];
    expect(fourth?.at).toBe(new Date(T0 + (5 + 300 + 7200) * 1000).toISOString());
    expect(h.sent).toHaveLength(4);
  });

  it('the last failure leaves the delivery FAILED, and disables an endpoint failing for long enough, with an event', async () => {
    const h = harness([endpoint()], [failure, failure, failure, failure]);
    h.deps.settings.disableAfterHours = 2;
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    await h.drain();

    expect([...h.log.values()][0]?.status).toBe('FAILED');
    const [stored] = h.store.values();
    expect(stored?.enabled).toBe(false);
    expect(stored?.disabledReason).toBe('failing since 2026-11-26T10:00:00.000Z: HTTP 500');
    expect(h.published).toEqual([
      {
        detailType: 'Webhook Endpoint Disabled',
        detail: expect.objectContaining({ endpointId: stored?.endpointId, owner: 'alice', reason: 'HTTP 500' }),
      },
    ]);
  });

  it('an endpoint failing for less than disableAfterHours stays enabled though a delivery failed', async () => {
    const h = harness([endpoint()], [failure, failure, failure, failure]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    await h.drain();
    expect([...h.store.values()][0]?.enabled).toBe(true);
    expect(h.published).toEqual([]);
  });

  it('an attempt for a deleted endpoint sends nothing; one for a disabled endpoint is recorded as not sent', async () => {
    const h = harness([endpoint()], [failure]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    const [stored] = h.store.values();
    (stored as WebhookEndpoint).enabled = false;
    await h.drain();
    expect(h.sent).toHaveLength(1);
    expect([...h.log.values()][0]).toMatchObject({
      status: 'FAILED',
      attempts: [{ ok: false }, { ok: false, error: 'not sent: the endpoint is disabled' }],
    });
  });
});

describe('replaying a time range', () => {
  it('queues every delivery of the range, a page per shard per message, and stops when each shard is done', async () => {
    const ep = endpoint();
    const h = harness([ep]);
    const count = DELIVERY_SHARDS * REPLAY_PAGE + 7;
    for (let i = 0; i < count; i++) {
      const id = `01M8BAXDS837R3CJZGFVP${String(i).padStart(5, '0')}`;
      await handleMessage({ kind: 'event', event: processed('alice', id) }, h.deps);
    }
    const from = new Date(T0 - 1000).toISOString();
    const to = new Date(T0 + 1000).toISOString();
    await handleMessage({ kind: 'replay', endpointId: ep.endpointId, from, to }, h.deps);

    const replays = () => h.queued.filter(({ message }) => message.kind === 'replay');
    expect(replays()).toHaveLength(1);
    const sentBefore = h.sent.length;
    await h.drain();
    expect(h.sent.length - sentBefore).toBe(count);
    expect([...h.log.values()].every((d) => d.attempts.at(-1)?.replay === true)).toBe(true);
  });
});

describe('holding the events of an endpoint that keeps failing', () => {
  const failingFor = (minutes: number) => new Date(T0 - minutes * 60_000).toISOString();
  const image = (n: number) => `01M8BAXDS837R3CJZGFVP0KY${String(n).padStart(2, '0')}`;

  it('records a new event HELD, sends nothing and queues nothing, once the endpoint has failed holdAfterMinutes', async () => {
    const h = harness([endpoint({ failingSince: failingFor(10) })]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    expect(h.sent).toHaveLength(0);
    expect(h.queued).toHaveLength(0);
    expect([...h.log.values()].map(({ status, attempts }) => [status, attempts.length])).toEqual([['HELD', 0]]);
  });

  it('still attempts while the endpoint has failed for less', async () => {
    const h = harness([endpoint({ failingSince: failingFor(1) })]);
    await handleMessage({ kind: 'event', event: processed('alice') }, h.deps);
    expect(h.sent).toHaveLength(1);
  });

  it('sends the held deliveries, as first sends, when an attempt under way succeeds; nothing else is sent again', async () => {
    const h = harness([endpoint()], [failure]);
    // A delivery whose first attempt fails; then the endpoint has failed 10 min when two more events come.
    await handleMessage({ kind: 'event', event: processed('alice', image(1)) }, h.deps);
    const [stored] = h.store.values();
    (stored as WebhookEndpoint).failingSince = failingFor(10);
    await handleMessage({ kind: 'event', event: processed('alice', image(2)) }, h.deps);
    await handleMessage({ kind: 'event', event: processed('alice', image(3)) }, h.deps);
    expect(h.sent).toHaveLength(1);

    // The first delivery's second attempt succeeds: the endpoint is healthy, and the held two are released.
    await h.drain();
    const sentIds = h.sent.map(({ body }) => (JSON.parse(body) as { data: { imageId: string } }).data.imageId);
    expect(sentIds).toEqual([image(1), image(1), image(2), image(3)]);
    expect([...h.log.values()].map(({ status }) => status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect([...h.log.values()].flatMap(({ attempts }) => attempts).some(({ replay }) => replay)).toBe(false);
    expect(stored?.failingSince).toBeUndefined();
  });
});

describe('replays to an endpoint that keeps failing', () => {
  const image = (n: number) => `01M8BAXDS837R3CJZGFVP0KY${String(n).padStart(2, '0')}`;
  const range = { from: new Date(T0 - 1000).toISOString(), to: new Date(T0 + 1000).toISOString() };

  /** Three events delivered at T0; an hour later the endpoint has failed for 10 min (after those events). */
  async function deliveredThenHeld() {
    const h = harness([endpoint()]);
    for (const n of [1, 2, 3]) await handleMessage({ kind: 'event', event: processed('alice', image(n)) }, h.deps);
    h.advance(3_600_000);
    const [stored] = h.store.values();
    (stored as WebhookEndpoint).failingSince = new Date(T0 + 3_600_000 - 10 * 60_000).toISOString();
    return { h, stored: stored as WebhookEndpoint, ids: [...h.log.values()].map(({ webhookId }) => webhookId) };
  }

  it("a range's deliveries wait HELD and send nothing while the endpoint is held", async () => {
    const { h, stored } = await deliveredThenHeld();
    const before = h.sent.length;
    await handleMessage({ kind: 'replay', endpointId: stored.endpointId, ...range }, h.deps);
    await h.drain();
    expect(h.sent.length - before).toBe(0);
    expect([...h.log.values()].map(({ status }) => status)).toEqual(['HELD', 'HELD', 'HELD']);
  });

  it('a range attempt queued before the endpoint was held waits HELD too', async () => {
    const { h, stored, ids } = await deliveredThenHeld();
    const before = h.sent.length;
    const [first] = [...h.log.values()];
    (first as Delivery).status = 'PENDING';
    const attempt = {
      kind: 'attempt' as const,
      endpointId: stored.endpointId,
      webhookId: ids[0] as string,
      attempt: 1,
    };
    await handleMessage({ ...attempt, notBefore: new Date(T0).toISOString(), replay: true, range: true }, h.deps);
    expect(h.sent.length - before).toBe(0);
    expect(first?.status).toBe('HELD');
  });

  it("the held range is sent once a probe by id succeeds, though its events are older than the endpoint's failures", async () => {
    const { h, stored, ids } = await deliveredThenHeld();
    await handleMessage({ kind: 'replay', endpointId: stored.endpointId, ...range }, h.deps);
    await h.drain();
    const before = h.sent.length;
    // One delivery replayed by id (the route marks it PENDING and queues its attempt): a probe, and it succeeds.
    const [first] = [...h.log.values()];
    (first as Delivery).status = 'PENDING';
    const probe = { kind: 'attempt' as const, endpointId: stored.endpointId, webhookId: ids[0] as string, attempt: 1 };
    await handleMessage({ ...probe, notBefore: new Date(T0).toISOString(), replay: true }, h.deps);
    await h.drain();
    expect(h.sent.length - before).toBe(3);
    expect([...h.log.values()].map(({ status }) => status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(stored.heldFrom).toBeUndefined();
  });

  it('a probe that fails is made once: no retry schedule while the endpoint is held', async () => {
    const { h, stored, ids } = await deliveredThenHeld();
    const [first] = [...h.log.values()];
    (first as Delivery).status = 'PENDING';
    h.queued.length = 0;
    const probe = { kind: 'attempt' as const, endpointId: stored.endpointId, webhookId: ids[0] as string, attempt: 1 };
    const answers = [failure, failure, failure, failure];
    h.deps.sender.post = async () => answers.shift() ?? failure;
    await handleMessage({ ...probe, notBefore: new Date(T0).toISOString(), replay: true }, h.deps);
    await h.drain();
    expect(answers).toHaveLength(3);
    expect(first?.status).toBe('FAILED');
  });

  it('a range replay queues no delivery already PENDING, and ends its lease when done', async () => {
    const { h, stored } = await deliveredThenHeld();
    delete stored.failingSince;
    stored.rangeReplayUntil = new Date(T0 + 7_200_000).toISOString();
    const [first] = [...h.log.values()];
    (first as Delivery).status = 'PENDING';
    const before = h.sent.length;
    await handleMessage(
      { kind: 'replay', endpointId: stored.endpointId, ...range, lease: stored.rangeReplayUntil },
      h.deps,
    );
    await h.drain();
    expect(h.sent.length - before).toBe(2);
    expect(stored.rangeReplayUntil).toBeUndefined();
  });
});
