/// <reference lib="dom" />
/**
 * An image's Place panel (issue 45), in headless Chromium against the local runner: a photo with GPS shows its
 * place's names, each a link to the gallery's `place=` search, how they were given, its position and the GeoNames
 * credit; its owner names it by hand (finding it as it is typed: `GET /places/suggestions`), sets a position (named
 * by the runner's places data), and goes back to the photo's GPS, each through the panel's forms and the
 * `PUT`/`DELETE /images/{id}/place` routes.
 */
import type { Locator } from 'playwright-core';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

let basel = '';
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  basel = await api.upload(fixture('places/basel.jpg'), { filename: 'basel.jpg' });
  expect((await api.waitForFinal(basel, 120_000)).status).toBe('PROCESSED');
});

const panel = () => suite.page.getByRole('region', { name: 'Place' });

/** The panel's names and facts, term: value, as a person reads them. */
async function facts(section: Locator): Promise<Record<string, string>> {
  const rows = await section
    .locator('dl > div')
    .evaluateAll((divs) =>
      divs.map((div) => [div.querySelector('dt')?.textContent ?? '', div.querySelector('dd')?.textContent ?? '']),
    );
  return Object.fromEntries(rows);
}

async function openDetail(): Promise<void> {
  await suite.page.goto(suite.app(`images/${basel}`));
  await panel().waitFor();
}

describe("an image's Place panel", () => {
  it('shows the place the photo’s GPS names, its position, and the GeoNames credit', async () => {
    await openDetail();
    expect(await facts(panel())).toEqual({
      Locality: 'Basel',
      Region: 'Basel-Stadt (CH-BS)',
      Country: 'Switzerland (CH)',
      Source: 'From the photo’s GPS',
      Position: '47.56, 7.59',
    });
    const credit = panel().getByText(/^Place names from GeoNames/);
    expect(await credit.textContent()).toBe('Place names from GeoNames (CC BY 4.0); boundaries from Natural Earth.');
    expect(await credit.getByRole('link', { name: 'GeoNames' }).getAttribute('href')).toBe('https://www.geonames.org/');
    expect(await credit.getByRole('link', { name: 'Natural Earth' }).getAttribute('href')).toBe(
      'https://www.naturalearthdata.com/',
    );
  });

  it("links each name to the gallery's search for it, which finds the photo", async () => {
    await openDetail();
    const link = panel().getByRole('link', { name: 'Basel', exact: true });
    expect(await link.getAttribute('href')).toMatch(/\?place=CH&place=Basel-Stadt&place=Basel$/);
    await link.click();
    await suite.page.waitForURL(/place=Basel/);
    await suite.page.locator(`li.card[data-image-id="${basel}"]`).waitFor();
  });

  it('names the place by hand, sets a position, and goes back to the photo’s GPS', async () => {
    await openDetail();
    await panel().getByText('Correct the place').click();
    const byName = panel().getByRole('form', { name: 'Name the place' });
    // The fields start from the place as it is: changing the town keeps the region and country.
    expect(await byName.getByLabel('Country', { exact: true }).inputValue()).toBe('Switzerland');
    await byName.getByLabel('Locality').fill('Riehen');
    await byName.getByRole('button', { name: 'Name the place' }).click();
    await panel().getByRole('link', { name: 'Riehen' }).waitFor();
    expect(await facts(panel())).toMatchObject({
      Locality: 'Riehen',
      Region: 'Basel-Stadt (CH-BS)',
      Source: 'Named by its owner',
      Position: '47.56, 7.59',
    });

    const byPosition = panel().getByRole('form', { name: 'Set the position' });
    await byPosition.getByLabel('Latitude').fill('95');
    await byPosition.getByRole('button', { name: 'Set the position' }).click();
    expect(await panel().getByRole('alert').textContent()).toMatch(/latitude is a number of degrees from -90 to 90/);
    await byPosition.getByLabel('Latitude').fill('47.5947');
    await byPosition.getByLabel('Longitude').fill('7.6208');
    await byPosition.getByRole('button', { name: 'Set the position' }).click();
    await panel().getByRole('link', { name: 'Weil am Rhein' }).waitFor();
    expect(await facts(panel())).toMatchObject({
      Country: 'Germany (DE)',
      Source: 'From a position set by hand',
      Position: '47.5947, 7.6208',
    });

    // The gallery's viewer names the corrected place and position as well, not the photo's EXIF GPS.
    await suite.page.goto(suite.app(`?view=${basel}`));
    const viewer = suite.page.getByRole('dialog', { name: 'basel.jpg' });
    const details = viewer.getByRole('complementary', { name: 'Details' });
    await viewer.waitFor();
    if (!(await details.isVisible())) await viewer.getByRole('button', { name: 'Details' }).click();
    await details.getByText('Weil am Rhein, Baden-Württemberg, Germany · 47.5947, 7.6208').waitFor();
    expect(await details.getByRole('link', { name: 'GeoNames' }).count()).toBe(1);
    await openDetail();
    await panel().getByText('Correct the place').click();
    await panel().getByRole('button', { name: 'Back to the photo’s GPS' }).click();
    await panel().getByRole('link', { name: 'Basel', exact: true }).waitFor();
    expect(await facts(panel())).toMatchObject({ Locality: 'Basel', Source: 'From the photo’s GPS' });
    // No correction stands: nothing to go back from.
    expect(await panel().getByRole('button', { name: 'Back to the photo’s GPS' }).count()).toBe(0);
  });

  it('finds a place as its name is typed, in English too, and names the photo with the data’s names and codes', async () => {
    await openDetail();
    await panel().getByText('Correct the place').click();
    const byName = panel().getByRole('form', { name: 'Name the place' });
    const find = byName.getByRole('combobox', { name: 'Find a place' });
    // Its English name: the data's is Genève.
    await find.pressSequentially('geneva');
    const list = byName.getByRole('listbox', { name: 'Places found' });
    const option = list.getByRole('option', { name: /^Genève, Switzerland/ }).first();
    await option.waitFor();
    // From the keyboard: down to it, Enter picks it and fills the fields.
    const options = await list.getByRole('option').allTextContents();
    const at = options.findIndex((text) => text.startsWith('Genève, Switzerland'));
    for (let i = 0; i <= at; i++) await find.press('ArrowDown');
    expect(await find.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await find.press('Enter');
    await list.waitFor({ state: 'detached' });
    expect(await byName.getByLabel('Country', { exact: true }).inputValue()).toBe('Switzerland');
    expect(await byName.getByLabel('Country code').inputValue()).toBe('CH');
    await byName.getByRole('button', { name: 'Name the place' }).click();
    await panel().getByRole('link', { name: 'Genève' }).first().waitFor();
    expect(await facts(panel())).toMatchObject({ Country: 'Switzerland (CH)', Source: 'Named by its owner' });
    expect((await facts(panel())).Region).toMatch(/^Genève \(CH-GE\)$/);
    // Back to the GPS, as the other tests expect it (the form stays open after a correction).
    const back = panel().getByRole('button', { name: 'Back to the photo’s GPS' });
    if (!(await back.isVisible())) await panel().getByText('Correct the place').click();
    await back.click();
    await panel().getByRole('link', { name: 'Basel', exact: true }).waitFor();
  });

  it('fits a 375 px wide screen with its forms open', async () => {
    const narrow = await suite.open({ width: 375, height: 812 });
    try {
      await narrow.page.goto(suite.app(`images/${basel}`));
      const place = narrow.page.getByRole('region', { name: 'Place' });
      await place.getByText('Correct the place').click();
      await place.getByRole('form', { name: 'Set the position' }).waitFor();
      expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBe(375);
      expect(narrow.console.unexpected()).toEqual([]);
    } finally {
      await narrow.context.close();
    }
  });
});
