/// <reference lib="dom" />
/**
 * The archive in the web app (issue 80, item 3), in headless Chromium against the shared jwt runner as a user of this
 * file's own: a photo archived from its page and two from the gallery's selection bar leave the gallery, are on the
 * Archive page, and come back to the gallery when unarchived there, one with its own button and two together.
 */
import path from 'node:path';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';
import { uploadProcessed } from './seed';

jest.setTimeout(240_000);

/** Archived and brought back: kite.jpg from its page, the others from the gallery's selection bar. */
const PHOTOS = ['photos/kite.jpg', 'photos/pier.jpg', 'photos/boats.jpg'];
/** Never archived: the gallery keeps a tile, so its selection bar (and what it says) stays. */
const KEPT = 'photos/leaf.jpg';

let api: ImageApiClient;
const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  api = started.api();
  const uploaded = await uploadProcessed(
    api,
    [...PHOTOS, KEPT].map((file) => [path.basename(file), fixture(file)]),
  );
  for (const [name, id] of uploaded) ids.set(name, id);
});
const idOf = (name: string) => ids.get(name) as string;
const archived = () => PHOTOS.map((file) => path.basename(file));
const tile = (name: string) => suite.page.locator(`li.card[data-image-id="${idOf(name)}"]`);
const row = (name: string) => suite.page.locator(`li.archive-row[data-image-id="${idOf(name)}"]`);
const archivedIds = async () => (await api.list({ archived: 'true' })).items.map((item) => item.imageId).sort();

describe('the archive page', () => {
  it('lists photos archived from their page and the gallery, which leave the gallery', async () => {
    // One from its own page.
    await suite.page.goto(suite.app(`images/${idOf('kite.jpg')}`));
    const archive = suite.page.getByRole('button', { name: 'Archive', exact: true });
    expect(await archive.getAttribute('aria-pressed')).toBe('false');
    await archive.click();
    await suite.page.locator('button[aria-pressed="true"]', { hasText: 'Archive' }).waitFor();

    // Two from the gallery's selection bar: their tiles go; kite.jpg's is not there at all.
    await suite.page.goto(suite.app());
    await tile('pier.jpg').waitFor();
    await tile('boats.jpg').waitFor();
    expect(await tile('kite.jpg').count()).toBe(0);
    for (const name of ['pier.jpg', 'boats.jpg']) {
      await suite.page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
    }
    const selection = suite.page.getByRole('region', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Archive 2 images' }).click();
    await selection.getByRole('status').filter({ hasText: 'Archived 2 of 2 images.' }).waitFor();
    await tile('pier.jpg').waitFor({ state: 'detached' });
    await tile('boats.jpg').waitFor({ state: 'detached' });
    await tile('leaf.jpg').waitFor();
    expect(await archivedIds()).toEqual(archived().map(idOf).sort());

    // The Archive page, from the main navigation, lists all three with their names.
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Archive' }).click();
    await suite.page.getByRole('heading', { name: 'Archive', level: 1 }).waitFor();
    for (const name of archived()) await row(name).waitFor();
    expect(await suite.page.getByText('3 images in the archive').count()).toBe(1);
    expect(await row('leaf.jpg').count()).toBe(0);
    const names = await suite.page
      .getByRole('list', { name: 'Archived images' })
      .locator('.trash-name')
      .allTextContents();
    expect(names.sort()).toEqual(archived().sort());
  });

  it('unarchives one with its button and two selected together; the gallery has them back', async () => {
    await suite.page.goto(suite.app('archive'));
    for (const name of archived()) await row(name).waitFor();
    await row('kite.jpg').getByRole('button', { name: 'Unarchive kite.jpg' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'Unarchived 1 of 1 image: back in the gallery.' }).waitFor();
    await row('kite.jpg').waitFor({ state: 'detached' });
    expect(await archivedIds()).toEqual([idOf('pier.jpg'), idOf('boats.jpg')].sort());

    const selection = suite.page.getByRole('region', { name: 'Selection' });
    await selection.getByRole('button', { name: 'Select all on this page' }).click();
    expect(await selection.locator('.bulk-count').textContent()).toBe('2 images selected');
    await selection.getByRole('button', { name: 'Unarchive 2 images' }).click();
    await suite.page
      .getByRole('status')
      .filter({ hasText: 'Unarchived 2 of 2 images: back in the gallery.' })
      .waitFor();
    await suite.page.getByText('The archive is empty.').waitFor();
    expect(await archivedIds()).toEqual([]);

    await suite.page.goto(suite.app());
    for (const name of ids.keys()) await tile(name).waitFor();
  });
});
