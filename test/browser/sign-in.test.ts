/// <reference lib="dom" />
/**
 * Signing in to the web app as the runner's auth asks (config.json's `auth`): an API key, or a token from
 * `image-intel token` (the runner's stand-in for Cognito, whose hosted login cannot run offline). Each mode: a wrong
 * secret is refused in words, the right one shows the caller's own images and survives a reload, Sign out forgets it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { openPage, sharedChromium } from './browser';

jest.setTimeout(180_000);

let browser: Browser;
beforeAll(async () => {
  browser = await sharedChromium();
});
afterAll(() => browser?.close());

/**
 * Sign in with `wrong`, then `right`, and find `filename` (the caller's); with `only`, nothing else (where the runner
 * has other callers' images, `filename` names the caller's one upload).
 */
async function signInFlow(
  runner: SharedRunner,
  secrets: { wrong: string; right: string },
  filename: string,
  who: string,
  only: boolean,
) {
  const { context, page, console: watch } = await openPage(browser);
  // The app learns whether the caller is an admin from its answers, never by asking an admin-only route.
  const adminAsked: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/backfills')) adminAsked.push(request.url());
  });
  try {
    await page.goto(runner.ready.webUrl);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const label = runner.ready.auth.mode === 'apikey' ? 'API key' : 'Token';
    const field = page.getByLabel(label, { exact: true });
    await field.fill(secrets.wrong);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /did not accept/ })
      .waitFor();

    await field.fill(secrets.right);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.getByRole('list', { name: 'Images' }).getByRole('link', { name: filename, exact: true });
    await card.waitFor();
    if (only) expect(await page.getByRole('list', { name: 'Images' }).getByRole('link').count()).toBe(1);
    // The header says who the app calls the API as.
    expect(await page.locator('header .who').textContent()).toBe(who);
    // Kept for the session: a reload does not ask again.
    await page.reload();
    await card.waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    // The refused attempt is the only failed request, and no admin route was asked.
    expect(watch.unexpected([/Failed to load resource.*(401|403).*\/images\?limit=1\)$/])).toEqual([]);
    expect(adminAsked).toEqual([]);
  } finally {
    await context.close();
  }
}

describe('signing in to the web app', () => {
  it('with an API key (auth=apikey): refused in words when wrong, kept for the session when right', async () => {
    // The run's shared apikey runner: every file there is its one key's client, so the gallery holds theirs too; this
    // file's upload has a name of its own. That a caller sees only their own images is the token case's to show.
    const runner = await profileRunner('apikey');
    const key = runner.ready.apiKey as string;
    const filename = `${fileUser('kite')}.jpg`;
    await new ImageApiClient(runner.ready.apiUrl, { apiKey: key }).upload(fixture('photos/kite.jpg'), { filename });
    await signInFlow(runner, { wrong: 'not-the-key', right: key }, filename, 'Signed in with an API key', false);
  });

  it("with a token (the runner's --auth jwt): sees only the token's user's images", async () => {
    // The run's shared jwt runner, as users of this file's own: only their images are in the gallery.
    const runner = await profileRunner('jwt');
    const [alice, bob] = await Promise.all([
      runner.token({ user: fileUser('alice') }),
      runner.token({ user: fileUser('bob') }),
    ]);
    await new ImageApiClient(runner.ready.apiUrl, { bearerToken: alice }).upload(fixture('photos/pier.jpg'), {
      filename: 'pier.jpg',
    });
    await new ImageApiClient(runner.ready.apiUrl, { bearerToken: bob }).upload(fixture('photos/kite.jpg'), {
      filename: 'kite.jpg',
    });
    const who = `Signed in as ${fileUser('alice')}`;
    await signInFlow(runner, { wrong: `${alice.slice(0, -4)}AAAA`, right: alice }, 'pier.jpg', who, true);
  });

  it('shows the whole token command, --api and --user included, and it runs as it is copied', async () => {
    const runner = await profileRunner('jwt');
    const { context, page } = await openPage(browser);
    try {
      await page.goto(runner.ready.webUrl);
      const command = await page.getByLabel('Command', { exact: true }).inputValue();
      const api = new URL(runner.ready.webUrl).origin;
      expect(command).toBe(`npx image-intel token --api ${api} --user "$USER"`);
      // Run in a shell from the checkout, as a user pastes it: the token it prints is for $USER, and signs in.
      const user = fileUser('carol');
      const { stdout } = await promisify(execFile)('sh', ['-c', command], {
        cwd: path.join(__dirname, '../..'),
        env: { ...process.env, USER: user },
        // npx's first run in a checkout links and builds the package (tsc, the web app): minutes under a full run.
        timeout: 300_000,
      });
      await page.getByLabel('Token', { exact: true }).fill(stdout.trim());
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('header .who', { hasText: `Signed in as ${user}` }).waitFor();
    } finally {
      await context.close();
    }
  }, 360_000);
});
