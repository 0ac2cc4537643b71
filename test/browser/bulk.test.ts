/// <reference lib="dom" />
/**
 * The upload page's tags and previews, and the gallery's multi-select with bulk label and bulk delete (issue 27), then
 * the trash page the deleted photos are on (issue 60), in headless Chromium against the local runner (inference none: the tests need PROCESSED images, not their labels).
 * The API has no bulk route: a bulk action is one request per image, which the checks count.
 */
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture, fixturePath } from '../fixtures';
import { browserSuite } from './browser';
import { uploadProcessed } from './seed';

jest.setTimeout(240_000);

/** Uploaded through the page, with tags. */
const TAGGED = ['photos/kite.jpg', 'photos/pier.jpg', 'photos/boats.jpg'];
/** Uploaded through the page with them: a file no browser draws, so no local preview. */
const HEIC = 'formats/forest.heic';
/** Uploaded with the CLI's client, before the tests. */
const PLAIN = ['photos/leaf.jpg', 'photos/forest.jpg', 'photos/cups.jpg'];
/** `WEB_SHOTS=<dir>` keeps screenshots of the pages checked here, to look at them. */
const SHOTS = process.env.WEB_SHOTS;

let api: ImageApiClient;
const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  api = started.api();
  const uploaded = await uploadProcessed(
    api,
    PLAIN.map((file) => [path.basename(file), fixture(file)]),
  );
  for (const [name, id] of uploaded) ids.set(name, id);
});
const uploadRow = (name: string) => suite.page.locator('li.upload', { hasText: name });
const tile = (name: string) => suite.page.locator(`li.card[data-image-id="${ids.get(name)}"]`);
const checkbox = (name: string) => suite.page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
const idOf = (name: string) => ids.get(name) as string;

/** The API calls of `method` the page makes from now on (`stop()` to stop listening). */
function calls(target: Page, method: string) {
  const seen: Request[] = [];
  const listener = (request: Request) => {
    if (request.method() === method && request.url().startsWith(suite.runner.ready.apiUrl)) seen.push(request);
  };
  target.on('request', listener);
  return { seen, stop: () => target.off('request', listener) };
}

describe('upload tags and previews', () => {
  it('refuses bad tags before sending anything, and says why', async () => {
    await suite.page.goto(suite.app('upload'));
    const posts = calls(suite.page, 'POST');
    const tags = suite.page.getByLabel('Tags', { exact: true });
    // Tags can be changed after the upload, on the image's page: the hint says so.
    expect(await suite.page.locator('#tags-hint').textContent()).toBe(
      "Optional, separated by commas: at most 20, each at most 64 characters. They go with each file chosen next; change them later on each image's page, under Tags.",
    );
    await tags.fill(`sky, ${'a'.repeat(65)}`);
    expect(await tags.getAttribute('aria-invalid')).toBe('true');
    await suite.page.getByText('is too long: 65 characters, the most is 64.').waitFor();
    await suite.page.getByLabel('Upload images').setInputFiles(fixturePath('photos/kite.jpg'));
    const alert = suite.page.getByRole('alert');
    expect(await alert.textContent()).toMatch(/^Nothing was uploaded: The tag “a{24}…” is too long: 65 characters/);
    // The field with the problem has the focus, and nothing was presigned or listed.
    expect(await tags.evaluate((input) => input === document.activeElement)).toBe(true);
    await tags.fill(Array.from({ length: 21 }, (_, index) => `t${index}`).join(', '));
    await suite.page.getByText('At most 20 tags: there are 21.').waitFor();
    await suite.page.getByLabel('Upload images').setInputFiles(fixturePath('photos/kite.jpg'));
    await suite.page.getByRole('alert').filter({ hasText: 'Nothing was uploaded: At most 20 tags' }).waitFor();
    posts.stop();
    expect(posts.seen).toEqual([]);
    expect(await suite.page.locator('li.upload').count()).toBe(0);
  });

  it('shows a preview of each file while it uploads, then sends the tags with each, as the record keeps them', async () => {
    await suite.page.goto(suite.app('upload'));
    const posts = calls(suite.page, 'POST');
    // Storage answers only once the previews were checked: they are there while the files upload.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await suite.page.route(`${suite.runner.ready.endpoint}/**`, async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await suite.page.getByLabel('Tags', { exact: true }).fill(' holiday, beach ,holiday,, ');
    await suite.page.getByLabel('Upload images').setInputFiles([...TAGGED, HEIC].map(fixturePath));
    // No browser draws a HEIC: its row shows a tile saying what it is, not a blank square (queued behind the others).
    await uploadRow('forest.heic').and(suite.page.locator('[data-status="waiting"]')).waitFor();
    const generic = uploadRow('forest.heic').getByRole('img', { name: 'No preview of forest.heic (HEIC)' });
    expect(await generic.textContent()).toBe('HEIC');
    const local = new Map<string, string>();
    for (const file of TAGGED) {
      const name = path.basename(file);
      await uploadRow(name).and(suite.page.locator('[data-status="uploading"]')).waitFor();
      const preview = uploadRow(name).getByRole('img', { name: `Preview of ${name}` });
      const drawn = await preview.evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        return { src: img.src, width: img.naturalWidth };
      });
      expect(drawn.src).toMatch(/^blob:/);
      expect(drawn.width).toBeGreaterThan(0);
      local.set(name, drawn.src);
    }
    await shot(suite.page, 'upload-previews.png');
    release();
    // Fetching a revoked object URL below is refused: Chromium logs each refusal.
    suite.expectErrors(/Failed to load resource: net::ERR_FILE_NOT_FOUND \(blob:/);
    for (const file of TAGGED) {
      const name = path.basename(file);
      const row = uploadRow(name).and(suite.page.locator('[data-status="PROCESSED"]'));
      await row.waitFor({ timeout: 120_000 });
      ids.set(name, (await row.getAttribute('data-image-id')) as string);
      expect(await row.locator('.upload-tags').textContent()).toBe('Tags: holiday, beach');
      // Done: the row shows the image's thumbnail, and the object URL of the local file is revoked.
      const src = (await row.getByRole('img', { name: `Preview of ${name}` }).getAttribute('src')) as string;
      expect(src.startsWith(suite.runner.ready.endpoint)).toBe(true);
      const stillThere = await suite.page.evaluate(
        (url) =>
          fetch(url).then(
            () => true,
            () => false,
          ),
        local.get(name) as string,
      );
      expect({ name, stillThere }).toEqual({ name, stillThere: false });
    }
    // Processed, the HEIC shows its thumbnail; then it goes, so the gallery below holds the photos it counts.
    const heic = uploadRow('forest.heic').and(suite.page.locator('[data-status="PROCESSED"]'));
    await heic.waitFor({ timeout: 120_000 });
    const thumbnail = heic.getByRole('img', { name: 'Preview of forest.heic' });
    expect((await thumbnail.getAttribute('src'))?.startsWith(suite.runner.ready.endpoint)).toBe(true);
    await api.delete((await heic.getAttribute('data-image-id')) as string, { permanently: true });
    await suite.page.unroute(`${suite.runner.ready.endpoint}/**`);
    posts.stop();
    const presigns = posts.seen.filter((request) => request.url().endsWith('/uploads'));
    expect(presigns.map((request) => request.postDataJSON().tags)).toEqual(
      [...TAGGED, HEIC].map(() => ['holiday', 'beach']),
    );
    for (const file of TAGGED) {
      const record = (await api.get(idOf(path.basename(file)))) as { tags?: string[] };
      expect(record.tags).toEqual(['holiday', 'beach']);
    }
    // The image's page shows them.
    await suite.page.goto(suite.app(`images/${idOf('kite.jpg')}`));
    const row = suite.page.locator('.facts-list div', { has: suite.page.locator('dt', { hasText: /^Tags$/ }) });
    expect(await row.locator('dd').textContent()).toBe('holiday, beach');
  });
});

describe('multi-select in the gallery', () => {
  it('selects all tiles on the page, and none, from the selection bar', async () => {
    await suite.page.goto(suite.app());
    for (const name of ids.keys()) await tile(name).waitFor();
    const selection = suite.page.getByRole('region', { name: 'Selection' });
    expect(await selection.locator('.bulk-count').textContent()).toBe('None selected');
    await selection.getByRole('button', { name: 'Select all on this page' }).click();
    for (const name of ids.keys()) expect(await checkbox(name).isChecked()).toBe(true);
    expect(await selection.locator('.bulk-count').textContent()).toBe(`${ids.size} images selected`);
    await selection.getByRole('button', { name: 'Clear selection' }).click();
    for (const name of ids.keys()) expect(await checkbox(name).isChecked()).toBe(false);
    // One request per image, said where the actions are.
    await checkbox('kite.jpg').check();
    await selection.getByText('One request per image (4 at a time): the API has no bulk route.').waitFor();
    expect(await selection.locator('.bulk-note').textContent()).toBe(
      "One request per image (4 at a time): the API has no bulk route. These are labels, as on an image's page; an image's tags are changed there, under Tags.",
    );
  });

  it('adds a label to each selected image, at most 4 requests at a time; search and the tiles follow', async () => {
    await suite.page.goto(suite.app());
    const chosen = ['kite.jpg', 'pier.jpg', 'leaf.jpg', 'forest.jpg', 'cups.jpg'];
    for (const name of chosen.slice(1)) await checkbox(name).check();
    // From the keyboard: to the checkbox, Space.
    await checkbox(chosen[0] as string).focus();
    await suite.page.keyboard.press('Space');
    expect(await checkbox(chosen[0] as string).isChecked()).toBe(true);
    const selection = suite.page.getByRole('region', { name: 'Selection' });
    const patches = calls(suite.page, 'PATCH');
    // A name the API would refuse is refused here, and nothing is sent.
    await selection.getByLabel('Label to add').fill('sun!set');
    await selection.getByRole('button', { name: 'Add to 5 images' }).click();
    expect(await selection.getByRole('alert').textContent()).toMatch(/^“sun!set” is not a label/);
    expect(patches.seen).toEqual([]);

    let inFlight = 0;
    let most = 0;
    suite.page.on('request', (request) => {
      if (request.method() === 'PATCH') most = Math.max(most, ++inFlight);
    });
    suite.page.on('requestfinished', (request) => {
      if (request.method() === 'PATCH') inFlight--;
    });
    await selection.getByLabel('Label to add').fill('Sunset');
    await selection.getByRole('button', { name: 'Add to 5 images' }).click();
    await selection.getByRole('status').filter({ hasText: 'Added “Sunset” to 5 of 5 images.' }).waitFor();
    patches.stop();
    expect(patches.seen.map((request) => request.postDataJSON())).toEqual(chosen.map(() => ({ add: ['Sunset'] })));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    // That a label added so is searchable is the API's: e2e/search.test.ts (a person's label corrections).
    // The tiles show it first, the one not selected does not have it.
    for (const name of chosen) {
      await suite.page.waitForFunction(
        (id) => document.querySelector(`li.card[data-image-id="${id}"] .labels`)?.textContent?.startsWith('Sunset'),
        idOf(name),
      );
    }
    expect(await tile('boats.jpg').locator('.labels').count()).toBe(0);
  });

  it('moves the selected images to the trash after a confirmation: Cancel moves nothing, a failure and a 404 are said', async () => {
    await suite.page.goto(suite.app());
    const chosen = ['leaf.jpg', 'forest.jpg', 'cups.jpg'];
    for (const name of chosen) await checkbox(name).check();
    const selection = suite.page.getByRole('region', { name: 'Selection' });
    const dialog = suite.page.getByRole('dialog', { name: 'Move 3 images to the trash?' });
    await selection.getByRole('button', { name: 'Move 3 images to trash…' }).click();
    await dialog.waitFor();
    await shot(suite.page, 'bulk-delete-dialog.png');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    for (const name of chosen) expect(await api.get(idOf(name))).toBeDefined();

    // cups.jpg is deleted meanwhile (by its owner elsewhere): its DELETE answers 404. forest.jpg's fails once.
    await suite.page.route(`**/images/${idOf('cups.jpg')}`, async (route) => {
      if (route.request().method() === 'DELETE') await api.delete(idOf('cups.jpg'), { permanently: true });
      await route.continue();
    });
    await suite.page.route(`**/images/${idOf('forest.jpg')}`, (route) =>
      route.request().method() === 'DELETE'
        ? route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"Service Unavailable"}' })
        : route.continue(),
    );
    suite.expectErrors(/Failed to load resource.*(404|503)/);
    await selection.getByRole('button', { name: 'Move 3 images to trash…' }).click();
    await dialog.getByRole('button', { name: 'Move 3 images to trash' }).click();
    const status = selection.getByRole('status');
    await status.filter({ hasText: /^Moved/ }).waitFor();
    expect(await status.textContent()).toBe(
      'Moved 1 of 3 images to the trash. 1 image had already been deleted (the API answered 404): nothing to do. 1 failed: see below.',
    );
    expect(await selection.getByRole('list', { name: 'Failed' }).textContent()).toBe('forest.jpg: Service Unavailable');
    await shot(suite.page, 'bulk-delete-done.png');
    expect((await api.get(idOf('leaf.jpg')))?.status).toBe('TRASHED');
    // The gallery drops the tiles on the render after the status (a state update of its own): wait for it.
    await tile('leaf.jpg').waitFor({ state: 'detached' });
    await tile('cups.jpg').waitFor({ state: 'detached' });
    // The failed one stays, still selected: moving it again moves it.
    expect(await checkbox('forest.jpg').isChecked()).toBe(true);
    await suite.page.unroute(`**/images/${idOf('forest.jpg')}`);
    await suite.page.unroute(`**/images/${idOf('cups.jpg')}`);
    await selection.getByRole('button', { name: 'Move 1 image to trash…' }).click();
    await suite.page
      .getByRole('dialog', { name: 'Move 1 image to the trash?' })
      .getByRole('button', { name: 'Move 1 image to trash' })
      .click();
    await status.filter({ hasText: 'Moved 1 of 1 image to the trash.' }).waitFor();
    expect((await api.get(idOf('forest.jpg')))?.status).toBe('TRASHED');
    expect(await tile('forest.jpg').count()).toBe(0);
    expect(await selection.locator('.bulk-count').textContent()).toBe('None selected');
  });

  it('lists the trash with a thumbnail for each photo, its name above when it goes, and an Empty trash button', async () => {
    await suite.page.goto(suite.app('trash'));
    const list = suite.page.getByRole('list', { name: 'Images in the trash' });
    const row = (name: string) => list.locator(`li[data-image-id="${idOf(name)}"]`);
    for (const name of ['leaf.jpg', 'forest.jpg']) {
      await row(name).waitFor();
      // The thumbnail the trashed image keeps until it is purged, loaded.
      const thumb = row(name).locator('.trash-thumb img');
      await suite.page.waitForFunction(
        (img) => Boolean(img && (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
        await thumb.elementHandle(),
      );
      // The name on a line of its own, not run into "Moved ...".
      const link = row(name).getByRole('link', { name, exact: true });
      expect(await link.textContent()).toBe(name);
      const moved = row(name).getByText(/^Moved .+; deleted for good after /);
      const [nameBox, movedBox] = [await link.boundingBox(), await moved.boundingBox()];
      expect(nameBox && movedBox && movedBox.y >= nameBox.y + nameBox.height - 1).toBe(true);
      await row(name)
        .getByRole('button', { name: `Restore ${name}` })
        .waitFor();
    }
    await shot(suite.page, 'trash.png');
    // The button says what the docs call it; its dialog asks first.
    expect(await suite.page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
    await suite.page.getByRole('button', { name: 'Empty trash' }).click();
    const dialog = suite.page.getByRole('dialog', { name: 'Empty the trash?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Empty trash' }).click();
    await suite.page.getByRole('status').filter({ hasText: 'The trash is being emptied.' }).waitFor();
    await suite.page.getByText('The trash is empty.').waitFor();
  });

  it('fits a 375 px wide screen: the tags field, the previews, the selection bar and its dialog', async () => {
    const narrow = await suite.open({ width: 375, height: 812 });
    try {
      await narrow.page.goto(suite.app('upload'));
      await narrow.page.getByLabel('Tags', { exact: true }).fill(`sky, ${'b'.repeat(70)}`);
      await narrow.page.getByText('is too long').waitFor();
      await shot(narrow.page, 'narrow-upload.png');
      await fitsWidth(narrow.page, 'upload');
      await narrow.page.goto(suite.app());
      await narrow.page.getByRole('checkbox', { name: 'Select kite.jpg', exact: true }).check();
      await narrow.page.getByRole('checkbox', { name: 'Select pier.jpg', exact: true }).check();
      await narrow.page.waitForLoadState('networkidle');
      await shot(narrow.page, 'narrow-gallery.png');
      await fitsWidth(narrow.page, 'gallery');
      const selection = narrow.page.getByRole('region', { name: 'Selection' });
      const controls = [
        ...(await selection.getByRole('button').all()),
        ...(await selection.getByRole('textbox').all()),
      ];
      // Select all, Clear, the label field and Add, Add to album…, Stack (two are selected), Archive, Lock…, Move to
      // trash….
      expect(controls.length).toBe(9);
      for (const control of controls) {
        const box = await control.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      }
      await selection.getByRole('button', { name: 'Move 2 images to trash…' }).click();
      const dialog = narrow.page.getByRole('dialog', { name: 'Move 2 images to the trash?' });
      const box = await dialog.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(narrow.console.unexpected()).toEqual([]);
    } finally {
      await narrow.context.close();
    }
  });
});

async function shot(target: Page, name: string): Promise<void> {
  if (SHOTS) await target.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

/** The page scrolls only down at its width. */
async function fitsWidth(target: Page, what: string): Promise<void> {
  const width = await target.evaluate(() => document.documentElement.scrollWidth);
  const viewport = target.viewportSize()?.width;
  expect({ what, width }).toEqual({ what, width: viewport });
}
