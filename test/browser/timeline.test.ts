/// <reference lib="dom" />
/**
 * The timeline, the viewer and the gallery's loading and failing (issue 43), in headless Chromium against the local
 * runner: photos whose EXIF says when they were taken, uploaded in another order, are shown by date taken under
 * month headers; a tile opens a full-screen viewer driven from the keyboard; a failed list says so with a Retry;
 * and on a phone the first photo is on the first screen.
 */

import sharp from 'sharp';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

/** Uploaded in this order; taken at these dates (the camera's clock), one with none (its upload time, now). */
const PHOTOS: Array<{ name: string; taken?: string; colour: string }> = [
  { name: 'summer-2019.jpg', taken: '2019:07:14 18:30:00', colour: '#d08030' },
  { name: 'undated.jpg', colour: '#808080' },
  { name: 'spring-2021.jpg', taken: '2021:03:02 09:00:00', colour: '#30a050' },
  { name: 'early-july-2019.jpg', taken: '2019:07:01 08:00:00', colour: '#3060c0' },
];
/** The timeline's order: newest taken first, the undated at its upload (today). */
const TIMELINE = ['undated.jpg', 'spring-2021.jpg', 'summer-2019.jpg', 'early-july-2019.jpg'];

const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  for (const photo of PHOTOS) {
    let image = sharp({ create: { width: 320, height: 240, channels: 3, background: photo.colour } }).jpeg();
    if (photo.taken) image = image.withExif({ IFD0: { DateTime: photo.taken, Make: 'Test' } });
    const id = await api.upload(await image.toBuffer(), { filename: photo.name });
    ids.set(photo.name, id);
    expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
  }
});
const grid = () => suite.page.getByRole('list', { name: 'Images', exact: true });
const nameOf = (id: string | null) => [...ids].find(([, value]) => value === id)?.[0];

describe('the timeline in the web app', () => {
  it('shows the photos newest taken first under month headers, in the browser’s words', async () => {
    await suite.page.goto(suite.app());
    await grid()
      .locator(`li.card[data-image-id="${ids.get('early-july-2019.jpg')}"]`)
      .waitFor();
    const rows = await grid()
      .locator(':scope > li')
      .evaluateAll((items) =>
        items.map((li) => (li.classList.contains('date-header') ? `# ${li.textContent}` : li.dataset.imageId)),
      );
    const now = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(),
    );
    expect(rows.map((row) => (row?.startsWith('# ') ? row : nameOf(row ?? null)))).toEqual([
      `# ${now}`,
      'undated.jpg',
      '# March 2021',
      'spring-2021.jpg',
      '# July 2019',
      'summer-2019.jpg',
      'early-july-2019.jpg',
    ]);
    expect(rows.filter((row) => !row?.startsWith('# ')).map((row) => nameOf(row ?? null))).toEqual(TIMELINE);
    // The headers are headings, so a screen reader can jump between months.
    expect(await grid().getByRole('heading', { level: 2 }).allTextContents()).toEqual([now, 'March 2021', 'July 2019']);
  });

  it('keeps the upload order a select away, without headers', async () => {
    await suite.page.goto(suite.app());
    await suite.page.getByLabel('Order').selectOption('uploaded');
    await suite.page.waitForURL(/sort=uploaded/);
    await grid()
      .locator('li.card')
      .nth(PHOTOS.length - 1)
      .waitFor();
    const order = await grid()
      .locator('li.card')
      .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.imageId ?? ''));
    expect(order.map(nameOf)).toEqual(PHOTOS.map((photo) => photo.name).reverse());
    expect(await grid().locator('.date-header').count()).toBe(0);
  });

  it('opens a tile in a full-screen viewer: arrows move through the timeline, + zooms, Escape closes', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    await grid().getByRole('link', { name: 'spring-2021.jpg', exact: true }).click();
    let viewer = page.getByRole('dialog', { name: 'spring-2021.jpg' });
    await viewer.waitFor();
    expect(page.url()).toContain(`view=${ids.get('spring-2021.jpg')}`);
    // Full screen: the dialog covers the viewport.
    const box = await viewer.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 1280, height: 900 });
    await page.keyboard.press('ArrowRight');
    viewer = page.getByRole('dialog', { name: 'summer-2019.jpg' });
    await viewer.waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'early-july-2019.jpg' }).waitFor();
    // The last one: Next is off.
    expect(await page.getByRole('button', { name: 'Next photo' }).isDisabled()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    viewer = page.getByRole('dialog', { name: 'undated.jpg' });
    await viewer.waitFor();
    expect(await page.getByRole('button', { name: 'Previous photo' }).isDisabled()).toBe(true);
    // Zoom: + and -, and the buttons.
    await page.keyboard.press('+');
    await viewer.getByText('150%').waitFor();
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    await viewer.getByText('200%').waitFor();
    await page.keyboard.press('-');
    await viewer.getByText('150%').waitFor();
    // A click on the photo zooms it back out, and leaves the keys working (the focus is then on the page).
    await viewer.getByRole('img', { name: 'undated.jpg' }).click();
    await viewer.getByText('100%').waitFor();
    // Focus stays inside: tabbing around never leaves the dialog.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await viewer.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
    }
    // The details: when it was taken, in words, and its size.
    const details = viewer.getByRole('complementary', { name: 'Details' });
    if (!(await details.isVisible())) await viewer.getByRole('button', { name: 'Details' }).click();
    await page.keyboard.press('ArrowRight');
    await page
      .getByRole('dialog', { name: 'spring-2021.jpg' })
      .getByRole('complementary', { name: 'Details' })
      .getByText('March 2, 2021')
      .waitFor();
    // Refresh keeps the viewer on the photo; Escape closes it, and focus is back on its tile.
    await page.reload();
    await page.getByRole('dialog', { name: 'spring-2021.jpg' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('view=');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('spring-2021.jpg');
  });

  it('goes back from the viewer to the grid with the browser’s Back', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    await grid().getByRole('link', { name: 'summer-2019.jpg', exact: true }).click();
    await page.getByRole('dialog', { name: 'summer-2019.jpg' }).waitFor();
    await page.goBack();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await grid().locator('li.card').count()).toBe(PHOTOS.length);
  });

  it('shows skeleton tiles while loading, and on an error says what failed with a Retry that works', async () => {
    const { page } = suite;
    let refused = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/images\?/, async (route) => {
      if (refused === 0) {
        refused++;
        await held;
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: '{"message":"Internal server error"}',
        });
      } else await route.fallback();
    });
    suite.expectErrors(/status of 500/);
    try {
      await page.goto(suite.app());
      // Loading: grey tiles in the grid's place, and no "Loading…" text beside them.
      await page.getByRole('list', { name: 'Loading images' }).waitFor();
      expect(await page.locator('li.card.skeleton').count()).toBeGreaterThan(0);
      expect(await page.getByText('Loading…').count()).toBe(0);
      release();
      const alert = page.getByRole('alert');
      await alert.getByText(/Could not load your images/).waitFor();
      // No count under the error.
      expect(await page.getByText(/^0 images/).count()).toBe(0);
      expect(await page.getByText('No images yet.').count()).toBe(0);
      await alert.getByRole('button', { name: 'Retry' }).click();
      await grid()
        .locator('li.card')
        .nth(PHOTOS.length - 1)
        .waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
    } finally {
      await page.unroute(/\/images\?/);
    }
  });

  it('puts the first photo on a phone’s first screen (390 × 844), the search behind a button', async () => {
    const phone = await suite.open({ width: 390, height: 844 });
    try {
      await phone.page.goto(suite.app());
      const first = phone.page.getByRole('list', { name: 'Images', exact: true }).locator('li.card').first();
      await first.waitFor();
      const box = (await first.locator('.thumb').boundingBox()) as { y: number; height: number };
      expect(box.y + box.height).toBeLessThanOrEqual(844);
      expect(await phone.page.getByRole('search').isVisible()).toBe(false);
      await phone.page.getByRole('button', { name: 'Search and filters' }).click();
      await phone.page.getByRole('searchbox', { name: 'Search' }).waitFor();
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
      expect(phone.console.unexpected()).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });
});
