/// <reference lib="dom" />
/**
 * Partners in the web app (issue 80, item 5: "bob sees alice's shared timeline"), in headless Chromium against the
 * shared jwt runner: alice grants bob her library on the Partners page (a grant to herself is refused, the API's
 * message shown); bob finds her under Shared with me and lists her photo, and only hers (not his own, not carol's,
 * who shares nothing); alice's photo opens for him without its owner's controls; alice revokes, and bob's Shared with
 * me is empty and the photo's page not found. What the API answers each of them is test/e2e/partners.test.ts's.
 */
import type { Page } from 'playwright-core';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const ids = { alice: '', bob: '', carol: '' };
const owners = { alice: '', bob: '' };
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const upload = async (api: ImageApiClient, file: string) => {
    const id = await api.upload(fixture(file), { filename: file.split('/').pop() });
    const final = await api.waitForFinal(id, 120_000);
    expect(final.status).toBe('PROCESSED');
    return { id, owner: final.owner as string };
  };
  const as = async (user: string) =>
    new ImageApiClient(started.runner.ready.apiUrl, { bearerToken: await started.tokenAs({ user }) });
  const alice = await upload(started.api(), 'photos/pier.jpg');
  // Bob's owner id, as his photos are filed under it: what alice types to share with him.
  const bob = await upload(await as('bob'), 'photos/kite.jpg');
  const carol = await upload(await as('carol'), 'photos/boats.jpg');
  Object.assign(ids, { alice: alice.id, bob: bob.id, carol: carol.id });
  Object.assign(owners, { alice: alice.owner, bob: bob.owner });
});

/** The image ids a Shared with me page lists, once it has said how many (or that there are none). */
async function sharedIds(page: Page): Promise<string[]> {
  await page
    .getByText(/^(\d+ shared photos?|No one shares photos with you\.|.+ shares no photos with you\.)/)
    .waitFor();
  const rows = page.getByRole('list', { name: 'Shared photos' }).locator('li.shared-row');
  return (await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-image-id') ?? ''))).sort();
}

/** Bob's page, checked for console errors other than `expected` before it closes. */
async function asBob(test: (page: Page) => Promise<void>, expected: RegExp[] = []): Promise<void> {
  const { page, context, console } = await suite.openAs({ user: 'bob' });
  try {
    await test(page);
    expect(console.unexpected(expected)).toEqual([]);
  } finally {
    await context.close();
  }
}

/** The detail page's header buttons, once it shows the photo. */
async function headerButtons(page: Page, imageId: string): Promise<string[]> {
  await page.goto(suite.app(`images/${imageId}`));
  const header = page.locator(`article.detail[data-image-id="${imageId}"] header.detail-head`);
  await header.getByRole('button', { name: 'Download' }).waitFor();
  return (await header.getByRole('button').allTextContents()).map((text) => text.trim());
}

describe('partners: bob sees alice’s shared timeline', () => {
  it('alice grants bob her library on the Partners page; a grant to herself is refused, saying why', async () => {
    const { page } = suite;
    await page.goto(suite.app('partners'));
    await page.getByText('You share your library with no one.').waitFor();
    const form = page.getByRole('form', { name: 'Share my library' });
    const partner = form.getByRole('textbox', { name: 'Partner’s owner id' });

    suite.expectErrors(/status of 400/);
    await partner.fill(owners.alice);
    await form.getByRole('button', { name: 'Share' }).click();
    await form.getByRole('alert').filter({ hasText: 'partner: you cannot grant yourself your own library' }).waitFor();

    await partner.fill(owners.bob);
    await form.getByRole('button', { name: 'Share' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Shared with ${owners.bob}: The whole library.` })
      .waitFor();
    const granted = page.getByRole('list', { name: 'Shared by me' });
    const row = granted.locator('li.partner-row');
    // The status says so once the grant is stored; the list shows it when its reload answers, a moment later.
    await row.filter({ hasText: owners.bob }).waitFor();
    expect(await row.evaluateAll((items) => items.map((item) => item.getAttribute('data-partner')))).toEqual([
      owners.bob,
    ]);
    expect(await row.locator('p.muted').textContent()).toMatch(/^The whole library; since /);
  });

  it('bob finds alice under Shared with me and lists her photo, not his own nor carol’s', async () => {
    await asBob(async (page) => {
      await page.goto(suite.app('partners'));
      const received = page.getByRole('list', { name: 'Shared with me' });
      await received.getByRole('link', { name: owners.alice }).click();
      await page.getByRole('heading', { level: 1, name: 'Shared with me' }).waitFor();
      expect(new URL(page.url()).searchParams.get('partner')).toBe(owners.alice);
      expect(await sharedIds(page)).toEqual([ids.alice]);

      // Every partner's merged, from the header's entry.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shared with me' }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/shared-with-me') && url.search === '');
      expect(await sharedIds(page)).toEqual([ids.alice]);
    });
  });

  it('alice’s photo opens for bob without its owner’s controls', async () => {
    // Alice's own page of it has them: the checks below can fail.
    expect(await headerButtons(suite.page, ids.alice)).toEqual(expect.arrayContaining(['Archive', 'Download']));
    expect(await suite.page.locator('article.detail form').count()).toBeGreaterThan(0);
    expect(
      (await suite.page.locator('article.detail .facts button').allTextContents()).filter(
        (text) => text !== 'Copy URL',
      ),
    ).not.toEqual([]);

    await asBob(async (page) => {
      await page.goto(suite.app('shared-with-me'));
      await page.locator(`li.shared-row[data-image-id="${ids.alice}"] a`).click();
      await page.getByRole('heading', { level: 1, name: 'pier.jpg' }).waitFor();
      await page
        .getByText(`Shared with you by ${owners.alice}: you can look at it, download it, not change it.`)
        .waitFor();
      expect(await headerButtons(page, ids.alice)).toEqual(['Download']);
      const detail = page.locator('article.detail');
      // Its labels and place are shown, with nothing to change them (nor its tags, date, albums, people) with.
      await detail.getByRole('region', { name: 'Labels' }).waitFor();
      await detail.getByRole('region', { name: 'Place' }).waitFor();
      expect(await detail.locator('form').count()).toBe(0);
      // Copying a rendition's URL changes nothing: any other button would.
      const buttons = await detail.locator('.facts button').allTextContents();
      expect(buttons.filter((text) => text !== 'Copy URL')).toEqual([]);
    });
  });

  it('alice revokes (confirmed): bob’s Shared with me then shows none, and the photo is not found', async () => {
    const { page } = suite;
    await page.goto(suite.app('partners'));
    await page.getByRole('button', { name: `Revoke ${owners.bob}` }).click();
    const dialog = page.getByRole('dialog', { name: `Stop sharing with ${owners.bob}?` });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `No longer shared with ${owners.bob}.` })
      .waitFor();
    await page.getByText('You share your library with no one.').waitFor();

    await asBob(
      async (bob) => {
        await bob.goto(suite.app('shared-with-me'));
        expect(await sharedIds(bob)).toEqual([]);
        await bob.goto(suite.app('partners'));
        await bob.getByText('No one shares their library with you.').waitFor();
        await bob.goto(suite.app(`images/${ids.alice}`));
        await bob.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      },
      [/status of 404/],
    );
  });
});
