/// <reference lib="dom" />
/**
 * The Places view (issue 45), in headless Chromium against the local runner: photos with GPS get their place as
 * they are analysed, the view lists the owner's places with their counts, country, region and locality, and a
 * place's link lists its photos (the gallery's `place=` search), and only them.
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
  it('lists the places of the photos with GPS, each with how many photos were taken there', async () => {
    await suite.page.goto(suite.app());
    await suite.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Places' }).click();
    const places = suite.page.getByRole('list', { name: 'Places' });
    await places.waitFor();
    expect(await places.getByRole('link', { name: 'Switzerland 2 photos' }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Basel 2 photos', exact: true }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Germany 1 photo' }).count()).toBe(1);
    expect(await places.getByRole('link', { name: 'Weil am Rhein 1 photo' }).count()).toBe(1);
    // The photo without GPS is in no place: two countries, three photos in all.
    const countries = await places.locator(':scope > li > a').allTextContents();
    expect(countries).toHaveLength(2);
    // GeoNames' licence asks for credit wherever its names are shown.
    const credit = suite.page.getByText(/^Place names from GeoNames/);
    expect(await credit.textContent()).toBe('Place names from GeoNames (CC BY 4.0); boundaries from Natural Earth.');
    expect(await credit.getByRole('link', { name: 'GeoNames' }).getAttribute('href')).toBe('https://www.geonames.org/');
  });

  it("lists a place's photos, and only them, when it is clicked", async () => {
    await suite.page.goto(suite.app('places'));
    await suite.page.getByRole('link', { name: 'Weil am Rhein 1 photo' }).click();
    await suite.page.waitForURL(/place=/);
    await tile('weil.jpg').waitFor();
    expect(await suite.page.locator('li.card').count()).toBe(1);
    await suite.page.goto(suite.app('places'));
    await suite.page.getByRole('link', { name: 'Switzerland 2 photos' }).click();
    await suite.page.waitForURL(/place=ch/);
    await tile('basel.jpg').waitFor();
    await tile('basel-again.jpg').waitFor();
    expect(await suite.page.locator('li.card').count()).toBe(2);
  });
});
