/// <reference lib="dom" />
/**
 * The web app's Webhooks pages (issue 42) in headless Chromium against the local runner, which delivers over loopback:
 * an endpoint added on a receiver this test runs (node:http on 127.0.0.1) shows its secret once; an upload's
 * `Image Processed` reaches the receiver and shows in the endpoint's delivery log as succeeded with the receiver's
 * status and answer; a replay re-sends it with the same `webhook-id` and the log shows the second attempt; a URL the
 * API refuses (a private address) shows the 400's reason; editing an endpoint sends only what changed and shows it,
 * and a refused new URL shows the 400's reason; disabling, enabling and deleting work; both pages fit a phone; the
 * add form offers every owner's events to an admin only. What the receiver gets (signatures, the same `webhook-id` on
 * a replay, a range replayed) is the API's, test/e2e/webhooks.test.ts.
 *
 * `UPDATE_DOCS=1` (npm run docs:web) writes its screenshots in docs/ (web-webhooks.png); otherwise they go to a
 * temporary directory.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const SHOTS =
  process.env.UPDATE_DOCS === '1'
    ? path.join(__dirname, '../../docs')
    : mkdtempSync(path.join(tmpdir(), 'web-webhooks-shots-'));

/** What the receiver answers each delivery with: a 200 and a body, so the log has an excerpt to show. */
const ANSWER = 'thanks from the test receiver';

let receiver: Server;
let receiverUrl = '';
let imageId = '';

// The shared jwt runner (inference none, which processes the one photo in well under a second; loopback receivers on
// any port), as a user of this file's own: the endpoints and deliveries shown are that user's.
const suite = browserSuite({ profile: 'jwt' }, async () => {
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(ANSWER);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

const page = () => suite.page;
const endpoints = () => page().getByRole('list', { name: 'Endpoints' });
const deliveries = () => page().getByRole('table', { name: 'Deliveries' });
/** The delivery log's row of the upload's Image Processed. */
const processedRow = () =>
  deliveries().getByRole('row').filter({ hasText: imageId }).filter({ hasText: 'Image Processed' });

/** Click the log's Refresh until `row` is there with `text` (the page reads the log again on its own only while
 * something is pending). */
async function refreshUntil(text: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await processedRow().count()) || !text.test((await processedRow().textContent()) ?? '')) {
    if (Date.now() > deadline) throw new Error(`the log never showed ${text}: ${await deliveries().textContent()}`);
    await page().getByRole('button', { name: 'Refresh' }).click();
    await page().waitForTimeout(500);
  }
}

async function openEndpoint(): Promise<void> {
  await page().goto(suite.app('webhooks'));
  await endpoints().getByRole('link', { name: receiverUrl }).click();
  await page().getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
}

describe('webhooks in the web app', () => {
  it('adds an endpoint from the main menu and shows its secret once, with a copy button', async () => {
    await page()
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.app()).origin });
    await page().goto(suite.app());
    await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page().getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page().getByText('No endpoint yet').waitFor();

    const form = page().getByRole('form', { name: 'Add an endpoint' });
    await form.getByRole('textbox', { name: 'URL' }).fill(receiverUrl);
    await form.getByRole('textbox', { name: 'Description' }).fill('the browser test');
    await form.getByRole('checkbox', { name: /^Image Processed/ }).check();
    // Every owner's events are an admin's to ask for.
    expect(await form.getByRole('checkbox', { name: /^Every owner’s events/ }).count()).toBe(0);
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    const secretBox = page().getByRole('region', { name: 'The new endpoint’s secret' });
    await secretBox.waitFor();
    // Focus lands on it, so a keyboard or screen reader user does not miss it.
    expect(await page().evaluate(() => document.activeElement?.id)).toBe('webhook-secret-title');
    expect(await secretBox.textContent()).toMatch(/Shown once/);
    const secret = await secretBox.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await secretBox.getByRole('button', { name: 'Copy secret' }).click();
    await secretBox.getByRole('status').filter({ hasText: 'Copied.' }).waitFor();
    expect(await page().evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const item = endpoints().getByRole('listitem').filter({ hasText: receiverUrl });
    await item.getByRole('link', { name: receiverUrl }).waitFor();
    expect(await item.textContent()).toMatch(/Enabled.*the browser test.*Image Processed/);

    // Once: gone when dismissed, and not there after a reload either.
    await secretBox.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page().getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
    await page().reload();
    await endpoints().getByRole('link', { name: receiverUrl }).waitFor();
    expect(await page().getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
  });

  it('refuses a URL on a private address, saying why the API refused it', async () => {
    suite.expectErrors(/Failed to load resource.*400/);
    await page().goto(suite.app('webhooks'));
    const form = page().getByRole('form', { name: 'Add an endpoint' });
    const url = form.getByRole('textbox', { name: 'URL' });
    await url.fill('http://10.0.0.1/');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Not added: .*10\.0\.0\.1 is a private address/);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    // The list loads beside the form: wait for it before counting what it holds.
    await endpoints().getByRole('link', { name: receiverUrl }).waitFor();
    expect(await endpoints().getByRole('listitem').count()).toBe(1);
  });

  it('edits an endpoint’s description and event types, sending only those, and shows them', async () => {
    await openEndpoint();
    await page().getByRole('button', { name: 'Edit' }).click();
    const form = page().getByRole('form', { name: 'Edit the endpoint' });
    expect(await form.getByRole('textbox', { name: 'URL' }).inputValue()).toBe(receiverUrl);
    expect(await form.getByRole('checkbox', { name: /^Image Processed/ }).isChecked()).toBe(true);
    await form.getByRole('textbox', { name: 'Description' }).fill('edited by the browser test');
    await form.getByRole('checkbox', { name: /^Image Deleted/ }).check();

    const patch = page().waitForRequest((request) => request.method() === 'PATCH');
    await form.getByRole('button', { name: 'Save changes' }).click();
    expect((await patch).postDataJSON()).toEqual({
      description: 'edited by the browser test',
      eventTypes: ['Image Processed', 'Image Deleted'],
    });
    await page().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await form.count()).toBe(0);
    const facts = await page().getByRole('definition').allTextContents();
    expect(facts).toContain('edited by the browser test');
    expect(facts).toContain('Image Processed, Image Deleted');

    // And so it is when read again.
    await page().reload();
    await page().getByRole('definition').filter({ hasText: 'edited by the browser test' }).waitFor();
    await page().getByRole('definition').filter({ hasText: 'Image Processed, Image Deleted' }).waitFor();
  });

  it('refuses a new URL on a private address at the edit form, saying why, and keeps the old one', async () => {
    suite.expectErrors(/Failed to load resource.*400/);
    await openEndpoint();
    await page().getByRole('button', { name: 'Edit' }).click();
    const form = page().getByRole('form', { name: 'Edit the endpoint' });
    const url = form.getByRole('textbox', { name: 'URL' });
    await url.fill('http://10.0.0.1/');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Not saved: .*10\.0\.0\.1 is a private address/);
    expect(await url.getAttribute('aria-invalid')).toBe('true');

    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(await form.count()).toBe(0);
    await page().reload();
    await page().getByRole('heading', { level: 1, name: 'Webhook endpoint' }).waitFor();
    await page().locator('code', { hasText: receiverUrl }).first().waitFor();
    expect(await page().getByText('10.0.0.1').count()).toBe(0);
  });

  it('shows an upload’s Image Processed in the delivery log as succeeded, with the answer and the payload', async () => {
    imageId = await suite.api().upload(fixture('photos/kite.jpg'), { filename: 'kite.jpg' });
    expect((await suite.api().waitForFinal(imageId, 60_000)).status).toBe('PROCESSED');

    await openEndpoint();
    await refreshUntil(/Succeeded/);
    const row = processedRow();
    expect(await row.textContent()).toMatch(/Succeeded.*Attempt 1: 200 in \d+ ms/);
    expect(await row.getByRole('link', { name: imageId }).getAttribute('href')).toMatch(
      new RegExp(`/app/images/${imageId}$`),
    );

    // The details open from the keyboard.
    const details = row.getByRole('button', { name: /^Details/ });
    await details.focus();
    await page().keyboard.press('Enter');
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    const detail = page().locator(`#${await details.getAttribute('aria-controls')}`);
    expect(await detail.textContent()).toContain(ANSWER);
    expect(await detail.textContent()).toContain(`"imageId": "${imageId}"`);
  });

  it('replays a delivery with the same webhook-id, and the log shows the second attempt', async () => {
    await openEndpoint();
    await refreshUntil(/Succeeded/);
    await processedRow()
      .getByRole('button', { name: /^Replay the Image Processed/ })
      .click();
    await page().getByRole('status').filter({ hasText: 'Replay of the Image Processed' }).waitFor();
    await refreshUntil(/Attempt 1 \(replay\): 200/);
    expect(await processedRow().textContent()).toMatch(/Attempt 1: 200.*Attempt 1 \(replay\): 200/);
    await processedRow()
      .getByRole('button', { name: /^Details/ })
      .click();
    await page().screenshot({ path: path.join(SHOTS, 'web-webhooks.png'), fullPage: true });
  });

  it('replays a time range', async () => {
    await openEndpoint();
    const form = page().getByRole('form', { name: 'Replay a time range' });
    await form.getByRole('button', { name: 'Replay range' }).click();
    await form.getByRole('status').filter({ hasText: 'Queued' }).waitFor();
  });

  it('rotates the secret: the new one shown once, and until when the old one still signs', async () => {
    await openEndpoint();
    await page().getByRole('button', { name: 'Rotate secret' }).click();
    const secretBox = page().getByRole('region', { name: 'The new secret' });
    await secretBox.waitFor();
    expect(await secretBox.textContent()).toMatch(
      /Shown once.*The previous secret keeps signing beside this one until/,
    );
    const secret = await secretBox.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page().getByRole('term').filter({ hasText: 'Previous secret' }).waitFor();
    await secretBox.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page().getByRole('textbox', { name: 'Signing secret' }).count()).toBe(0);
  });

  it('fits a 375 px wide screen: the Webhooks page and an endpoint’s page scroll only down', async () => {
    const narrow = await suite.open({ width: 375, height: 812 });
    try {
      await narrow.page.goto(suite.app('webhooks'));
      const link = narrow.page.getByRole('list', { name: 'Endpoints' }).getByRole('link', { name: receiverUrl });
      await link.waitFor();
      const widths = [await narrow.page.evaluate(() => document.documentElement.scrollWidth)];
      await link.click();
      await narrow.page.getByRole('table', { name: 'Deliveries' }).waitFor();
      widths.push(await narrow.page.evaluate(() => document.documentElement.scrollWidth));
      await narrow.page.screenshot({ path: path.join(SHOTS, 'web-webhooks-phone.png'), fullPage: true });
      expect(widths).toEqual([375, 375]);
      expect(narrow.console.unexpected()).toEqual([]);
    } finally {
      await narrow.context.close();
    }
  });

  it('disables an endpoint (a replay is then refused, saying why), enables it again, and deletes it', async () => {
    suite.expectErrors(/Failed to load resource.*409/);
    await openEndpoint();
    await page().getByRole('button', { name: 'Disable' }).click();
    await page().getByText('Disabled: disabled by its owner').waitFor();
    await refreshUntil(/Succeeded/);
    await processedRow()
      .getByRole('button', { name: /^Replay/ })
      .click();
    const refused = page().getByRole('alert').filter({ hasText: 'Not replayed' });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/enable/i);

    await page().getByRole('button', { name: 'Enable' }).click();
    await page().getByRole('button', { name: 'Disable' }).waitFor();
    expect(await page().getByText('Disabled: disabled by its owner').count()).toBe(0);

    await page().getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: 'Delete this endpoint?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete endpoint' }).click();
    await page().getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page().getByText('No endpoint yet').waitFor();
  });

  it('offers an admin an endpoint that gets every owner’s events', async () => {
    const token = await suite.tokenAs({ user: 'root', admin: true });
    const admin = await suite.openAs({ user: 'root', admin: true });
    let endpointId: string | undefined;
    try {
      await admin.page.goto(suite.app('webhooks'));
      const form = admin.page.getByRole('form', { name: 'Add an endpoint' });
      await form.getByRole('textbox', { name: 'URL' }).fill(receiverUrl);
      await form.getByRole('checkbox', { name: /^Every owner’s events/ }).check();
      const made = admin.page.waitForResponse((answer) => answer.request().method() === 'POST');
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const answer = await made;
      endpointId = ((await answer.json()) as { endpointId: string }).endpointId;
      expect(answer.request().postDataJSON()).toMatchObject({ url: receiverUrl, allOwners: true });
      await admin.page.getByRole('region', { name: 'The new endpoint’s secret' }).waitFor();
      // An admin's list has every admin's endpoints for every owner: this one is the one on this file's receiver.
      const item = admin.page
        .getByRole('list', { name: 'Endpoints' })
        .getByRole('listitem')
        .filter({ hasText: receiverUrl });
      await item.filter({ hasText: 'every owner’s events' }).waitFor();
      expect(await form.getByRole('checkbox', { name: /^Every owner’s events/ }).isChecked()).toBe(false);
      expect(admin.console.unexpected()).toEqual([]);
    } finally {
      await admin.context.close();
      // It would get every other file's events on the shared runner, to a receiver about to close.
      if (endpointId)
        await new ImageApiClient(suite.runner.ready.apiUrl, { bearerToken: token }).call(
          'DELETE',
          `/webhooks/${endpointId}`,
        );
    }
  });
});
