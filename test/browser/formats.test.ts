/// <reference lib="dom" />
/**
 * Every kind of file a camera makes opens in Chromium (issue 82): a fixture of each kind the pipeline processes (a
 * 10-bit AVIF is refused, docs/formats.md, so it has no renditions) is uploaded to the runner, and its viewer picture and a card rendition (WebP, AVIF and JPEG) are decoded by the
 * browser itself, at the size the record says. What the records hold is the e2e suites' (e2e/formats, raw,
 * hdr-formats, motion); this is the browser's view of what they serve.
 */
import { CAMERA_KINDS, fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(300_000);

/** Each fixture, by the name it is uploaded under. */
const FILES = [
  'formats/panorama.jpg',
  'formats/tiny.jpg',
  'formats/forest.heic',
  'formats/forest.avif',
  ...CAMERA_KINDS,
];

const ids = new Map<string, string>();
const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  for (const file of FILES) ids.set(file, await api.upload(fixture(file), { filename: file.split('/')[1] }));
  for (const [file, id] of ids) {
    const { status } = await api.waitForFinal(id, 180_000);
    expect([file, status]).toEqual([file, 'PROCESSED']);
  }
});

/** Whether Chromium decodes the picture at `url`, and its size. */
async function decoded(url: string): Promise<{ width: number; height: number }> {
  return suite.page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return { width: img.naturalWidth, height: img.naturalHeight };
  }, url);
}

describe('every format the pipeline takes, in Chromium', () => {
  it.each(FILES)('shows %s in the viewer, decoded by the browser', async (file) => {
    await suite.page.goto(suite.app(`images/${ids.get(file)}`));
    const picture = suite.page.locator('.stage img');
    await picture.waitFor();
    const width = await picture.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    expect(width).toBeGreaterThan(0);
  });

  it.each(FILES.flatMap((file) => (['webp', 'avif', 'jpeg'] as const).map((format) => [file, format] as const)))(
    'serves %s a %s card Chromium decodes',
    async (file, format) => {
      const api = suite.api();
      const id = ids.get(file) as string;
      const { url } = await api.rendition(id, { w: 400, h: 300, format });
      const size = await decoded(url);
      // A rendition never enlarges: a picture smaller than the card keeps its own pixels.
      expect(size.width).toBeGreaterThan(0);
      expect(size.width).toBeLessThanOrEqual(400);
      expect(size.height).toBeLessThanOrEqual(300);
    },
  );
});
