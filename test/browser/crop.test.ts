/// <reference lib="dom" />
/**
 * The crop tool on the detail page (issue 78, `PUT` and `DELETE /images/{id}/crop`), in headless Chromium against
 * the local runner: Crop opens the tool over the whole photo; the 1:1 aspect sets the largest centred square; Apply
 * crop sends it, the page says the photo is being analysed again, and once it is made again the photo shown is
 * square; Reset crop brings the whole (wide) photo back. A user of this file's own on the shared jwt runner.
 */
import sharp from 'sharp';
import { browserSuite } from './browser';

jest.setTimeout(180_000);

let imageId = '';
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const photo = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#2d6a4f' } })
    .jpeg()
    .toBuffer();
  imageId = await api.upload(photo, { filename: 'wide.jpg' });
  expect((await api.waitForFinal(imageId, 60_000)).status).toBe('PROCESSED');
});

/** The shown photo's own size once it has loaded (its bytes, not its box), as [width, height]. */
async function shownSize(): Promise<[number, number]> {
  const photo = suite.page.getByRole('img', { name: 'wide.jpg', exact: true });
  await photo.waitFor();
  return photo.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight] as [number, number];
  });
}

/**
 * Clicks `button` and answers once the page has said the photo is being analysed again and then stopped saying it,
 * watched from before the click (as rotation.test.ts does), so a quick processor cannot hide it.
 */
async function sendAndWait(button: string): Promise<void> {
  await suite.page.evaluate(() => {
    const said = () =>
      [...document.querySelectorAll('[role="status"]')].some((el) => el.textContent?.includes('being analysed again'));
    const seen = { said: false };
    (window as unknown as { cropSeen: typeof seen }).cropSeen = seen;
    new MutationObserver(() => {
      if (said()) seen.said = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await suite.page.getByRole('button', { name: button, exact: true }).click();
  await suite.page.waitForFunction(() => (window as unknown as { cropSeen: { said: boolean } }).cropSeen.said);
  await suite.page
    .getByRole('status')
    .filter({ hasText: 'being analysed again' })
    .waitFor({ state: 'detached', timeout: 120_000 });
}

describe('Crop on the detail page', () => {
  it('crops to the 1:1 preset, shows the square photo once it is made again, and Reset crop brings the whole back', async () => {
    const page = suite.page;
    await page.goto(suite.app(`images/${imageId}`));
    const [width, height] = await shownSize();
    expect(width).toBeGreaterThan(height);

    await page.getByRole('button', { name: 'Crop', exact: true }).click();
    const tool = page.getByRole('region', { name: 'Crop the photo' });
    await tool.getByRole('img', { name: 'Uncropped wide.jpg' }).waitFor();
    await tool.getByRole('combobox', { name: 'Aspect' }).selectOption('1:1');
    // The largest centred square of a 320 x 200 photo: 62.5% of its width, all its height, from 18.75%.
    expect(await tool.getByRole('spinbutton', { name: 'Width %' }).inputValue()).toBe('62.5');
    expect(await tool.getByRole('spinbutton', { name: 'Left %' }).inputValue()).toBe('18.8');
    expect(await tool.getByRole('spinbutton', { name: 'Height %' }).inputValue()).toBe('100');

    await sendAndWait('Apply crop');
    const [squareWidth, squareHeight] = await shownSize();
    expect(squareWidth).toBe(squareHeight);
    expect((await suite.api().get(imageId))?.crop).toEqual({ left: 0.1875, top: 0, width: 0.625, height: 1 });

    await page.getByRole('button', { name: 'Crop', exact: true }).click();
    await sendAndWait('Reset crop');
    const [wideWidth, wideHeight] = await shownSize();
    expect(wideWidth).toBeGreaterThan(wideHeight);
  });
});
