/**
 * The renditions bench's originals: 12 MP photos in the five formats users upload (baseline and progressive JPEG,
 * PNG, HEIC, AVIF), each with the stored WebP thumbnails the processor would have made from it.
 *
 * 1. Pixels: the 12 MP mosaics of `make-corpus.ts` (native-scale crops of different photos, 2x2, enlarged when
 *    the sources are the 1280x800 fixtures), plus a light seeded Gaussian grain (sigma 2 on luma) standing in for
 *    sensor noise, so no encoder meets unnaturally smooth areas.
 * 2. Encode each format as a camera or phone would: JPEG q90 (4:2:0), PNG at zlib level 6, AVIF q55 (effort 2,
 *    which decodes like any other effort), HEIC q50 with Debian's `heif-enc` (libheif + x265): sharp's prebuilt
 *    libvips cannot encode (or decode) HEVC. Without `heif-enc` HEIC is left out, and the notes say so.
 * 3. Run the processor's own `analyzeImage` with the processor's options on every original and keep its WebP
 *    thumbnails: ours renders from the 1024 px one.
 *
 * Everything lands in `bench/corpus/renditions/` (gitignored) and is reused while the recipe is unchanged.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { CORPUS_DIR, ensureCorpus } from '../support/make-corpus';

export const RENDITIONS_CORPUS_DIR = path.join(CORPUS_DIR, 'renditions');

/** Source formats in table order. */
export const SOURCE_FORMATS = ['jpeg-baseline', 'jpeg-progressive', 'png', 'heic', 'avif'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** Changing how the corpus is made changes this, so cached files made the old way are rebuilt. */
const RECIPE = 'mosaic+grain2; jpeg q90 4:2:0; png z6; avif q55 e2; heic q50 x265; thumbnails by analyzeImage';
const GRAIN_SIGMA = 2;
const HEIC_QUALITY = 50;

export interface StoredThumbnail {
  size: number;
  width: number;
  height: number;
  bytes: number;
  file: string;
}

export interface Original {
  /** `<photo>.<format>`, unique in the corpus. */
  id: string;
  photo: string;
  format: SourceFormat;
  /** The format as the record names it (what `sniffFormat` says). */
  recordFormat: 'jpeg' | 'png' | 'heic' | 'avif';
  file: string;
  bytes: number;
  width: number;
  height: number;
  thumbnails: StoredThumbnail[];
}

export interface RenditionsCorpus {
  originals: Original[];
  provenance: string;
  /** What is missing or approximate, for the results. */
  notes: string[];
  heicEncoder?: string;
}

const EXTENSIONS: Record<SourceFormat, string> = {
  'jpeg-baseline': 'baseline.jpg',
  'jpeg-progressive': 'progressive.jpg',
  png: 'png',
  heic: 'heic',
  avif: 'avif',
};

const RECORD_FORMATS: Record<SourceFormat, Original['recordFormat']> = {
  'jpeg-baseline': 'jpeg',
  'jpeg-progressive': 'jpeg',
  png: 'png',
  heic: 'heic',
  avif: 'avif',
};

/** Builds what is missing and returns `photos` originals per available format. */
export async function ensureRenditionsCorpus(
  photos: number,
  log: (line: string) => void = () => {},
): Promise<RenditionsCorpus> {
  const { files, provenance } = await ensureCorpus(log);
  const mosaics = files['12mp'].slice(0, photos);
  await mkdir(RENDITIONS_CORPUS_DIR, { recursive: true });
  const heicEncoder = findHeicEncoder();
  const notes: string[] = [];
  if (!heicEncoder) {
    notes.push(
      'HEIC left out: no HEVC encoder on this machine (`apt-get install libheif-examples` gives `heif-enc` with x265).',
    );
  }
  const formats = SOURCE_FORMATS.filter((format) => format !== 'heic' || heicEncoder);
  const originals: Original[] = [];
  for (const mosaic of mosaics) {
    const photo = path.basename(mosaic, '.jpg').replace(/^12mp-/, '');
    for (const format of formats) originals.push(await ensureOriginal(mosaic, photo, format, log));
  }
  return { originals, provenance: `${provenance}, via bench/support/make-corpus.ts 12 MP mosaics`, notes, heicEncoder };
}

/** `heif-enc`'s libheif version when it is installed with an HEVC (x265) encoder, else undefined. */
function findHeicEncoder(): string | undefined {
  try {
    const encoders = execFileSync('heif-enc', ['--list-encoders'], { encoding: 'utf8' });
    if (!/x265/i.test(encoders)) return undefined;
    const help = execFileSync('sh', ['-c', 'heif-enc --help 2>&1 || true'], { encoding: 'utf8' });
    return `heif-enc (libheif ${/libheif version: (\S+)/.exec(help)?.[1] ?? '?'}, x265)`;
  } catch {
    return undefined;
  }
}

async function ensureOriginal(
  mosaic: string,
  photo: string,
  format: SourceFormat,
  log: (line: string) => void,
): Promise<Original> {
  const file = path.join(RENDITIONS_CORPUS_DIR, `${photo}.${EXTENSIONS[format]}`);
  const manifest = `${file}.json`;
  if (existsSync(manifest) && existsSync(file)) {
    const cached = JSON.parse(await readFile(manifest, 'utf8')) as Original & { recipe?: string };
    if (cached.recipe === RECIPE && cached.thumbnails.every((t) => existsSync(t.file))) {
      const { recipe: _recipe, ...original } = cached;
      return original;
    }
  }
  log(`renditions corpus: writing ${path.basename(file)}`);
  await writeFile(file, await encode(await grainy(mosaic), format, file));
  const original = await withThumbnails(file, photo, format);
  await writeFile(manifest, JSON.stringify({ ...original, recipe: RECIPE }, null, 2));
  return original;
}

/** The mosaic's pixels with seeded Gaussian luma grain: the same bytes on every machine. */
export async function grainy(mosaic: string | Buffer): Promise<{ data: Buffer; info: sharp.OutputInfo }> {
  const { data, info } = await sharp(mosaic).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let seed = 0x9e3779b9;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed + 1) / 2 ** 32;
  };
  for (let i = 0; i < data.length; i += 3) {
    // Box-Muller: one normal sample per pixel, added to all three channels (luma noise, as sensors show it).
    const noise = Math.round(GRAIN_SIGMA * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
    for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, Math.max(0, (data[i + c] as number) + noise));
  }
  return { data, info };
}

async function encode(pixels: { data: Buffer; info: sharp.OutputInfo }, format: SourceFormat, file: string) {
  const image = () =>
    sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: 3 } });
  switch (format) {
    case 'jpeg-baseline':
      return image().jpeg({ quality: 90, progressive: false, mozjpeg: false }).toBuffer();
    case 'jpeg-progressive':
      return image().jpeg({ quality: 90, progressive: true, mozjpeg: false }).toBuffer();
    case 'png':
      return image().png({ compressionLevel: 6 }).toBuffer();
    case 'avif':
      return image().avif({ quality: 55, effort: 2 }).toBuffer();
    case 'heic': {
      // heif-enc reads PNG or JPEG; a lossless PNG keeps HEVC the only lossy step, as in a phone.
      const input = `${file}.input.png`;
      await image().png({ compressionLevel: 1 }).toFile(input);
      try {
        execFileSync('heif-enc', ['-q', String(HEIC_QUALITY), '-o', file, input], { stdio: 'pipe' });
        return await readFile(file);
      } finally {
        await rm(input, { force: true });
      }
    }
  }
}

/** The processor's analysis, with the processor's options, and its thumbnails written beside the original. */
async function withThumbnails(file: string, photo: string, format: SourceFormat): Promise<Original> {
  const bytes = await readFile(file);
  const { record, thumbnails } = await analyzeImage(bytes, {
    thumbnailSizes: [...DEFAULT_SETTINGS.thumbnailSizes],
    maxPixels: DEFAULT_SETTINGS.maxPixels,
    // A 12 MP photo as PNG is over the default 25 MiB upload limit: a deployment taking them raises it.
    maxBytes: Math.max(DEFAULT_SETTINGS.maxUploadBytes, bytes.length),
  });
  if (record.status !== 'PROCESSED') throw new Error(`${file}: the processor says ${record.status}`);
  const stored: StoredThumbnail[] = [];
  for (const thumbnail of thumbnails) {
    const thumbFile = `${file}.${thumbnail.size}.webp`;
    await writeFile(thumbFile, thumbnail.data);
    const { size, width, height } = thumbnail;
    stored.push({ size, width, height, bytes: thumbnail.data.length, file: thumbFile });
  }
  return {
    id: `${photo}.${format}`,
    photo,
    format,
    recordFormat: RECORD_FORMATS[format],
    file,
    bytes: bytes.length,
    width: record.metadata.width,
    height: record.metadata.height,
    thumbnails: stored,
  };
}
