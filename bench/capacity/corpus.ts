/**
 * The images the capacity run uploads: the 1280x800 fixture photos as they are, and 12 MP JPEGs made here with
 * sharp into the git-ignored bench/corpus/ (once; later runs reuse them).
 *
 * A 12 MP image is a 4x4 mosaic of native-scale crops of the fixture photos, saved as a baseline JPEG at quality 90
 * like the other benchmarks' corpus. It is not a camera original: no EXIF, and fifteen seams.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { fixturePath, photoNames } from '../../test/fixtures';

export const CAPACITY_CORPUS_DIR = path.join(__dirname, '..', 'corpus');
const LARGE = { width: 4000, height: 3000, count: 4 };

export interface CorpusImage {
  name: string;
  bytes: Buffer;
}

export interface CapacityCorpus {
  small: CorpusImage[];
  large: CorpusImage[];
  provenance: string;
}

/**
 * A 4000x3000 mosaic of 4x4 native-scale crops (1000x750, no resampling) from the photos, starting at `first`:
 * every pixel keeps a photo's own detail, so the file is about as large as a camera's at that size.
 */
async function mosaic(sources: string[], first: number): Promise<Buffer> {
  const [tileWidth, tileHeight] = [LARGE.width / 4, LARGE.height / 4];
  const tiles = await Promise.all(
    Array.from({ length: 16 }, async (_, i) => {
      const source = sharp(sources[(first + i) % sources.length] as string);
      const { width = tileWidth, height = tileHeight } = await source.metadata();
      // Crops from different corners of each photo, so repeated photos do not repeat tiles.
      const left = (i % 2) * Math.max(0, width - tileWidth);
      const top = (Math.floor(i / 2) % 2) * Math.max(0, height - tileHeight);
      return {
        input: await source
          .extract({ left, top, width: Math.min(width, tileWidth), height: Math.min(height, tileHeight) })
          .removeAlpha()
          .png({ compressionLevel: 0 })
          .toBuffer(),
        left: (i % 4) * tileWidth,
        top: Math.floor(i / 4) * tileHeight,
      };
    }),
  );
  return sharp({ create: { width: LARGE.width, height: LARGE.height, channels: 3, background: '#000' } })
    .composite(tiles)
    .jpeg({ quality: 90, progressive: false, mozjpeg: false })
    .toBuffer();
}

/** The fixture photos and the 12 MP JPEGs, written first if missing. */
export async function capacityCorpus(log: (line: string) => void = () => {}): Promise<CapacityCorpus> {
  const names = photoNames().filter((name) => name.endsWith('.jpg'));
  const sources = names.map((name) => fixturePath(`photos/${name}`));
  await mkdir(CAPACITY_CORPUS_DIR, { recursive: true });
  const large: CorpusImage[] = [];
  for (let i = 0; i < LARGE.count; i++) {
    const name = `capacity-12mp-${i + 1}.jpg`;
    const file = path.join(CAPACITY_CORPUS_DIR, name);
    if (!existsSync(file)) {
      log(`corpus: writing ${name} (${LARGE.width}x${LARGE.height})`);
      await writeFile(file, await mosaic(sources, i));
    }
    large.push({ name, bytes: await readFile(file) });
  }
  const small = await Promise.all(
    names.map(async (name, i) => ({ name, bytes: await readFile(sources[i] as string) })),
  );
  return {
    small,
    large,
    provenance:
      `${small.length} fixture photos (test/fixtures/photos, 1280x800 JPEG) and ${large.length} 12 MP JPEGs ` +
      '(4x4 mosaics of native-scale crops of them, 4000x3000, q90 baseline, bench/corpus/capacity-12mp-*.jpg)',
  };
}
