import { randomBytes } from 'node:crypto';
import { profileRunner } from '../support/runner-profiles';

/**
 * `npm start` with auth none (the shared `open` runner: a page has no token to send, so it is the mode a page
 * elsewhere can use) against what a page elsewhere can make a browser send: a "simple" request (text/plain, no
 * preflight) with that page's `Origin`. Every file there is the owner `local`: the endpoints this file looks for
 * carry a description of its own.
 */
let api: string;

beforeAll(async () => {
  api = (await profileRunner('open')).ready.apiUrl;
}, 240_000);
// The shared runner delivers local's events: no endpoint of this file's (on a port no one listens on) outlives it.
afterAll(async () => {
  for (const { endpointId } of mine(await send('GET', '/webhooks', {})) as { endpointId: string }[]) {
    expect((await send('DELETE', `/webhooks/${endpointId}`, {})).status).toBe(204);
  }
});

const EVIL = 'https://evil.example';
/** What `fetch(url, {method: 'POST', mode: 'no-cors', body})` on a page at `origin` sends. */
const simple = (origin: string) => ({
  origin,
  'content-type': 'text/plain;charset=UTF-8',
  'sec-fetch-site': 'cross-site',
});

async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(`${api}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const DESCRIPTION = `cross-site-${randomBytes(4).toString('hex')}`;
const webhook = JSON.stringify({ url: 'http://127.0.0.1:8787/hook', description: DESCRIPTION });
/** The endpoints of `local` this file made (the webhook above). */
const mine = (listed: { json?: Record<string, unknown> }) =>
  ((listed.json?.items ?? []) as { description?: string; endpointId?: string }[]).filter(
    (item) => item.description === DESCRIPTION,
  );

describe('the runner refuses a page elsewhere', () => {
  it.each([
    ['POST', '/webhooks', webhook],
    ['POST', '/trash/empty', undefined],
    ['POST', '/backfills', JSON.stringify({ bucket: 'anything' })],
    ['POST', '/people/a/merge', JSON.stringify({ personIds: ['b'] })],
    ['POST', '/_local/trash/sweep', '{}'],
  ])('%s %s from another origin, text/plain: 403 before any handler', async (method, path, body) => {
    const answer = await send(method, path, simple(EVIL), body);
    expect(answer.status).toBe(403);
    expect(answer.json?.message).toMatch(
      /^Origin "https:\/\/evil\.example": the local runner takes .* only from its own pages/,
    );
  });

  it('a cross-site page whose browser sent no Origin (Sec-Fetch-Site only)', async () => {
    const answer = await send(
      'POST',
      '/webhooks',
      { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      webhook,
    );
    expect(answer.status).toBe(403);
    expect(answer.json?.message).toMatch(/^a cross-site page \(Sec-Fetch-Site\)/);
  });

  it("another port of localhost (another origin, the same site), and reading the runner's outputs", async () => {
    const other = { ...simple('http://localhost:1'), 'sec-fetch-site': 'same-site' };
    expect((await send('POST', '/webhooks', other, webhook)).status).toBe(403);
    expect((await send('GET', '/_local/outputs', { origin: EVIL })).status).toBe(403);
  });

  it('left nothing behind: no endpoint was registered', async () => {
    const listed = await send('GET', '/webhooks', {});
    expect(listed.status).toBe(200);
    expect(mine(listed)).toEqual([]);
  });
});

describe("the runner's own pages and clients that are not browsers", () => {
  it("the web app's request, from the runner's origin as JSON, is served", async () => {
    const origin = new URL(api).origin;
    const made = await send(
      'POST',
      '/webhooks',
      { origin, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      webhook,
    );
    expect(made.status).toBe(201);
    const listed = await send('GET', '/webhooks', { origin });
    expect(mine(listed)).toEqual([expect.objectContaining({ description: DESCRIPTION })]);
    const outputs = await send('GET', '/_local/outputs', { origin, 'sec-fetch-site': 'same-origin' });
    expect(outputs.status).toBe(200);
  });

  it('a JSON body sent as text/plain without an Origin (curl) is refused as the deployed API refuses it: 415', async () => {
    const answer = await send('POST', '/webhooks', { 'content-type': 'text/plain' }, webhook);
    expect(answer).toEqual({
      status: 415,
      json: { message: 'content-type: text/plain; the body must be sent as application/json' },
    });
  });
});
