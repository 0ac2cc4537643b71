/// <reference lib="dom" />
/**
 * Quality in the web app (issue 25), in headless Chromium against the local runner: a tile says a photo's quality
 * flags, the Quality filter finds the flagged ones, and the detail page shows the scores.
 */

import sharp from 'sharp';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const photo = fixture('photos/boats.jpg');
  const files: Array<[string, Buffer]> = [
    ['boats.jpg', photo],
    ['boats-blurred.jpg', await sharp(photo).blur(3).jpeg({ quality: 90 }).toBuffer()],
  ];
  for (const [name, bytes] of files) {
    const id = await api.upload(bytes, { filename: name });
    ids.set(name, id);
    expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
  }
});
const tile = (name: string) => suite.page.locator(`li.card[data-image-id="${ids.get(name)}"]`);

describe('quality in the web app', () => {
  it('says a tile’s quality flags, and nothing on a photo with none', async () => {
    await suite.page.goto(suite.app());
    await tile('boats-blurred.jpg').waitFor();
    expect(await tile('boats-blurred.jpg').getByTitle('Quality flags').textContent()).toBe('Blurry');
    expect(await tile('boats.jpg').getByTitle('Quality flags').count()).toBe(0);
  });

  it('finds the blurred copy, and only it, with the Quality filter', async () => {
    await suite.page.goto(suite.app());
    await suite.page.getByText('Filters', { exact: true }).click();
    await suite.page.getByLabel('Quality').selectOption('blurry');
    await suite.page.getByRole('button', { name: 'Search', exact: true }).click();
    await suite.page.waitForURL(/quality=blurry/);
    await tile('boats-blurred.jpg').waitFor();
    expect(await suite.page.locator('li.card').count()).toBe(1);
  });

  it('shows the scores and the flags on the detail page', async () => {
    await suite.page.goto(suite.app(`images/${ids.get('boats-blurred.jpg')}`));
    const panel = suite.page.getByRole('region', { name: 'Quality' });
    await panel.waitFor();
    expect(await panel.getByText('Blurry', { exact: true }).count()).toBe(1);
    expect(await panel.getByText('Sharpness').count()).toBe(1);
    await suite.page.goto(suite.app(`images/${ids.get('boats.jpg')}`));
    await suite.page.getByRole('region', { name: 'Quality' }).getByText('No quality flag.').waitFor();
  });
});
