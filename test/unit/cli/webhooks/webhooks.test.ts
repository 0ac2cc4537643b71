import { ApiError } from '../../../../lambdas/cli/api-client';
import { main } from '../../../../lambdas/cli/main';
import { eventTypeList, fieldsOf, isoTime, port, replayTargetOf } from '../../../../lambdas/cli/webhooks/command';
import {
  createCommand,
  type Delivery,
  deleteCommand,
  deliveriesCommand,
  deliveryTable,
  getCommand,
  lastAttempt,
  listCommand,
  replayCommand,
  rotateCommand,
  updateCommand,
  WEBHOOKS_EXIT,
} from '../../../../lambdas/cli/webhooks/webhooks';
import type { WebhookEndpointAnswer } from '../../../../lambdas/webhooks/functions/webhooks-contract';
import { fakeApi } from '../fake-api';

const ID = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ0';
const FLAGS = { api: 'http://localhost:3000' };

const ENDPOINT: WebhookEndpointAnswer = {
  endpointId: ID,
  url: 'http://127.0.0.1:8787/',
  description: 'my CMS',
  eventTypes: ['Image Processed', 'Image Deleted'],
  allOwners: false,
  enabled: true,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

function delivery(n: number, attempts: Delivery['attempts'], status: Delivery['status'] = 'SUCCEEDED'): Delivery {
  return {
    webhookId: `msg_20260102T03040${n}000Z_${'a'.repeat(20)}`,
    eventType: 'Image Processed',
    imageId: `01JIMAGE${n}`,
    status,
    createdAt: `2026-01-02T03:04:0${n}.000Z`,
    attempts,
    payload: {},
  };
}

describe('webhooks argument parsing', () => {
  it('takes event types comma-separated, in any case, without repeats', () => {
    expect(eventTypeList('Image Processed, image deleted,IMAGE PROCESSED')).toEqual([
      'Image Processed',
      'Image Deleted',
    ]);
  });

  it('takes `all` as every type: an empty list', () => {
    expect(eventTypeList('all')).toEqual([]);
  });

  it('refuses an unknown event type, naming the known ones', () => {
    expect(() => eventTypeList('Image Processed,Image Uploaded')).toThrow(
      /Image Uploaded: not an event type \(Image Processed, Image Rejected/,
    );
  });

  it('writes a time with an offset, or a date alone, as the API takes it: UTC with Z', () => {
    expect(isoTime('2026-01-02T05:04:05+02:00')).toBe('2026-01-02T03:04:05.000Z');
    expect(isoTime('2026-01-02')).toBe('2026-01-02T00:00:00.000Z');
  });

  it('refuses a time that is not ISO 8601', () => {
    expect(() => isoTime('yesterday')).toThrow('must be an ISO 8601 time');
    expect(() => isoTime('1/2/2026')).toThrow('must be an ISO 8601 time');
  });

  it('takes port 0 (a free one) to 65535', () => {
    expect(port('0')).toBe(0);
    expect(port('8787')).toBe(8787);
    expect(() => port('65536')).toThrow('must be 0');
    expect(() => port('-1')).toThrow('must be 0');
  });

  it('sends only the fields given, and allOwners only when set', () => {
    expect(fieldsOf({ ...FLAGS, description: '' })).toEqual({ description: '' });
    expect(fieldsOf({ ...FLAGS, url: 'https://x.example/', events: [], allOwners: true })).toEqual({
      url: 'https://x.example/',
      eventTypes: [],
      allOwners: true,
    });
  });

  it('makes a replay of one delivery or of a time range, and says what is wrong otherwise', () => {
    expect(replayTargetOf({ delivery: 'msg_1' })).toEqual({ webhookId: 'msg_1' });
    expect(replayTargetOf({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' })).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-02T00:00:00.000Z',
    });
    expect(replayTargetOf({})).toBe('give --delivery WEBHOOK_ID, or --from and --to');
    expect(replayTargetOf({ from: '2026-01-01T00:00:00.000Z' })).toBe('give --delivery WEBHOOK_ID, or --from and --to');
    expect(replayTargetOf({ delivery: 'msg_1', to: '2026-01-01T00:00:00.000Z' })).toMatch(/not both/);
    expect(replayTargetOf({ from: '2026-01-02T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' })).toBe(
      '--from must not be after --to',
    );
  });
});

describe('webhooks command lines', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());
  const said = () => stderr.mock.calls.map(([text]) => String(text)).join('');

  it.each([
    [['webhooks', 'create', '--api', 'http://x', '--url', 'http://y/', '--events', 'Image Uploaded'], /not an event/],
    [['webhooks', 'create', '--api', 'http://x'], /--url <url>' not specified/],
    [['webhooks', 'update', '--api', 'http://x', ID], /give --url, --events or --description/],
    [['webhooks', 'replay', '--api', 'http://x', ID], /give --delivery WEBHOOK_ID, or --from and --to/],
    [['webhooks', 'replay', '--api', 'http://x', ID, '--from', 'soon', '--to', 'later'], /ISO 8601/],
    [['webhooks', 'deliveries', '--api', 'http://x', ID, '--limit', '0'], /positive integer/],
    [['webhooks', 'deliveries', '--api', 'http://x', ID, '--limit', '5', '--all'], /cannot be used with/],
    [['webhooks', 'listen'], /give --api URL .* or --secret whsec_/],
    [['webhooks', 'listen', '--secret', 'hunter2'], /must be an endpoint secret, whsec_/],
    [['webhooks', 'listen', '--secret', 'whsec_x', '--port', 'http'], /must be 0 \(any free port\) to 65535/],
    [['webhooks', 'get', '--api', 'http://x'], /missing required argument 'endpointId'/],
  ])('%j is a usage error (exit 2), saying why', async (argv, why) => {
    await expect(main(argv)).resolves.toBe(WEBHOOKS_EXIT.usage);
    expect(said()).toMatch(why);
  });
});

describe('webhooks commands', () => {
  it('create sends the fields and prints the endpoint and its secret, saying it is shown once', async () => {
    const fake = fakeApi(() => ({ endpoint: ENDPOINT, secret: 'whsec_c2VjcmV0' }));
    const fields = { url: ENDPOINT.url, eventTypes: ENDPOINT.eventTypes, description: 'my CMS' };
    await expect(createCommand(fields, FLAGS, fake.io)).resolves.toBe(WEBHOOKS_EXIT.ok);
    expect(fake.calls).toEqual([['POST', '/webhooks', fields]]);
    expect(fake.out.join('\n')).toBe(
      [
        `Created ${ID}`,
        `  id:               ${ID}`,
        '  url:              http://127.0.0.1:8787/',
        '  events:           Image Processed, Image Deleted',
        '  state:            enabled',
        '  description:      my CMS',
        '  created:          2026-01-02T03:04:05.000Z',
        '  updated:          2026-01-02T03:04:05.000Z',
        'Secret (shown this once: keep it where the receiver can verify signatures with it):',
        '  whsec_c2VjcmV0',
      ].join('\n'),
    );
  });

  it('create --json prints the answer as one JSON line', async () => {
    const fake = fakeApi(() => ({ endpoint: ENDPOINT, secret: 'whsec_c2VjcmV0' }));
    await createCommand({ url: ENDPOINT.url }, { ...FLAGS, json: true }, fake.io);
    expect(fake.out.map((line) => JSON.parse(line))).toEqual([{ endpoint: ENDPOINT, secret: 'whsec_c2VjcmV0' }]);
  });

  it('list prints a table of the endpoints, and says when there are none', async () => {
    const other = { ...ENDPOINT, endpointId: 'ep_2', eventTypes: [], enabled: false, description: '' };
    const fake = fakeApi(() => ({ items: [ENDPOINT, other] }));
    await listCommand(FLAGS, fake.io);
    expect(fake.out).toEqual([
      'ID                             STATE     EVENTS                          URL                     DESCRIPTION',
      `${ID}  enabled   Image Processed, Image Deleted  http://127.0.0.1:8787/  my CMS`,
      'ep_2                           disabled  every type                      http://127.0.0.1:8787/',
    ]);
    const none = fakeApi(() => ({ items: [] }));
    await listCommand(FLAGS, none.io);
    expect(none.out).toEqual(['No webhook endpoints (image-intel webhooks create --url URL adds one).']);
  });

  it('list --json prints one line per endpoint', async () => {
    const fake = fakeApi(() => ({ items: [ENDPOINT, ENDPOINT] }));
    await listCommand({ ...FLAGS, json: true }, fake.io);
    expect(fake.out.map((line) => JSON.parse(line))).toEqual([ENDPOINT, ENDPOINT]);
  });

  it('get shows why an endpoint is disabled and since when it fails', async () => {
    const fake = fakeApi(() => ({
      ...ENDPOINT,
      enabled: false,
      disabledReason: 'failing since 2026-01-01',
      failingSince: '2026-01-01T00:00:00.000Z',
    }));
    await getCommand(ID, FLAGS, fake.io);
    expect(fake.calls).toEqual([['GET', `/webhooks/${ID}`, undefined]]);
    expect(fake.out).toContain('  state:            disabled (failing since 2026-01-01)');
    expect(fake.out).toContain('  failing since:    2026-01-01T00:00:00.000Z');
  });

  it('update, disable and enable PATCH the fields and print the endpoint as it is now', async () => {
    const fake = fakeApi((_method, _path, body) => ({ ...ENDPOINT, ...(body as object) }));
    await updateCommand(ID, { url: 'https://new.example/' }, FLAGS, fake.io);
    await updateCommand(ID, { enabled: false }, FLAGS, fake.io, 'Disabled');
    expect(fake.calls).toEqual([
      ['PATCH', `/webhooks/${ID}`, { url: 'https://new.example/' }],
      ['PATCH', `/webhooks/${ID}`, { enabled: false }],
    ]);
    expect(fake.out).toContain('  url:              https://new.example/');
    expect(fake.out).toContain(`Disabled ${ID}`);
    expect(fake.out).toContain('  state:            disabled');
  });

  it('delete says what it deleted, and --json says it as JSON', async () => {
    const fake = fakeApi(() => undefined);
    await deleteCommand(ID, FLAGS, fake.io);
    await deleteCommand(ID, { ...FLAGS, json: true }, fake.io);
    expect(fake.calls).toEqual([
      ['DELETE', `/webhooks/${ID}`, undefined],
      ['DELETE', `/webhooks/${ID}`, undefined],
    ]);
    expect(fake.out).toEqual([`Deleted ${ID}`, JSON.stringify({ endpointId: ID, deleted: true })]);
  });

  it('rotate prints the new secret and until when the old one signs', async () => {
    const until = '2026-01-03T03:04:05.000Z';
    const fake = fakeApi(() => ({ endpoint: { ...ENDPOINT, previousSecretExpiresAt: until }, secret: 'whsec_bmV3' }));
    await rotateCommand(ID, FLAGS, fake.io);
    expect(fake.calls).toEqual([['POST', `/webhooks/${ID}/rotate-secret`, undefined]]);
    expect(fake.out).toEqual([
      `Rotated the secret of ${ID}`,
      'New secret (shown this once: keep it where the receiver can verify signatures with it):',
      '  whsec_bmV3',
      `The previous secret also signs until ${until} (two v1 signatures in webhook-signature): move the receiver before then.`,
    ]);
  });

  it('rotate with no overlap says the old secret no longer signs', async () => {
    const fake = fakeApi(() => ({ endpoint: ENDPOINT, secret: 'whsec_bmV3' }));
    await rotateCommand(ID, FLAGS, fake.io);
    expect(fake.out.at(-1)).toBe('The previous secret no longer signs.');
  });

  it('replay sends one delivery or a range, and says what was queued', async () => {
    const fake = fakeApi((_m, _p, body) => ({ queued: 'webhookId' in (body as object) ? 'delivery' : 'range' }));
    await replayCommand(ID, { webhookId: 'msg_1' }, FLAGS, fake.io);
    await replayCommand(ID, { from: 'A', to: 'B' }, { ...FLAGS, json: true }, fake.io);
    expect(fake.calls).toEqual([
      ['POST', `/webhooks/${ID}/replay`, { webhookId: 'msg_1' }],
      ['POST', `/webhooks/${ID}/replay`, { from: 'A', to: 'B' }],
    ]);
    expect(fake.out[0]).toMatch(/^Queued msg_1 again to ep_\S+, with the same webhook-id/);
    expect(JSON.parse(fake.out[1] as string)).toEqual({ queued: 'range' });
  });

  it('replay of a delivery already under way says nothing more was queued', async () => {
    const fake = fakeApi(() => ({ queued: 'already', webhookId: 'msg_1' }));
    await replayCommand(ID, { webhookId: 'msg_1' }, FLAGS, fake.io);
    expect(fake.out[0]).toMatch(/^Not queued again: msg_1 is PENDING, its attempts to ep_\S+ are under way$/);
  });

  it("prints the API's refusal in its words and exits 1", async () => {
    const fake = fakeApi(() => {
      throw new ApiError(400, 'POST /webhooks: 400 url: 10.0.0.1 is a private address');
    });
    await expect(createCommand({ url: 'https://10.0.0.1/' }, FLAGS, fake.io)).resolves.toBe(WEBHOOKS_EXIT.refused);
    expect(fake.err).toEqual(['POST /webhooks: 400 url: 10.0.0.1 is a private address']);
    expect(fake.out).toEqual([]);
  });

  it('says the API cannot be reached and exits 3', async () => {
    const fake = fakeApi(() => {
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    });
    await expect(listCommand(FLAGS, fake.io)).resolves.toBe(WEBHOOKS_EXIT.unreachable);
    expect(fake.err).toEqual(['cannot reach http://localhost:3000: connect ECONNREFUSED 127.0.0.1:3000']);
  });
});

describe('webhooks deliveries', () => {
  const ok = { at: 'x', attempt: 1, ok: true, statusCode: 204, latencyMs: 12 };
  const failed = { at: 'x', attempt: 2, ok: false, statusCode: 500, latencyMs: 3, error: 'HTTP 500' };

  it('prints 25 by default, asking again while a page came short, and says when older ones are left out', async () => {
    const pages = [
      { items: Array.from({ length: 20 }, () => delivery(1, [ok])), cursor: 'msg_20' },
      { items: Array.from({ length: 5 }, () => delivery(1, [ok])), cursor: 'msg_25' },
    ];
    const fake = fakeApi(() => pages.shift());
    await deliveriesCommand(ID, {}, { ...FLAGS, json: true }, fake.io);
    expect(fake.calls.map(([, path]) => path)).toEqual([
      `/webhooks/${ID}/deliveries?limit=25`,
      `/webhooks/${ID}/deliveries?limit=5&cursor=msg_20`,
    ]);
    expect(fake.out).toHaveLength(25);
    expect(fake.err).toEqual(['older deliveries not shown: --limit N or --all for more']);
  });

  it('--all follows the cursor to the end, 100 a page', async () => {
    const pages = [{ items: [delivery(3, [ok]), delivery(2, [ok])], cursor: 'msg_2' }, { items: [delivery(1, [ok])] }];
    const fake = fakeApi(() => pages.shift());
    await deliveriesCommand(ID, { all: true }, { ...FLAGS, json: true }, fake.io);
    expect(fake.calls.map(([, path]) => path)).toEqual([
      `/webhooks/${ID}/deliveries?limit=100`,
      `/webhooks/${ID}/deliveries?limit=100&cursor=msg_2`,
    ]);
    expect(fake.out.map((line) => JSON.parse(line).imageId)).toEqual(['01JIMAGE3', '01JIMAGE2', '01JIMAGE1']);
    expect(fake.err).toEqual([]);
  });

  it('--limit prints no more than asked, even from a longer page', async () => {
    const fake = fakeApi(() => ({ items: [delivery(3, [ok]), delivery(2, [ok]), delivery(1, [ok])] }));
    await deliveriesCommand(ID, { limit: 2 }, { ...FLAGS, json: true }, fake.io);
    expect(fake.calls.map(([, path]) => path)).toEqual([`/webhooks/${ID}/deliveries?limit=2`]);
    expect(fake.out).toHaveLength(2);
  });

  it('prints a table: time, event, image, status, attempts and the last attempt', async () => {
    const fake = fakeApi(() => ({
      items: [
        { ...delivery(2, [failed], 'PENDING'), nextAttemptAt: '2026-01-02T03:05:00.000Z' },
        delivery(1, [failed, { ...ok, attempt: 2 }]),
      ],
    }));
    await deliveriesCommand(ID, {}, FLAGS, fake.io);
    expect(fake.out).toEqual([
      'TIME                  EVENT            IMAGE      STATUS                               ATTEMPTS  LAST ATTEMPT      WEBHOOK-ID',
      `2026-01-02 03:04:02Z  Image Processed  01JIMAGE2  PENDING (next 2026-01-02 03:05:00Z)  1         HTTP 500 in 3 ms  msg_20260102T030402000Z_${'a'.repeat(20)}`,
      `2026-01-02 03:04:01Z  Image Processed  01JIMAGE1  SUCCEEDED                            2         204 in 12 ms      msg_20260102T030401000Z_${'a'.repeat(20)}`,
    ]);
  });

  it('prints the webhook-id replay --delivery takes, and sets the note on older ones apart from the table', async () => {
    const fake = fakeApi(() => ({ items: [delivery(2, [ok]), delivery(1, [ok])], cursor: 'msg_1' }));
    await deliveriesCommand(ID, { limit: 2 }, FLAGS, fake.io);
    const webhookId = fake.out[2]?.split(/ +/).at(-1);
    expect(webhookId).toBe(delivery(1, []).webhookId);
    expect(replayTargetOf({ delivery: webhookId })).toEqual({ webhookId });
    expect(fake.out.at(-1)).toBe('');
    expect(fake.err).toEqual(['older deliveries not shown: --limit N or --all for more']);
  });

  it('says when the log is empty', async () => {
    const fake = fakeApi(() => ({ items: [] }));
    await deliveriesCommand(ID, {}, FLAGS, fake.io);
    expect(fake.out).toEqual([`No deliveries to ${ID} in its log.`]);
  });

  it("names the last attempt's error, or its status, and a replay's", () => {
    expect(lastAttempt({ attempts: [] })).toBe('-');
    expect(lastAttempt({ attempts: [{ ...failed, error: 'timed out after 10 s', statusCode: undefined }] })).toBe(
      'timed out after 10 s in 3 ms',
    );
    expect(lastAttempt({ attempts: [{ ...ok, replay: true }] })).toBe('204 in 12 ms (replay)');
  });

  it('shows an event of no image with a dash', () => {
    const { imageId: _none, ...noImage } = delivery(1, []);
    expect(deliveryTable([noImage])[1]).toMatch(/Image Processed {2}- {6,}SUCCEEDED/);
  });
});
