/// <reference lib="dom" />
/**
 * The timeline, the viewer and the gallery's loading and failing (issue 43), in headless Chromium against the local
 * runner: photos whose EXIF says when they were taken, uploaded in another order, are shown by date taken under
 * month headers; a tile opens a full-screen viewer driven from the keyboard, its controls legible on its dark bar,
 * its zoom about the middle, a photo past the first page opened by its id on a reload; a search after the timeline's
 * second page asks for its own first page, once; a failed list says so with a Retry; and on a phone the first photo
 * is on the first screen.
 */

import type { Locator, Page, Request } from 'playwright-core';
import sharp from 'sharp';
import { fileUser } from '../support/runner-profiles';
import { browserSuite } from './browser';
import { seedImages, uploadProcessed } from './seed';

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

/** Bob's images: more than four of the gallery's pages (24 each), for the checks past the first page. */
const LIBRARY = 100;
/** Those past the first page, with thumbnails (the seeding copies them for the newest only). */
const FAR = [70, 71] as const;
let seeded: string[] = [];
const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const files: Array<[string, Buffer]> = [];
  for (const photo of PHOTOS) {
    let image = sharp({ create: { width: 320, height: 240, channels: 3, background: photo.colour } }).jpeg();
    if (photo.taken) image = image.withExif({ IFD0: { DateTime: photo.taken, Make: 'Test' } });
    files.push([photo.name, await image.toBuffer()]);
  }
  for (const [name, id] of await uploadProcessed(api, files)) ids.set(name, id);
  // Another user's library of more than a page (the gallery asks for 24).
  seeded = await seedImages(started.runner.ready, {
    count: LIBRARY,
    owner: fileUser('bob'),
    thumbnailsOf: ids.get('spring-2021.jpg') as string,
    withThumbnails: LIBRARY - FAR[0],
    monthApart: true,
  });
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
    // The viewer opens before the list is in (the photo by its id): its tile takes the focus once it is there.
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'spring-2021.jpg');
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

  it('shows the viewer’s controls legibly on its dark bar: every one’s text at 4.5:1 against what is behind it', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    await grid().getByRole('link', { name: 'summer-2019.jpg', exact: true }).click();
    const viewer = page.getByRole('dialog', { name: 'summer-2019.jpg' });
    await viewer.waitFor();
    // Zoomed in once, so both zoom buttons are on (a disabled one is dimmed, and exempt from the ratio).
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    await viewer.getByText('150%').waitFor();
    const bar = viewer.locator('.viewer-bar');
    const ratios: Record<string, number> = {};
    for (const button of await bar.getByRole('button').all()) {
      ratios[(await button.getAttribute('aria-label')) ?? ((await button.textContent()) as string)] =
        await contrastOf(button);
    }
    expect(Object.keys(ratios).sort()).toEqual(['Actual size', 'Close', 'Details', 'Zoom in', 'Zoom out']);
    for (const [name, ratio] of Object.entries(ratios))
      expect({ name, ratio: ratio >= 4.5 }).toEqual({ name, ratio: true });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('zooms about the middle of the photo: at 150 % it stays centred, at 400 % the middle of the screen is its middle', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    await grid().getByRole('link', { name: 'summer-2019.jpg', exact: true }).click();
    const viewer = page.getByRole('dialog', { name: 'summer-2019.jpg' });
    const photo = viewer.getByRole('img', { name: 'summer-2019.jpg' });
    await photo.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.viewer-stage img');
      return Boolean(img?.complete && img.naturalWidth > 0);
    });
    const stage = viewer.locator('.viewer-stage');
    /** Where the middle of the stage falls on the photo, as fractions of its width and height. */
    const middle = async () => {
      const [view, img] = [await stage.boundingBox(), await photo.boundingBox()];
      if (!view || !img) throw new Error('no stage or photo');
      return {
        x: (view.x + view.width / 2 - img.x) / img.width,
        y: (view.y + view.height / 2 - img.y) / img.height,
        width: img.width,
      };
    };
    const fitted = await middle();
    await page.keyboard.press('+');
    await viewer.getByText('150%').waitFor();
    const zoomed = await middle();
    expect(zoomed.width / fitted.width).toBeCloseTo(1.5, 1);
    expect(zoomed.x).toBeCloseTo(0.5, 1);
    expect(zoomed.y).toBeCloseTo(0.5, 1);
    // Larger than the stage: scrolled so that its middle is the screen's.
    for (const step of ['200%', '300%', '400%']) {
      await viewer.getByRole('button', { name: 'Zoom in' }).click();
      await viewer.getByText(step).waitFor();
    }
    const most = await middle();
    expect(most.width / fitted.width).toBeCloseTo(4, 1);
    expect(most.x).toBeCloseTo(0.5, 1);
    expect(most.y).toBeCloseTo(0.5, 1);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  it('opens a photo past the first page by its id, on a reload and from a shared link', async () => {
    const bob = await suite.openAs({ user: 'bob' });
    try {
      const { page } = bob;
      const asked = requestsOf(page);
      await page.goto(suite.app());
      const images = page.getByRole('list', { name: 'Images', exact: true });
      // Past the first page (24): the gallery loads the rest as the end of the grid comes into view. Each scroll waits
      // (up to 10 s) for the page it asked for to add cards, not a fixed 250 ms, which a loaded machine outran.
      const far = images.getByRole('link', { name: `seeded-00${FAR[0]}.jpg`, exact: true });
      const cards = images.locator('li.card');
      for (let scrolls = 0; (await far.count()) === 0 && scrolls < 20; scrolls++) {
        const before = await cards.count();
        await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        for (let waited = 0; waited < 10_000 && (await cards.count()) === before; waited += 100) {
          await page.waitForTimeout(100);
        }
      }
      await far.click();
      await page.getByRole('dialog', { name: `seeded-00${FAR[0]}.jpg` }).waitFor();
      expect(page.url()).toContain(`view=${seeded[FAR[0]]}`);
      await page.reload();
      const viewer = page.getByRole('dialog', { name: `seeded-00${FAR[0]}.jpg` });
      await viewer.getByRole('img', { name: `seeded-00${FAR[0]}.jpg` }).waitFor();
      expect(await viewer.getByText('Opened by its link').count()).toBe(1);
      expect(asked.map(pathOf)).toContain(`/images/${seeded[FAR[0]]}`);
      // The same link in a browser that has never seen the list (sent to a phone).
      const phone = await suite.openAs({ user: 'bob' });
      try {
        await phone.page.goto(suite.app(`?view=${seeded[FAR[1]]}`));
        await phone.page
          .getByRole('dialog', { name: `seeded-00${FAR[1]}.jpg` })
          .getByRole('img')
          .waitFor();
        expect(await phone.page.getByText('not in the list').count()).toBe(0);
        expect(phone.console.unexpected()).toEqual([]);
      } finally {
        await phone.context.close();
      }
      // Closed, the gallery is there as before.
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      await images.locator('li.card').first().waitFor();
      expect(bob.console.unexpected()).toEqual([]);
    } finally {
      await bob.context.close();
    }
  });

  it('reads the first page once, and a search asks for its own first page, never with the timeline’s cursor', async () => {
    const bob = await suite.openAs({ user: 'bob' });
    try {
      const { page } = bob;
      // Tall: the search's few rows of tiles (no month headers) end where the timeline's sentinel would load more.
      await page.setViewportSize({ width: 1280, height: 3000 });
      const asked = requestsOf(page);
      const askedAt = new Map<Request, number>();
      page.on('request', (request) => askedAt.set(request, Date.now()));
      const refused: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(suite.app());
      const images = page.getByRole('list', { name: 'Images', exact: true });
      await images.locator('li.card').nth(23).waitFor();
      await page.waitForLoadState('networkidle');
      const lists = () => asked.filter((request) => pathOf(request) === '/images');
      // The first page once (an auth probe asks for limit=1, not for the gallery's page); more follow by the cursor.
      // The gallery polls the first page every 5 s for new photos: on a slow machine one may come before
      // `networkidle`, so a first page asked again within 4 s of the last is the double read, and a later one a poll.
      const pages = lists().filter((request) => params(request).get('limit') !== '1');
      const withoutPolls = (requests: Request[]) => {
        const last = new Map<string, number>();
        return requests.filter((request) => {
          const query = params(request).toString();
          const at = askedAt.get(request) ?? 0;
          const before = last.get(query);
          last.set(query, at);
          return before === undefined || at - before < 4000;
        });
      };
      const queries = (requests: Request[]) => requests.map((request) => params(request).toString());
      expect(queries(withoutPolls(pages).filter((request) => !params(request).has('cursor')))).toEqual([
        'sort=taken&limit=24',
      ]);
      expect(await page.getByText(/, more below$/).count()).toBe(1);
      const before = new Set(pages);
      const search = page.getByRole('searchbox', { name: 'Search' });
      for (const words of ['harbour', 'lighthouse']) {
        await search.fill(words);
        await search.press('Enter');
        await page.waitForURL(new RegExp(`q=${words}`));
        await page.getByText('No images match this search.').waitFor();
        await page.waitForLoadState('networkidle');
      }
      const searches = queries(
        withoutPolls(lists().filter((request) => params(request).get('limit') !== '1')).filter(
          (request) => !before.has(request),
        ),
      );
      expect(searches).toEqual(['q=harbour&limit=24', 'q=lighthouse&limit=24']);
      expect(refused).toEqual([]);
      expect(bob.console.unexpected()).toEqual([]);
    } finally {
      await bob.context.close();
    }
  });

  it('shows skeleton tiles while loading, and on an error says what failed with a Retry that works', async () => {
    const { page } = suite;
    let refused = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/images\?/, async (route) => {
      // The gallery's first page, never the auth probe's `limit=1`: on a loaded machine the probe can be asked first,
      // and refusing it instead let the page load and show no error.
      const gallerys = new URL(route.request().url()).searchParams.get('limit') !== '1';
      if (refused === 0 && gallerys) {
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

/** The API requests a page makes from now on. */
function requestsOf(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(suite.runner.ready.apiUrl)) seen.push(request);
  });
  return seen;
}
const pathOf = (request: Request) =>
  new URL(request.url()).pathname.replace(new URL(suite.runner.ready.apiUrl).pathname.replace(/\/$/, ''), '');
const params = (request: Request) => new URL(request.url()).searchParams;

/**
 * The WCAG contrast ratio of an element's text against what is behind it, as Chromium paints them: its computed
 * colour over the first background of it or an ancestor that is not transparent, each dimmed by the opacity on the
 * way (a disabled button's 0.6).
 */
async function contrastOf(element: Locator): Promise<number> {
  const { text, background } = await element.evaluate((node) => {
    const parse = (value: string): number[] => {
      const match = value.match(/^rgba?\(([^)]+)\)$/);
      if (!match) throw new Error(`not an rgb() colour: ${value}`);
      const parts = (match[1] as string)
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (top: number[], bottom: number[]) => {
      const alpha = top[3] ?? 1;
      return [0, 1, 2].map((i) => (top[i] ?? 0) * alpha + (bottom[i] ?? 0) * (1 - alpha)).concat(1);
    };
    let opacity = 1;
    let behind: number[] | undefined;
    for (let at: Element | null = node; at; at = at.parentElement) {
      const style = getComputedStyle(at);
      opacity *= Number(style.opacity);
      const colour = parse(style.backgroundColor);
      if (!behind && (colour[3] ?? 0) > 0) behind = colour;
      if (behind && (behind[3] ?? 0) >= 1) break;
    }
    const base = behind ?? [255, 255, 255, 1];
    const ink = parse(getComputedStyle(node).color);
    // The element's own opacity (and its ancestors' up to its background) fades its text into that background.
    return { text: over([ink[0], ink[1], ink[2], (ink[3] ?? 1) * opacity] as number[], base), background: base };
  });
  const luminance = (rgb: number[]) => {
    const [r, g, b] = rgb.slice(0, 3).map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
