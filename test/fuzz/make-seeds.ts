/**
 * Rebuilds the fuzzer's extra seed inputs in test/fixtures/fuzz/seeds/ from the committed fixtures. Not run by
 * the tests or the fuzzer (the outputs are committed, so a seed + iteration replays the same bytes).
 *
 * The real fixtures are one encoding per format; these small variants reach the rest of each decoder: progressive,
 * greyscale, palette, interlaced, lossless, alpha, tiled, pyramid, multi-page and animated files, EXIF in every
 * container that carries it, and HEIC with alpha, a thumbnail and 10-bit samples. Small (at most 128 px), so the
 * fuzzer runs many of them a second. Needs heif-enc (Debian libheif-examples) for the HEIC files:
 *   npx tsx test/fuzz/make-seeds.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { fixturePath } from '../fixtures';

const SEEDS = join(__dirname, '..', 'fixtures', 'fuzz', 'seeds');

const exif = {
  IFD0: { Make: 'FuzzCam', Model: 'Seed 1', DateTime: '2024:05:01 12:00:00' },
  IFD2: { DateTimeOriginal: '2024:05:01 12:00:00' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2964/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 402/10',
    GPSAltitudeRef: '0',
    GPSAltitude: '35/1',
  },
};

const forest = (): Sharp => sharp(fixturePath('formats/forest.png')).resize(128, 80);
const alpha = (): Sharp => sharp(fixturePath('formats/alpha.png')).resize(64, 64);
const frames = (): Sharp => sharp(fixturePath('formats/animated.gif'), { pages: -1 });

const recipes: Record<string, () => Promise<Buffer>> = {
  'baseline-444-exif.jpg': () =>
    forest().withExif(exif).withMetadata({ orientation: 6 }).jpeg({ chromaSubsampling: '4:4:4' }).toBuffer(),
  'grey-progressive.jpg': () => forest().greyscale().jpeg({ progressive: true, quality: 70 }).toBuffer(),
  'palette-interlaced-alpha.png': () => alpha().png({ palette: true, colours: 16, progressive: true }).toBuffer(),
  'grey-1bit.png': () => forest().greyscale().png({ palette: true, colours: 2 }).toBuffer(),
  'rgb16-exif.png': () => forest().withExif(exif).toColourspace('rgb16').png().toBuffer(),
  'lossless-alpha.webp': () => alpha().webp({ lossless: true }).toBuffer(),
  'lossy-alpha-exif.webp': () => alpha().withExif(exif).webp({ quality: 60, alphaQuality: 50 }).toBuffer(),
  'animated.webp': () => frames().webp({ quality: 50 }).toBuffer(),
  'still-interlaced.gif': () => forest().gif({ progressive: true, colours: 64 }).toBuffer(),
  'tiled-deflate.tiff': () =>
    forest()
      .tiff({ tile: true, tileWidth: 32, tileHeight: 32, compression: 'deflate', predictor: 'horizontal' })
      .toBuffer(),
  'jpeg-pyramid.tiff': () =>
    forest().tiff({ compression: 'jpeg', tile: true, tileWidth: 16, tileHeight: 16, pyramid: true }).toBuffer(),
  'multipage.tiff': () => frames().tiff({ compression: 'lzw' }).toBuffer(),
  'grey16.tiff': () => forest().withExif(exif).toColourspace('grey16').tiff().toBuffer(),
  'alpha-exif.avif': () => alpha().withExif(exif).avif({ quality: 40, effort: 0 }).toBuffer(),
  'lossless-444.avif': () => forest().resize(48, 30).avif({ lossless: true, effort: 0 }).toBuffer(),
};

/** HEIC needs libheif's x265 encoder, which the prebuilt libvips lacks: encode through heif-enc from PNG. */
const heicRecipes: Record<string, { from: () => Sharp; args: string[] }> = {
  'alpha-thumb.heic': { from: alpha, args: ['-q', '40', '-t', '32'] },
  '10bit.heic': { from: () => forest().toColourspace('rgb16'), args: ['-q', '40', '-b', '10'] },
};

async function main(): Promise<void> {
  mkdirSync(SEEDS, { recursive: true });
  for (const [name, make] of Object.entries(recipes)) writeFileSync(join(SEEDS, name), await make());
  const work = mkdtempSync(join(tmpdir(), 'fuzz-seeds-'));
  try {
    for (const [name, { from, args }] of Object.entries(heicRecipes)) {
      const png = join(work, `${name}.png`);
      await from().png().toFile(png);
      execFileSync('heif-enc', [...args, png, '-o', join(SEEDS, name)], { stdio: 'inherit' });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
