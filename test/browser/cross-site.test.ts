import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSuite } from './browser';

/**
 * A page elsewhere against the runner in Chromium (issue 55): what it can make the browser send without asking, a
 * `text/plain` POST (`mode: 'no-cors'`), changes nothing, while the web app's own requests from the runner's origin
 * go. The run's shared runner without sign-in (auth none, `npm start`'s default: a page elsewhere has no token to
 * send), where every file is the owner `local`: the checks look only at the webhooks this file names.
 */
// The shared runner's first start loads the offline models.
jest.setTimeout(180_000);

let evil: Server;
let evilUrl = '';

const suite = browserSuite({ profile: 'open' }, async () => {
  // Another origin: 127.0.0.1 on a port of its own, where the runner's pages are on localhost.
  evil = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>elsewhere</title><p>nothing to see</p>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (evil ? evil.close(() => resolve()) : resolve()));
});

/** The descriptions of the owner's webhooks that this file gave (`cross-site: ...`). */
const webhooks = async () => {
  const response = await fetch(`${suite.runner.ready.apiUrl}/webhooks`);
  const { items } = (await response.json()) as { items: Array<{ endpointId: string; description: string }> };
  return items.filter((item) => item.description.startsWith('cross-site: '));
};

it("a page elsewhere cannot register a webhook, empty the trash or sweep it through the user's browser", async () => {
  const page = await suite.browser.newPage();
  const api = suite.runner.ready.apiUrl;
  // The page cannot read the answers; the browser's network can.
  const answered: Array<[string, number]> = [];
  page.on('response', (response) => {
    if (response.url().startsWith(api)) answered.push([new URL(response.url()).pathname, response.status()]);
  });
  try {
    await page.goto(evilUrl);
    const sent = await page.evaluate(async (runner) => {
      const body = JSON.stringify({ url: 'http://127.0.0.1:8787/hook', description: 'cross-site: from elsewhere' });
      const simple = (path: string) =>
        fetch(`${runner}${path}`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body })
          .then((response) => response.type)
          .catch((error: Error) => error.message);
      return Promise.all([simple('/webhooks'), simple('/trash/empty'), simple('/_local/trash/sweep')]);
    }, api);
    // Sent, and answered: an opaque answer the page cannot read.
    expect(sent).toEqual(['opaque', 'opaque', 'opaque']);
    expect(answered.sort()).toEqual([
      ['/_local/trash/sweep', 403],
      ['/trash/empty', 403],
      ['/webhooks', 403],
    ]);
    expect((await webhooks()).map((item) => item.description)).toEqual([]);
  } finally {
    await page.close();
  }
});

it("the web app's own request, from the runner's origin, goes", async () => {
  await suite.page.goto(suite.app());
  // Who the app calls the API as: the open runner's one owner.
  await suite.page.locator('header .who', { hasText: /^No sign-in: everything is owned by local$/ }).waitFor();
  const status = await suite.page.evaluate(async () => {
    const response = await fetch('/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:8787/hook', description: 'cross-site: from the app' }),
    });
    return response.status;
  });
  expect(status).toBe(201);
  const made = await webhooks();
  expect(made.map((item) => item.description)).toEqual(['cross-site: from the app']);
  // Not left to get every other file's events (they are all `local`'s here).
  for (const { endpointId } of made) {
    expect((await fetch(`${suite.runner.ready.apiUrl}/webhooks/${endpointId}`, { method: 'DELETE' })).status).toBe(204);
  }
});
