/// <reference lib="dom" />
/**
 * The locked folder in the web app (issue 80), in headless Chromium against the shared jwt runner: alice locks a photo
 * from its page, setting her PIN on the way; it leaves her gallery, the album's share link page and its own link's;
 * the Locked page asks the PIN (a wrong one refused, then throttled with the wait said), shows the photo with the
 * right one and opens its page; the token is in memory only (a reload asks again, and so does signing out and in);
 * whether a PIN is set is the API's answer (a new sign-in in a fresh browser knows it); Unlock puts it back in the
 * gallery. What the API answers (each read path, the token's expiry, renditions) is the API's: test/e2e.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite, openPage } from './browser';
import { uploadProcessed } from './seed';

jest.setTimeout(240_000);

const PHOTOS = ['photos/kite.jpg', 'photos/pier.jpg'];
const ALBUM = 'Kites';
const PIN = '2468';

let api: ImageApiClient;
const ids = new Map<string, string>();
const links = { album: '', photo: '' };
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  api = started.api();
  const uploaded = await uploadProcessed(
    api,
    PHOTOS.map((file) => [path.basename(file), fixture(file)]),
  );
  for (const [name, id] of uploaded) ids.set(name, id);
  const album = (await api.call('POST', '/albums', { name: ALBUM })) as { albumId: string };
  await api.call('POST', `/albums/${album.albumId}/images`, { imageIds: [...ids.values()] });
  links.album = ((await api.call('POST', `/albums/${album.albumId}/shares`, {})) as { url: string }).url;
  links.photo = ((await api.call('POST', `/images/${idOf('kite.jpg')}/shares`, {})) as { url: string }).url;
});
const idOf = (name: string) => ids.get(name) as string;

/** The gallery's photos, once it has loaded (pier.jpg is not locked until the last test). */
async function galleryNames(page: Page): Promise<string[]> {
  await page.goto(suite.app());
  await page.getByRole('checkbox', { name: 'Select pier.jpg', exact: true }).waitFor();
  return galleryNamesHere(page);
}

async function galleryNamesHere(page: Page): Promise<string[]> {
  await page.locator('label.pick').first().waitFor();
  const names = await page.locator('label:has(input[type=checkbox]) .visually-hidden').allTextContents();
  return names.filter((name) => name.startsWith('Select ')).map((name) => name.replace(/^Select /, ''));
}

/** The share link page in a fresh context, not signed in. */
async function visit<T>(link: string, look: (page: Page) => Promise<T>): Promise<T> {
  const { context, page, console } = await openPage(suite.browser);
  try {
    await page.goto(link);
    const seen = await look(page);
    expect(console.unexpected([/Failed to load resource.*410/])).toEqual([]);
    return seen;
  } finally {
    await context.close();
  }
}

describe('the locked folder', () => {
  it('shows the album and the photo on their links before the lock', async () => {
    await visit(links.album, async (page) => {
      await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
      await page.getByRole('button', { name: 'Photo 2 of 2 photos' }).waitFor();
    });
    expect(await galleryNames(suite.page)).toEqual(expect.arrayContaining(['kite.jpg', 'pier.jpg']));
  });

  it('locks a photo from its page, setting the PIN first, after saying where it goes out of', async () => {
    const { page } = suite;
    await page.goto(suite.app(`images/${idOf('kite.jpg')}`));
    await page.getByRole('button', { name: 'Lock…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move kite.jpg to the locked folder?' });
    await dialog.getByText('It leaves the timeline, albums, search and share links').waitFor();
    await dialog.getByLabel('New PIN').fill(PIN);
    await dialog.getByLabel('The PIN again').fill('1357');
    await dialog.getByRole('button', { name: 'Set the PIN and lock' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'The two PINs differ' }).waitFor();
    await dialog.getByLabel('The PIN again').fill(PIN);
    await dialog.getByRole('button', { name: 'Set the PIN and lock' }).click();
    await page.waitForURL((url) => !url.pathname.includes('/images/'));
    expect(await api.call('GET', `/images/${idOf('kite.jpg')}`).catch((error: Error) => error.message)).toMatch(
      /locked/,
    );
  });

  it('leaves the gallery, the album’s link page and the photo’s own link', async () => {
    expect(await galleryNames(suite.page)).toEqual(['pier.jpg']);
    const shown = await visit(links.album, async (page) => {
      await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
      await page.getByRole('button', { name: 'Photo 1 of 1 photo' }).waitFor();
      return page.getByRole('list', { name: 'Photos' }).locator('li').count();
    });
    expect(shown).toBe(1);
    await visit(links.photo, async (page) => {
      await page.getByRole('heading', { level: 1, name: 'This photo is no longer shared' }).waitFor();
    });
  });

  it('asks the PIN on the Locked page: a wrong one is refused, the right one shows the photo and opens it', async () => {
    const { page } = suite;
    suite.expectErrors(/Failed to load resource.*403/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locked' }).click();
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    const pin = page.getByLabel('PIN', { exact: true });
    await pin.fill('9999');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('alert').filter({ hasText: 'That is not your PIN.' }).waitFor();
    expect(await page.getByRole('list', { name: 'Locked photos' }).count()).toBe(0);

    await pin.fill(PIN);
    const unlocked = page.waitForResponse((response) => response.url().endsWith('/locked/unlock'));
    await page.getByRole('button', { name: 'Open' }).click();
    const { token } = (await (await unlocked).json()) as { token: string };
    const folder = page.getByRole('list', { name: 'Locked photos' });
    await folder.getByRole('link', { name: 'kite.jpg', exact: true }).waitFor();
    expect(await folder.locator('li').count()).toBe(1);
    // In memory only: neither storage holds the token.
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
    expect(stored).not.toContain(token);

    // Its page opens with the token, and offers the way out.
    await folder.getByRole('link', { name: 'kite.jpg', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'kite.jpg' }).waitFor();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();

    // A reload forgets it: the page asks again, and the photo's page says where it is.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'In the locked folder' }).waitFor();
    await page.goto(suite.app('locked'));
    await page.getByLabel('PIN', { exact: true }).waitFor();
    expect(await page.getByRole('list', { name: 'Locked photos' }).count()).toBe(0);
  });

  it('unlocks the photo from the Locked page: it is back in the gallery and on the album’s link', async () => {
    const { page } = suite;
    await page.goto(suite.app('locked'));
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Open' }).click();
    const folder = page.getByRole('list', { name: 'Locked photos' });
    await folder.getByRole('checkbox', { name: 'Select kite.jpg' }).check();
    await page.getByRole('button', { name: 'Unlock 1 selected' }).click();
    await page.getByRole('status').filter({ hasText: 'kite.jpg is out of the locked folder' }).waitFor();
    await page.getByText('The locked folder is empty.').waitFor();
    // The runner's tokens live 20 s (unlockTokenTtlSeconds): at `expiresAt` the page shuts and asks again.
    await page.getByLabel('PIN', { exact: true }).waitFor({ timeout: 40_000 });
    expect(await page.getByRole('list', { name: 'Locked photos' }).count()).toBe(0);
    expect((await galleryNames(page)).sort()).toEqual(['kite.jpg', 'pier.jpg']);
    await visit(links.album, async (shared) => {
      await shared.getByRole('button', { name: 'Photo 2 of 2 photos' }).waitFor();
    });
  });

  it('knows the PIN is set from the API in a new sign-in; signing out shuts the folder, and asks the PIN again', async () => {
    // Another sign-in of alice's in a fresh browser: its storage never saw the PIN set.
    const fresh = await suite.openAs({ user: 'alice' });
    try {
      const { page } = fresh;
      await page.goto(suite.app(`images/${idOf('kite.jpg')}`));
      await page.getByRole('button', { name: 'Lock…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Move kite.jpg to the locked folder?' });
      await dialog.getByRole('button', { name: 'Lock kite.jpg', disabled: false }).waitFor();
      expect(await dialog.getByLabel('New PIN').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      const main = page.getByRole('navigation', { name: 'Main' });
      await main.getByRole('link', { name: 'Locked' }).click();
      await page.getByLabel('PIN', { exact: true }).fill(PIN);
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByText('The locked folder is empty.').waitFor();

      // Signed out and in again (in the page: a reload would sign in with the first token again).
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Token', { exact: true }).fill(await suite.tokenAs({ user: 'alice' }));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await main.getByRole('link', { name: 'Locked' }).click();
      await page.getByLabel('PIN', { exact: true }).waitFor();
      expect(await page.getByText('The locked folder is empty.').count()).toBe(0);
      expect(fresh.console.unexpected([])).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  it('says how long to wait once wrong PINs have shut the folder (429)', async () => {
    const { page } = suite;
    suite.expectErrors(/Failed to load resource.*40[3]/, /Failed to load resource.*429/);
    await page.goto(suite.app('locked'));
    const pin = page.getByLabel('PIN', { exact: true });
    // Four wrong in a row cost nothing but the 403; the fifth shuts the folder, and the next is a 429.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7 && !statuses.includes(429); attempt++) {
      await pin.fill(`000${attempt}`);
      const answered = page.waitForResponse((response) => response.url().endsWith('/locked/unlock'));
      await page.getByRole('button', { name: 'Open' }).click();
      statuses.push((await answered).status());
      await page.getByRole('button', { name: 'Open', disabled: false }).waitFor();
    }
    expect(statuses).toContain(429);
    await page
      .getByRole('alert')
      .filter({ hasText: /^Too many wrong PINs: the locked folder is shut for now\. Try again in \d+ seconds?\.$/ })
      .waitFor();
  });

  it('locks the gallery’s selection after the same confirmation: the PIN is known now, so it is not asked', async () => {
    const { page } = suite;
    await galleryNames(page);
    await page.getByRole('checkbox', { name: 'Select pier.jpg', exact: true }).check();
    const selection = page.getByRole('region', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Lock 1 image…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move 1 image to the locked folder?' });
    await dialog.getByText('It leaves the timeline, albums, search and share links').waitFor();
    expect(await dialog.getByLabel('New PIN').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Lock 1 image' }).click();
    await selection.getByRole('status').filter({ hasText: 'Moved 1 of 1 image to the locked folder.' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select pier.jpg', exact: true }).waitFor({ state: 'detached' });
    // Out of the gallery as the API lists it, not only out of the page's list.
    await page.reload();
    expect(await galleryNamesHere(page)).toEqual(['kite.jpg']);
  });
});
