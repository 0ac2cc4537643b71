/**
 * Four camera-like 12 MP JPEGs made of photographs the core benches never tuned on: the labelled set's evaluation
 * half (bench/accuracy/set/eval, where each photo's source and licence are listed), not the Plasma wallpapers of
 * bench/corpus's mosaics.
 *
 * Each is a 4x4 mosaic of sixteen of those photos at their own scale (each about 1000x750, so every pixel carries
 * real detail: an enlarged photo is smoother than a camera file and flatters every decoder), with the renditions
 * corpus's seeded sensor grain, saved as a camera saves: baseline JPEG q92, 4:2:0, with EXIF (make, model, time).
 * The last is a phone's portrait: stored 4000x3000 with EXIF orientation 6, shown 3000x4000.
 *
 * Written once to bench/corpus/camera/ (gitignored); the same bytes on every machine.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { grainy } from '../renditions/corpus';
import { CORPUS_DIR } from './make-corpus';

const EVAL = path.join(__dirname, '..', 'accuracy', 'set', 'eval');
export const CAMERA_DIR = path.join(CORPUS_DIR, 'camera');
const COUNT = 4;
const GRID = 4;
const TILE = { width: 1000, height: 750 };

export async function ensureCameraPhotos(log: (line: string) => void = () => {}): Promise<string[]> {
  const files = Array.from({ length: COUNT }, (_, i) => path.join(CAMERA_DIR, `camera-${i + 1}.jpg`));
  if (files.every((file) => existsSync(file))) return files;
  await mkdir(CAMERA_DIR, { recursive: true });
  const photos = (await readdir(EVAL)).filter((name) => name.endsWith('.jpg')).sort();
  for (const [index, file] of files.entries()) {
    // Every eighth photo from a different start: sixteen different photos per mosaic.
    const picked = Array.from({ length: GRID * GRID }, (_, i) => photos[(index + i * COUNT) % photos.length] as string);
    const tiles = await Promise.all(
      picked.map(async (name, i) => ({
        input: await sharp(path.join(EVAL, name))
          .resize(TILE.width, TILE.height, { fit: 'cover' })
          .removeAlpha()
          .toBuffer(),
        left: (i % GRID) * TILE.width,
        top: Math.floor(i / GRID) * TILE.height,
      })),
    );
    const mosaic = await sharp({
      create: { width: GRID * TILE.width, height: GRID * TILE.height, channels: 3, background: '#000' },
    })
      .composite(tiles)
      .png()
      .toBuffer();
    const { data, info } = await grainy(mosaic);
    const portrait = index === COUNT - 1;
    await writeFile(
      file,
      await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .jpeg({ quality: 92, chromaSubsampling: '4:2:0' })
        .withExif({
          IFD0: {
            Make: 'image-intel bench',
            Model: 'camera-like mosaic',
            DateTime: '2026:11:27 10:00:00',
          },
        })
        .withMetadata({ orientation: portrait ? 6 : 1 })
        .toBuffer(),
    );
    log(`camera corpus: wrote ${path.basename(file)} from ${picked.slice(0, 3).join(', ')}...`);
  }
  return files;
}

if (require.main === module) {
  ensureCameraPhotos((line) => process.stderr.write(`${line}\n`)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
