/// <reference lib="dom" />
/**
 * Albums and share links in the web app (issue 61), in headless Chromium against the shared jwt runner: an album made
 * from the gallery's selection (each photo's page lists it), shared with a password; the link opened in a fresh
 * browser context with no sign-in (no redirect to sign in, no credential sent), a wrong password refused, the right one
 * showing exactly the two photos, one opened large, with no download offered; the page asks not to be indexed and
 * sends no referrer; revoked in Shared links, the link then says it no longer exists. What the API answers (no GPS,
 * another owner's album, an altered or expired token, the throttle) is the API's: test/e2e.
 */
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite, type ConsoleWatch, openPage } from './browser';
import { uploadProcessed } from './seed';

jest.setTimeout(240_000);

const PHOTOS = ['photos/kite.jpg', 'photos/pier.jpg', 'photos/boats.jpg'];
const ALBUM = 'Seaside';
const PASSWORD = 'correct horse battery';

let api: ImageApiClient;
const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  api = started.api();
  const uploaded = await uploadProcessed(
    api,
    PHOTOS.map((file) => [path.basename(file), fixture(file)]),
  );
  for (const [name, id] of uploaded) ids.set(name, id);
});
const idOf = (name: string) => ids.get(name) as string;
let link = '';

/** A page of a fresh context (no storage, no token: not signed in), and every request it sends. */
async function visitor(): Promise<{ page: Page; console: ConsoleWatch; sent: Request[]; close: () => Promise<void> }> {
  const { context, page, console } = await openPage(suite.browser);
  const sent: Request[] = [];
  page.on('request', (request) => sent.push(request));
  return { page, console, sent, close: () => context.close() };
}

describe('albums and share links', () => {
  it('makes an album of the gallery’s selection, which the Albums page and the album’s page show', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    for (const name of ['kite.jpg', 'pier.jpg']) {
      await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
    }
    const selection = page.getByRole('region', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Add to album…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add 2 images to an album' });
    await dialog.getByRole('combobox', { name: 'Album' }).selectOption({ label: 'New album…' });
    await dialog.getByRole('textbox', { name: 'New album’s name' }).fill(ALBUM);
    await dialog.getByRole('button', { name: 'Add 2 images' }).click();
    await selection
      .getByRole('status')
      .filter({ hasText: `Added 2 to ${ALBUM}: it holds 2 photos.` })
      .waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Albums' }).click();
    await page.getByRole('heading', { level: 1, name: 'Albums' }).waitFor();
    await page
      .getByRole('list', { name: 'Albums' })
      .getByRole('link', { name: `${ALBUM}, 2 photos` })
      .click();
    await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
    const photos = page.getByRole('list', { name: 'Photos' });
    await photos.getByRole('link', { name: 'kite.jpg', exact: true }).waitFor();
    expect(
      (
        await photos.locator('li.card').evaluateAll((items) => items.map((li) => li.getAttribute('data-image-id')))
      ).sort(),
    ).toEqual([idOf('kite.jpg'), idOf('pier.jpg')].sort());
  });

  it("lists the album on each photo's page, linking to it; a photo in none says so", async () => {
    const { page } = suite;
    await page.goto(suite.app(`images/${idOf('pier.jpg')}`));
    const albums = page.getByRole('region', { name: 'Albums' });
    await albums.getByRole('list', { name: 'In albums' }).getByRole('link', { name: ALBUM }).waitFor();
    await page.goto(suite.app(`images/${idOf('boats.jpg')}`));
    await page.getByRole('region', { name: 'Albums' }).getByText('In no album').waitFor();
    await page.goto(suite.app(`images/${idOf('kite.jpg')}`));
    await page.getByRole('region', { name: 'Albums' }).getByRole('link', { name: ALBUM }).click();
    await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
  });

  it('shares it with a password; a fresh browser, not signed in, opens the link with it and sees exactly the two photos', async () => {
    const { page } = suite;
    await page.getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog', { name: `Share “${ALBUM}”` });
    await dialog.getByRole('combobox', { name: 'Link expires' }).selectOption({ label: 'In a week' });
    await dialog.getByLabel('Password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const field = dialog.getByRole('textbox', { name: 'Link' });
    await field.waitFor();
    link = await field.inputValue();
    // The token after `#`, which the browser sends to no server: the web app's logs see `/app/shared` alone.
    expect(link).toMatch(new RegExp(`^${suite.app('shared')}#[A-Za-z0-9_-]{43}$`));
    await dialog.getByRole('note').filter({ hasText: 'Copy the link now: it is shown only this once.' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const visit = await visitor();
    try {
      const answer = await visit.page.goto(link);
      // The app's headers, and the page's own: not to be indexed, no referrer (the token is in its URL).
      expect(answer?.headers()).toMatchObject({
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex, nofollow',
      });
      await visit.page.getByRole('heading', { level: 1, name: 'This link is protected' }).waitFor();
      const meta = (name: string) =>
        visit.page.evaluate((n) => document.querySelector(`meta[name="${n}"]`)?.getAttribute('content'), name);
      expect([await meta('robots'), await meta('referrer')]).toEqual(['noindex', 'no-referrer']);
      expect(await visit.page.getByRole('heading', { name: 'Sign in' }).count()).toBe(0);

      const password = visit.page.getByLabel('Password', { exact: true });
      await password.fill('not the password');
      await visit.page.getByRole('button', { name: 'Open' }).click();
      await visit.page.getByRole('alert').filter({ hasText: 'That is not the password of this link.' }).waitFor();
      await password.fill(PASSWORD);
      await visit.page.getByRole('button', { name: 'Open' }).click();
      await visit.page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
      const grid = visit.page.getByRole('list', { name: 'Photos' });
      await grid.getByRole('button', { name: 'Photo 2 of 2 photos' }).waitFor();
      // Each photo by the link's id for it, never its image id (whose first characters are its upload time).
      const shown = await grid
        .locator('li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-photo-id')));
      expect(shown).toHaveLength(2);
      for (const id of shown) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(await visit.page.content()).not.toContain(idOf('kite.jpg'));
      // Each thumbnail loads (a signed rendition).
      await visit.page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('ul[aria-label="Photos"] img')].every(
          (img) => img.complete && img.naturalWidth > 0,
        ),
      );

      // One opened large; no download, which the owner did not allow.
      await grid.getByRole('button', { name: 'Photo 1 of 2 photos' }).click();
      const viewer = visit.page.getByRole('dialog', { name: 'Photo 1 of 2' });
      await viewer.getByRole('img', { name: 'Photo 1 of 2' }).waitFor();
      await visit.page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('.photo-viewer img');
        return Boolean(img?.complete && img.naturalWidth > 0);
      });
      // Large: it fills the screen's width or height (a photo loaded but drawn at no size would pass the wait above).
      const box = await viewer.getByRole('img', { name: 'Photo 1 of 2' }).boundingBox();
      expect(box && (box.width >= 1000 || box.height >= 600)).toBe(true);
      expect(await viewer.getByRole('link', { name: 'Download original' }).count()).toBe(0);
      await viewer.getByRole('button', { name: 'Next photo' }).click();
      await visit.page.getByRole('dialog', { name: 'Photo 2 of 2' }).waitFor();
      await visit.page.keyboard.press('Escape');
      await visit.page.getByRole('dialog').waitFor({ state: 'detached' });

      // Signed out throughout: no credential sent, nothing asked of the owner's API but the link.
      const apiCalls = visit.sent.filter((request) => request.url().startsWith(suite.runner.ready.apiUrl));
      expect(apiCalls.filter((request) => request.headers().authorization !== undefined)).toEqual([]);
      const asked = apiCalls.map((request) => new URL(request.url()).pathname);
      const token = link.split('#')[1] as string;
      // The token in a header, in no URL: `/shared/-`.
      expect(asked).toContain('/shared/-');
      for (const request of apiCalls) expect(request.url()).not.toContain(token);
      // What the web app was asked for never held the token: the page is `/app/shared`, its files their own.
      const appCalls = visit.sent.filter((request) => request.url().startsWith(suite.app()));
      expect(appCalls.map((request) => request.url())).toContain(suite.app('shared'));
      for (const request of appCalls) expect(request.url()).not.toContain(token);
      expect(asked.filter((p) => /^\/(images|albums|shares|uploads|people|places)(\/|$)/.test(p))).toEqual([]);
      // The wrong password's 401 (and the first, asking for one) are the only failed requests.
      expect(visit.console.unexpected([/Failed to load resource.*401/])).toEqual([]);
    } finally {
      await visit.close();
    }
  });

  it('lists a photo’s link by its file name, with its thumbnail', async () => {
    const { page } = suite;
    await api.call('POST', `/images/${idOf('boats.jpg')}/shares`, {});
    await page.goto(suite.app('shares'));
    const row = page.getByRole('list', { name: 'Links' }).getByRole('listitem', { name: 'Photo “boats.jpg”' });
    await row.getByRole('link', { name: 'Photo “boats.jpg”' }).waitFor();
    const thumbnail = row.locator('img.share-thumb');
    expect((await thumbnail.getAttribute('src'))?.startsWith(suite.runner.ready.endpoint)).toBe(true);
    expect(
      await thumbnail.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)),
    ).toBeGreaterThan(0);
  });

  it('revokes the link in Shared links, with its views; the link then says it no longer exists', async () => {
    const { page } = suite;
    await page.goto(suite.app('shares'));
    const row = page.getByRole('list', { name: 'Links' }).getByRole('listitem', { name: `Album “${ALBUM}”` });
    await row.getByText(/^1 view · password · no download/).waitFor();
    // Listed by its id, never with its URL: the link was shown once, when it was made.
    expect(await row.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('list', { name: 'Links' }).textContent()).not.toContain(link.split('#')[1]);
    await row.getByRole('button', { name: `Revoke the link to Album “${ALBUM}”` }).click();
    await row.getByText(/^Revoked/).waitFor();
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);

    const visit = await visitor();
    try {
      // As a link of an older version had it, the token in the path: it opens too, shown with the token after `#`.
      const token = link.split('#')[1] as string;
      await visit.page.goto(`${suite.app('shared')}/${token}`);
      await visit.page.getByRole('heading', { level: 1, name: 'This link no longer exists' }).waitFor();
      expect(visit.page.url()).toBe(link);
      await visit.page.goto(link);
      await visit.page.getByRole('heading', { level: 1, name: 'This link no longer exists' }).waitFor();
      expect(await visit.page.getByRole('list', { name: 'Photos' }).count()).toBe(0);
      expect(visit.console.unexpected([/Failed to load resource.*410/])).toEqual([]);
    } finally {
      await visit.close();
    }
  });
});
