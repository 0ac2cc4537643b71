/**
 * Builds the benchmark corpus from real photos: 12 MP and 24 MP baseline JPEGs (q90) and 2 MP PNGs.
 *
 * 1. Take the Debian plasma wallpapers (2560x1600 photos) if installed, else the 1280x800 test fixtures.
 * 2. Upscale (cover crop) to the target size and overlay mild gaussian grain (sigma 10), so the encoders see
 *    photo-like detail rather than the smooth gradients a plain upscale leaves.
 * 3. Save as baseline JPEG q90 (12 and 24 MP) or PNG (2 MP).
 *
 * Run alone with `npx tsx bench/make-corpus.ts`; `bench/run.ts` calls it when the corpus is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const CORPUS_DIR = path.join(__dirname, 'corpus');

/** The size classes of the corpus: name, pixel size, count and output format. */
export const CLASSES = [
  { name: '12mp', width: 4000, height: 3000, count: 6, format: 'jpeg' },
  { name: '24mp', width: 6000, height: 4000, count: 4, format: 'jpeg' },
  { name: '2mp', width: 1732, height: 1155, count: 6, format: 'png' },
] as const;

export type ClassName = (typeof CLASSES)[number]['name'];

const WALLPAPERS = '/usr/share/wallpapers';
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'photos');
const GRAIN_SIGMA = 10;

/** Source photos, largest available first; the provenance string goes into the results. */
export async function sourcePhotos(): Promise<{ files: string[]; provenance: string }> {
  if (existsSync(WALLPAPERS)) {
    const themes = (await readdir(WALLPAPERS)).sort();
    const files = themes
      .map((theme) => path.join(WALLPAPERS, theme, 'contents', 'images', '2560x1600.jpg'))
      .filter((file) => existsSync(file));
    if (files.length > 0) return { files, provenance: `Debian plasma-workspace-wallpapers 2560x1600 (${WALLPAPERS})` };
  }
  const files = (await readdir(FIXTURES))
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => path.join(FIXTURES, name));
  return { files, provenance: '1280x800 test fixtures (test/fixtures/photos)' };
}

async function grainy(source: string, width: number, height: number): Promise<sharp.Sharp> {
  const base = await sharp(source).autoOrient().resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer();
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: GRAIN_SIGMA },
    },
  })
    .raw()
    .toBuffer();
  // Overlay of mid-grey is neutral, so the grain adds texture without shifting the picture's tones.
  const blended = await sharp(base, { raw: { width, height, channels: 3 } })
    .composite([{ input: noise, raw: { width, height, channels: 3 }, blend: 'overlay' }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return sharp(blended, { raw: { width, height, channels: 3 } });
}

/** Corpus files per class, sorted. Builds the corpus first when any file is missing. */
export async function ensureCorpus(
  log: (line: string) => void = () => {},
): Promise<{ files: Record<ClassName, string[]>; provenance: string }> {
  await mkdir(CORPUS_DIR, { recursive: true });
  const { files: sources, provenance } = await sourcePhotos();
  if (sources.length === 0) throw new Error('no source photos found');
  const result = { '12mp': [], '24mp': [], '2mp': [] } as Record<ClassName, string[]>;
  let next = 0;
  for (const spec of CLASSES) {
    for (let i = 0; i < spec.count; i++) {
      const source = sources[next++ % sources.length] as string;
      // A wallpaper is named by its theme folder, a fixture by its file name.
      const label = source.startsWith(WALLPAPERS) ? (source.split('/')[4] as string) : path.parse(source).name;
      const name = `${spec.name}-${i + 1}-${label}.${spec.format === 'jpeg' ? 'jpg' : 'png'}`;
      const file = path.join(CORPUS_DIR, name);
      if (!existsSync(file)) {
        log(`corpus: writing ${name} (${spec.width}x${spec.height}) from ${provenance}`);
        const image = await grainy(source, spec.width, spec.height);
        const encoded =
          spec.format === 'jpeg'
            ? await image.jpeg({ quality: 90, progressive: false, mozjpeg: false }).toBuffer()
            : await image.png({ compressionLevel: 6 }).toBuffer();
        await writeFile(file, encoded);
      }
      result[spec.name].push(file);
    }
  }
  return { files: result, provenance };
}

if (require.main === module) {
  ensureCorpus(console.log).then(
    (corpus) => console.log(JSON.stringify(corpus, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
