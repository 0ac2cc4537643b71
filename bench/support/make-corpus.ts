/**
 * Builds the benchmark corpus from real photos: 12 MP and 24 MP baseline JPEGs (q90) and 2 MP PNGs.
 *
 * 1. Take the photographs among the Debian plasma wallpapers (2560x1600) if installed, else the 1280x800 test
 *    fixtures.
 * 2. Lay native-resolution crops of several photos side by side (2x2 for 12 MP, 3x3 for 24 MP), so that every
 *    pixel carries real photographic detail: an upscaled photo is smoother than a camera file and would flatter
 *    every encoder. The 2 MP PNGs are single photos, downscaled.
 * 3. Save as baseline JPEG q90 (12 and 24 MP) or PNG (2 MP).
 *
 * Run alone with `npx tsx bench/support/make-corpus.ts`; `bench/core/main.ts` calls it when the corpus is missing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const CORPUS_DIR = path.join(__dirname, '..', 'corpus');

/** The size classes of the corpus: name, pixel size, tiles per side, count and output format. */
export const CLASSES = [
  { name: '12mp', width: 4000, height: 3000, grid: 2, count: 6, format: 'jpeg' },
  { name: '24mp', width: 6000, height: 4000, grid: 3, count: 4, format: 'jpeg' },
  { name: '2mp', width: 1732, height: 1155, grid: 1, count: 6, format: 'png' },
] as const;

export type ClassName = (typeof CLASSES)[number]['name'];

export const WALLPAPERS = '/usr/share/wallpapers';
const FIXTURES = path.join(__dirname, '../..', 'test', 'fixtures', 'photos');
/** The plasma wallpapers that are photographs (the others are drawings and renders). */
export const PHOTO_THEMES = [
  'BytheWater',
  'ColdRipple',
  'ColorfulCups',
  'DarkestHour',
  'EveningGlow',
  'FallenLeaf',
  'Grey',
  'Kite',
  'OneStandsOut',
  'Path',
  'summer_1am',
];

/** Source photos, largest available first; the provenance string goes into the results. */
export async function sourcePhotos(): Promise<{ files: string[]; provenance: string }> {
  if (existsSync(WALLPAPERS)) {
    const files = PHOTO_THEMES.map((theme) =>
      path.join(WALLPAPERS, theme, 'contents', 'images', '2560x1600.jpg'),
    ).filter((file) => existsSync(file));
    if (files.length > 0) return { files, provenance: `Debian plasma-workspace-wallpapers 2560x1600 (${WALLPAPERS})` };
  }
  const files = (await readdir(FIXTURES))
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => path.join(FIXTURES, name));
  return { files, provenance: '1280x800 test fixtures (test/fixtures/photos)' };
}

/** A `grid` x `grid` mosaic of crops from consecutive source photos, each crop at (or near) native scale. */
async function mosaic(
  sources: string[],
  first: number,
  width: number,
  height: number,
  grid: number,
): Promise<sharp.Sharp> {
  const tileWidth = Math.ceil(width / grid);
  const tileHeight = Math.ceil(height / grid);
  const tiles = await Promise.all(
    Array.from({ length: grid * grid }, async (_, i) => ({
      input: await sharp(sources[(first + i) % sources.length] as string)
        .autoOrient()
        .resize(tileWidth, tileHeight, { fit: 'cover', withoutEnlargement: false })
        .removeAlpha()
        .png({ compressionLevel: 0 })
        .toBuffer(),
      left: (i % grid) * tileWidth,
      top: Math.floor(i / grid) * tileHeight,
    })),
  );
  const canvas = await sharp({
    create: { width: tileWidth * grid, height: tileHeight * grid, channels: 3, background: '#000' },
  })
    .composite(tiles)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(canvas.data, { raw: { width: canvas.info.width, height: canvas.info.height, channels: 3 } }).extract({
    left: 0,
    top: 0,
    width,
    height,
  });
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
      const first = next;
      next += spec.grid * spec.grid;
      const source = sources[first % sources.length] as string;
      // A wallpaper is named by its theme folder, a fixture by its file name.
      const label = source.startsWith(WALLPAPERS) ? (source.split('/')[4] as string) : path.parse(source).name;
      const name = `${spec.name}-${i + 1}-${label}.${spec.format === 'jpeg' ? 'jpg' : 'png'}`;
      const file = path.join(CORPUS_DIR, name);
      if (!existsSync(file)) {
        log(`corpus: writing ${name} (${spec.width}x${spec.height}) from ${provenance}`);
        const image = await mosaic(sources, first, spec.width, spec.height, spec.grid);
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
