/// <reference lib="dom" />
/**
 * Album members in the web app (issue 80, item 2), in headless Chromium against the shared jwt runner: alice shares
 * an album from its Members panel with bob as a contributor; bob finds it under Shared with me on his Albums page,
 * reads it with alice's photo, told whose it is, without its owner's actions; alice changes him to a viewer and takes
 * him off. What the API answers to each role (403s, carol's 404) is the API's: test/e2e/album-members.test.ts.
 */
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const ALBUM = 'Harbour walk';
let albumId = '';
let photo = '';
let bob = '';
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const alice = started.api();
  photo = await alice.upload(fixture('photos/pier.jpg'), { filename: 'pier.jpg' });
  expect((await alice.waitForFinal(photo, 120_000)).status).toBe('PROCESSED');
  albumId = ((await alice.call('POST', '/albums', { name: ALBUM })) as { albumId: string }).albumId;
  await alice.call('POST', `/albums/${albumId}/images`, { imageIds: [photo] });
  // Bob's owner id, as his photos are filed under it: what alice types to share with him.
  const bobs = new ImageApiClient(started.runner.ready.apiUrl, { bearerToken: await started.tokenAs({ user: 'bob' }) });
  const his = await bobs.upload(fixture('photos/kite.jpg'), { filename: 'kite.jpg' });
  bob = (await bobs.waitForFinal(his, 120_000)).owner as string;
});

describe('album members', () => {
  it('alice shares her album with bob as a contributor from its Members panel', async () => {
    const { page } = suite;
    await page.goto(suite.app(`albums/${albumId}`));
    const panel = page.getByRole('region', { name: 'Members' });
    await panel.getByText('Not shared with anyone.').waitFor();
    const form = panel.getByRole('form', { name: 'Share with a member' });
    await form.getByRole('textbox', { name: 'Owner id' }).fill(bob);
    await form.getByRole('combobox', { name: 'Role' }).selectOption('contributor');
    await form.getByRole('button', { name: 'Share' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: `Shared with ${bob} as contributor.` })
      .waitFor();
    const members = panel.getByRole('list', { name: 'Members' });
    expect(await members.locator('.member-name').allTextContents()).toEqual([bob]);
    expect(await members.getByRole('combobox', { name: `Role of ${bob}` }).inputValue()).toBe('contributor');
  });

  it('bob finds it under Shared with me and reads it, without the owner’s actions', async () => {
    const { page, context } = await suite.openAs({ user: 'bob' });
    try {
      await page.goto(suite.app('albums'));
      const shared = page.getByRole('list', { name: 'Shared with me' });
      await shared.getByRole('link', { name: new RegExp(`^${ALBUM}, 1 photo, from `) }).click();
      await page.getByRole('heading', { level: 1, name: ALBUM }).waitFor();
      await page.getByText(/^Shared with you by .+: add your own photos/).waitFor();
      await page.getByRole('list', { name: 'Photos' }).locator(`li.card[data-image-id="${photo}"]`).waitFor();
      for (const owners of ['Rename…', 'Delete album…', 'Share…', 'Make cover']) {
        expect([owners, await page.getByRole('button', { name: owners }).count()]).toEqual([owners, 0]);
      }
      expect(await page.getByRole('region', { name: 'Members' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('alice makes him a viewer, then takes him off', async () => {
    const { page } = suite;
    await page.goto(suite.app(`albums/${albumId}`));
    const panel = page.getByRole('region', { name: 'Members' });
    await panel.getByRole('combobox', { name: `Role of ${bob}` }).selectOption('viewer');
    await panel
      .getByRole('status')
      .filter({ hasText: `${bob} is a viewer now.` })
      .waitFor();
    await panel.getByRole('button', { name: `Remove ${bob}` }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: `No longer shared with ${bob}.` })
      .waitFor();
    await panel.getByText('Not shared with anyone.').waitFor();
  });
});
