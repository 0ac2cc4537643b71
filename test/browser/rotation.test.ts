/// <reference lib="dom" />
/**
 * A rotation on the detail page (issue 60, `PUT /images/{id}/rotation`), in headless Chromium against the local
 * runner: the Rotate button turns the photo a quarter clockwise, the page says it is being analysed again, and once
 * the processor has made it again the photo it shows is the turned one (a wide photo shows tall); a second press
 * turns it on to 180 (wide again). A user of this file's own on the shared jwt runner.
 */
import sharp from 'sharp';
import { browserSuite } from './browser';

jest.setTimeout(180_000);

let imageId = '';
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  const photo = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#5a3d7d' } })
    .jpeg()
    .toBuffer();
  imageId = await api.upload(photo, { filename: 'sideways.jpg' });
  expect((await api.waitForFinal(imageId, 60_000)).status).toBe('PROCESSED');
});

/** The shown photo's own size once it has loaded (its bytes, not its box), as [width, height]. */
async function shownSize(): Promise<[number, number]> {
  const photo = suite.page.getByRole('img', { name: 'sideways.jpg', exact: true });
  await photo.waitFor();
  return photo.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight] as [number, number];
  });
}

/**
 * Presses Rotate and answers once the page has said the photo is being analysed again and then stopped saying it
 * (the processor made it again). What it says is watched from before the press, so a processor quicker than the
 * page's next read cannot hide it.
 */
async function rotateAndWait(): Promise<void> {
  await suite.page.evaluate(() => {
    const said = () =>
      [...document.querySelectorAll('[role="status"]')].some((el) => el.textContent?.includes('being analysed again'));
    const seen = { said: false };
    (window as unknown as { rotation: typeof seen }).rotation = seen;
    new MutationObserver(() => {
      if (said()) seen.said = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  await suite.page.getByRole('button', { name: 'Rotate', exact: true }).click();
  await suite.page.waitForFunction(() => (window as unknown as { rotation: { said: boolean } }).rotation.said);
  await suite.page
    .getByRole('status')
    .filter({ hasText: 'being analysed again' })
    .waitFor({ state: 'detached', timeout: 120_000 });
}

describe('Rotate on the detail page', () => {
  it('turns the photo a quarter clockwise each press: the page says it is being analysed again, then shows it turned', async () => {
    await suite.page.goto(suite.app(`images/${imageId}`));
    const [width, height] = await shownSize();
    expect(width).toBeGreaterThan(height);

    await rotateAndWait();
    const [tallWidth, tallHeight] = await shownSize();
    expect(tallHeight).toBeGreaterThan(tallWidth);

    await rotateAndWait();
    const [wideWidth, wideHeight] = await shownSize();
    expect(wideWidth).toBeGreaterThan(wideHeight);
    expect((await suite.api().get(imageId))?.rotation).toBe(180);
  });
});
