import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSuite } from './browser';

/**
 * A page elsewhere against the runner in Chromium (issue 55): what it can make the browser send without asking, a
 * `text/plain` POST (`mode: 'no-cors'`), changes nothing, while the web app's own requests from the runner's origin
 * go. Its own runner: auth none, `npm start`'s default, is no shared profile's (a page has no token to send them).
 */
let evil: Server;
let evilUrl = '';

const suite = browserSuite({ args: ['--inference', 'none', '--no-processor'] }, async () => {
  // Another origin: 127.0.0.1 on a port of its own, where the runner's pages are on localhost.
  evil = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>elsewhere</title><p>nothing to see</p>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => evil?.close(resolve));
});

const webhooks = async () => {
  const response = await fetch(`${suite.runner.ready.apiUrl}/webhooks`);
  return ((await response.json()) as { items: Array<{ description: string }> }).items.map((item) => item.description);
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
      const body = JSON.stringify({ url: 'http://127.0.0.1:8787/hook', description: 'from elsewhere' });
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
    expect(await webhooks()).toEqual([]);
  } finally {
    await page.close();
  }
});

it("the web app's own request, from the runner's origin, goes", async () => {
  await suite.page.goto(suite.app());
  const status = await suite.page.evaluate(async () => {
    const response = await fetch('/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://127.0.0.1:8787/hook', description: 'from the app' }),
    });
    return response.status;
  });
  expect(status).toBe(201);
  expect(await webhooks()).toEqual(['from the app']);
});
