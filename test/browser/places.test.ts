/// <reference lib="dom" />
/**
 * The Places view (issues 45 and 60), in headless Chromium against the local runner: photos with GPS get their place
 * as they are analysed; the view draws them on a world map bundled with the app and lists the owner's places as a
 * card per country (a cover photo, the regions and towns, each name once) with their counts; a place's link lists
 * its photos (the gallery's `place=` search, by name), and only them, under a heading that names the place.
 */

import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const files: Array<[string, string]> = [
    ['basel.jpg', 'places/basel.jpg'],
    ['basel-again.jpg', 'places/basel.jpg'],
    ['weil.jpg', 'places/weil-am-rhein.jpg'],
    ['no-gps.jpg', 'places/no-gps.jpg'],
  ];
  for (const [name, path] of files) {
    // The two Basel photos are the same bytes: uploaded as a second image, not as a duplicate of the first.
    const bytes = name === 'basel-again.jpg' ? Buffer.concat([fixture(path), Buffer.from([0])]) : fixture(path);
    const id = await api.upload(bytes, { filename: name });
    ids.set(name, id);
    expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
  }
});
const tile = (name: string) => suite.page.locator(`li.card[data-image-id="${ids.get(name)}"]`);

describe('the Places view', () => {
  it('draws a world map offline, the countries with photos filled and marked, and nothing fetched for it', async () => {
    const outside: string[] = [];
    suite.page.on('request', (request) => {
      const url = new URL(request.url());
      if (!['localhost', '127.0.0.1'].includes(url.hostname)) outside.push(request.url());
    });
    await suite.page.goto(suite.app());
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Places' }).click();
    const map = suite.page.getByRole('figure', { name: /^World map/ });
    await map.locator('svg path.country').first().waitFor();
    expect(await map.getAttribute('aria-label')).toBe(
      'World map: photos taken in Switzerland (2 photos), Germany (1 photo)',
    );
    // Every country of the atlas is drawn (Natural Earth at 1:110m: 177 shapes).
    expect(await map.locator('path.country').count()).toBe(177);
    const visited = await map
      .locator('path.country.visited')
      .evaluateAll((paths) => paths.map((path) => path.getAttribute('data-code')));
    expect(visited.sort()).toEqual(['CH', 'DE']);
    // A marker on each, the one with more photos larger, inside the country's link.
    const markers = map.locator('circle.marker');
    expect(await markers.evaluateAll((circles) => circles.map((c) => c.getAttribute('data-code')).sort())).toEqual([
      'CH',
      'DE',
    ]);
    const radius = (code: string) => map.locator(`circle.marker[data-code="${code}"]`).getAttribute('r');
    expect(Number(await radius('CH'))).toBeGreaterThan(Number(await radius('DE')));
    const swiss = map.getByRole('link', { name: 'Switzerland, 2 photos' });
    const box = await swiss.locator('circle').boundingBox();
    expect(box && box.width > 0 && box.height > 0).toBe(true);
    // The atlas is bundled: no tile server, no request off this machine.
    expect(outside).toEqual([]);
  });

  it('shows a card per country with a cover photo, its regions and towns, each name once', async () => {
    // Each cover comes with GET /places (its thumbnail's link): the view reads no image, nor a list, for a card.
    const imageReads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      const url = new URL(request.url());
      if (url.origin === new URL(suite.app()).origin && url.pathname.startsWith('/images')) imageReads.push(url.href);
    };
    suite.page.on('request', onRequest);
    await suite.page.goto(suite.app('places'));
    const places = suite.page.getByRole('list', { name: 'Places', exact: true });
    await places.waitFor();
    expect(await places.getByRole('link', { name: 'Switzerland 2 photos' }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Basel 2 photos', exact: true }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Germany 1 photo' }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Weil am Rhein 1 photo' }).count()).toBe(1);
    // The photo without GPS is in no place: two countries, three photos in all.
    const cards = places.locator(':scope > li.place-card');
    expect(await cards.count()).toBe(2);
    // Each card's cover is a photo taken there, loaded.
    for (const card of await cards.all()) {
      const cover = card.locator('.place-cover img');
      await cover.waitFor();
      await suite.page.waitForFunction(
        (img) => Boolean(img && (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
        await cover.elementHandle(),
      );
    }
    suite.page.off('request', onRequest);
    expect(imageReads).toEqual([]);
    // No line of a card says what the line above it says.
    for (const card of await cards.all()) {
      const lines = await card.locator('.place-lines a').allTextContents();
      expect(lines.filter((line, index) => line === lines[index - 1])).toEqual([]);
    }
    // GeoNames' licence asks for credit wherever its names are shown.
    const credit = suite.page.getByText(/^Place names from GeoNames/);
    expect(await credit.textContent()).toBe('Place names from GeoNames (CC BY 4.0); boundaries from Natural Earth.');
    expect(await credit.getByRole('link', { name: 'GeoNames' }).getAttribute('href')).toBe('https://www.geonames.org/');
  });

  it("lists a place's photos, and only them, under its name, the filter in names, not codes", async () => {
    await suite.page.goto(suite.app('places'));
    await suite.page.getByRole('link', { name: 'Weil am Rhein 1 photo' }).click();
    await suite.page.waitForURL(/place=/);
    await tile('weil.jpg').waitFor();
    expect(await suite.page.locator('li.card').count()).toBe(1);
    const heading = await suite.page.getByRole('heading', { level: 1 }).textContent();
    expect(heading).toMatch(/^Weil am Rhein, .+, Germany$/);
    const field = suite.page.getByRole('form', { name: 'Search images' }).getByLabel('Place', { exact: true });
    expect(await field.inputValue()).toMatch(/^Germany, .+, Weil am Rhein$/);
    // From the map: a country's photos.
    await suite.page.goto(suite.app('places'));
    await suite.page
      .getByRole('figure', { name: /^World map/ })
      .getByRole('link', { name: 'Switzerland, 2 photos' })
      .click();
    await suite.page.waitForURL(/place=Switzerland/);
    await tile('basel.jpg').waitFor();
    await tile('basel-again.jpg').waitFor();
    expect(await suite.page.locator('li.card').count()).toBe(2);
    expect(await suite.page.getByRole('heading', { level: 1 }).textContent()).toBe('Switzerland');
  });
});
