/// <reference lib="dom" />
/**
 * An owner's edits on the detail page (issue 60, docs/api.md "Edits"), in headless Chromium against the local runner:
 * a tag added from its field (Enter) and taken away from its chip, `tag=` finding the photo while it has it; a date
 * taken set with its offset moving the photo under another month of the timeline, and the photo's own date bringing
 * it back; a date with no offset kept without one; a star marking a favourite (on the page or in the viewer's details), which its tile shows and the
 * gallery's Favourites toggle finds; and a refused edit said in the API's words. A user of this file's own on the
 * shared jwt runner, so its timeline holds only these.
 */
import type { Locator } from 'playwright-core';
import sharp from 'sharp';
import { browserSuite } from './browser';

jest.setTimeout(120_000);

const ids = { summer: '', spring: '' };
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const photo = (colour: string, taken: string) =>
    sharp({ create: { width: 320, height: 240, channels: 3, background: colour } })
      .jpeg()
      .withExif({ IFD0: { DateTime: taken } })
      .toBuffer();
  ids.summer = await api.upload(await photo('#d08030', '2019:07:14 18:30:00'), { filename: 'summer-2019.jpg' });
  ids.spring = await api.upload(await photo('#30a050', '2021:03:02 09:00:00'), { filename: 'spring-2021.jpg' });
  for (const id of Object.values(ids)) expect((await api.waitForFinal(id, 60_000)).status).toBe('PROCESSED');
});

const grid = () => suite.page.getByRole('list', { name: 'Images', exact: true });
const panel = (name: string) => suite.page.getByRole('region', { name, exact: true });

async function openDetail(id: string): Promise<void> {
  await suite.page.goto(suite.app(`images/${id}`));
  await panel('Date taken').waitFor();
}

/** The gallery at `query`: the names of its cards once the first is in (or its empty message). */
async function cardsAt(query: string): Promise<string[]> {
  await suite.page.goto(suite.app(query));
  await grid().locator('li.card').first().or(suite.page.getByText('No images match this search.')).waitFor();
  return grid().locator('li.card .name').allTextContents();
}

/** The timeline's rows: `# Month Year` for a header, else the card's name. */
async function timeline(): Promise<string[]> {
  await suite.page.goto(suite.app());
  await grid().locator('li.card').nth(1).waitFor();
  return grid()
    .locator(':scope > li')
    .evaluateAll((items) =>
      items.map((li) =>
        li.classList.contains('date-header') ? `# ${li.textContent}` : (li.querySelector('.name')?.textContent ?? ''),
      ),
    );
}

/** A panel's facts, term: value. */
async function facts(section: Locator): Promise<Record<string, string>> {
  const rows = await section
    .locator('dl > div')
    .evaluateAll((divs) =>
      divs.map((div) => [div.querySelector('dt')?.textContent ?? '', div.querySelector('dd')?.textContent ?? '']),
    );
  return Object.fromEntries(rows);
}

describe("an owner's edits on the detail page", () => {
  it('adds a tag from its field with Enter and takes it away from its chip; tag= finds the photo while it has it', async () => {
    await openDetail(ids.summer);
    const tags = panel('Tags');
    expect(await tags.getByText('No tags.').isVisible()).toBe(true);
    await tags.getByLabel('New tag').fill('Lighthouse');
    await tags.getByLabel('New tag').press('Enter');
    await tags.getByRole('list', { name: 'Tags' }).getByText('Lighthouse', { exact: true }).waitFor();
    expect(await tags.getByLabel('New tag').inputValue()).toBe('');
    expect(await cardsAt('?tag=lighthouse')).toEqual(['summer-2019.jpg']);

    await openDetail(ids.summer);
    await panel('Tags').getByRole('button', { name: 'Remove the tag Lighthouse' }).click();
    await panel('Tags').getByText('No tags.').waitFor();
    expect(await cardsAt('?tag=lighthouse')).toEqual([]);
  });

  it('sets the date taken with its offset, which moves the photo under its month in the timeline; the photo’s own date moves it back', async () => {
    expect(await timeline()).toEqual(['# March 2021', 'spring-2021.jpg', '# July 2019', 'summer-2019.jpg']);
    await openDetail(ids.summer);
    const dated = panel('Date taken');
    expect(await facts(dated)).toEqual({
      Taken: 'July 14, 2019 at 6:30 PM',
      Source: 'From the photo’s EXIF (the camera’s clock)',
    });
    // The form starts from the date taken now.
    expect(await dated.getByLabel('Date and time').inputValue()).toMatch(/^2019-07-14T18:30/);
    await dated.getByLabel('Date and time').fill('2024-02-03T04:05:06');
    await dated.getByLabel('Offset from UTC').selectOption('+09:00');
    await dated.getByRole('button', { name: 'Set the date' }).click();
    await dated.getByText('Set by its owner').waitFor();
    expect(await facts(dated)).toEqual({
      Taken: 'February 3, 2024 at 4:05 AM (UTC+09:00)',
      Source: 'Set by its owner',
      'EXIF says': 'July 14, 2019 at 6:30 PM',
    });
    // Read again, the form starts from the owner's date and its offset.
    await openDetail(ids.summer);
    expect(await panel('Date taken').getByLabel('Offset from UTC').inputValue()).toBe('+09:00');
    expect(await timeline()).toEqual(['# February 2024', 'summer-2019.jpg', '# March 2021', 'spring-2021.jpg']);

    await openDetail(ids.summer);
    await panel('Date taken').getByRole('button', { name: 'Use the photo’s own date' }).click();
    await panel('Date taken').getByText('From the photo’s EXIF (the camera’s clock)').waitFor();
    expect(await panel('Date taken').getByRole('button', { name: 'Use the photo’s own date' }).count()).toBe(0);
    expect(await timeline()).toEqual(['# March 2021', 'spring-2021.jpg', '# July 2019', 'summer-2019.jpg']);
  });

  it('keeps a date without an offset: the form starts at No offset, and a new time is saved as a local time', async () => {
    await openDetail(ids.spring);
    const dated = panel('Date taken');
    const offset = dated.getByLabel('Offset from UTC');
    // The EXIF date has no zone: the form does not give it one (it once started at the browser's, UTC+00:00 here).
    expect(await offset.inputValue()).toBe('');
    expect(await offset.locator('option:checked').textContent()).toBe('No offset (local time)');
    await dated.getByLabel('Date and time').fill('2021-03-02T10:15:00');
    await dated.getByRole('button', { name: 'Set the date' }).click();
    await dated.getByText('Set by its owner').waitFor();
    expect(await facts(dated)).toEqual({
      Taken: 'March 2, 2021 at 10:15 AM (no offset)',
      Source: 'Set by its owner',
      'EXIF says': 'March 2, 2021 at 9:00 AM',
    });
    const record = (await suite.api().call('GET', `/images/${ids.spring}`)) as { takenCorrection?: object };
    expect(record.takenCorrection).toMatchObject({ takenAt: '2021-03-02T10:15:00' });
    expect(record.takenCorrection).not.toHaveProperty('offset');
    // Read again, the owner's date still has none.
    await openDetail(ids.spring);
    expect(await panel('Date taken').getByLabel('Offset from UTC').inputValue()).toBe('');
    await panel('Date taken').getByRole('button', { name: 'Use the photo’s own date' }).click();
    await panel('Date taken').getByText('From the photo’s EXIF (the camera’s clock)').waitFor();
  });

  it('marks a favourite with the star; its tile shows a star and the Favourites toggle finds it', async () => {
    await openDetail(ids.spring);
    const star = suite.page.getByRole('button', { name: 'Favourite', exact: true });
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await suite.page.locator('button[aria-pressed="true"]', { hasText: 'Favourite' }).waitFor();

    await cardsAt('');
    const favourites = suite.page.getByRole('button', { name: 'Favourites' });
    expect(await favourites.getAttribute('aria-pressed')).toBe('false');
    expect(await grid().getByRole('img', { name: 'A favourite' }).count()).toBe(1);
    await favourites.click();
    await suite.page.waitForURL(/favourite=true/);
    await grid().locator('li.card').first().waitFor();
    expect(await grid().locator('li.card .name').allTextContents()).toEqual(['spring-2021.jpg']);
    expect(await favourites.getAttribute('aria-pressed')).toBe('true');
    // Pressed again: every photo.
    await favourites.click();
    await suite.page.waitForURL((url) => !url.search.includes('favourite'));
    await grid().locator('li.card').nth(1).waitFor();
  });

  it('marks a favourite from the viewer’s details too', async () => {
    const { page } = suite;
    await cardsAt('');
    await grid().getByRole('link', { name: 'summer-2019.jpg', exact: true }).click();
    const viewer = page.getByRole('dialog', { name: 'summer-2019.jpg' });
    const details = viewer.getByRole('complementary', { name: 'Details' });
    await viewer.waitFor();
    if (!(await details.isVisible())) await viewer.getByRole('button', { name: 'Details' }).click();
    const star = details.getByRole('button', { name: 'Favourite', exact: true });
    await star.waitFor();
    expect(await star.getAttribute('aria-pressed')).toBe('false');
    await star.click();
    await details.locator('button[aria-pressed="true"]', { hasText: 'Favourite' }).waitFor();
    await page.keyboard.press('Escape');
    expect((await cardsAt('?favourite=true')).sort()).toEqual(['spring-2021.jpg', 'summer-2019.jpg']);
  });

  it('says a refused edit in the API’s words, and that a 409 is worth another go', async () => {
    const { page } = suite;
    await openDetail(ids.summer);
    await page.route('**/images/*/tags', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ message: `image ${ids.summer} is PENDING: it can be edited once it is PROCESSED` }),
      }),
    );
    suite.expectErrors(/status of 409/);
    try {
      await panel('Tags').getByLabel('New tag').fill('Harbour');
      await panel('Tags').getByLabel('New tag').press('Enter');
      const alert = panel('Tags').getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe(
        `image ${ids.summer} is PENDING: it can be edited once it is PROCESSED. Try again in a moment.`,
      );
    } finally {
      await page.unroute('**/images/*/tags');
    }
  });
});
