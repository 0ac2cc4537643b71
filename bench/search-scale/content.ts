/**
 * What one synthetic image shows and what the analysis and vision would say of it: format and size, EXIF, palette,
 * labels, boxed objects, faces, OCR text, moderation, and the perceptual hash of its raster, computed by the real
 * lambdas/core/analysis/phash.ts. Everything is drawn from one seeded stream per image, so an image's content can be made
 * again from its index alone (which is how its duplicates copy it without the generator keeping every record).
 */
import { createHash } from 'node:crypto';
import { perceptualHash } from '../../lambdas/core/analysis/phash';
import type { ImageFormat, PaletteEntry } from '../../lambdas/core/record';
import type { Vision } from '../../lambdas/core/vision-schema';
import type { Rng } from '../../test/fuzz/prng';
import {
  type Block,
  type EditKind,
  edited,
  FULL_FRAME,
  gaussian,
  layoutScene,
  newScene,
  render,
  type Scene,
} from './raster';
import {
  CAMERAS,
  type ColorFamily,
  colorFamily,
  colorOf,
  PAGE_LABELS,
  SCREEN_LABELS,
  type Vocabulary,
} from './vocabulary';

/** What kind of picture: most are photos; screenshots and document pages carry text and share layouts. */
export type Picture = 'photo' | 'screen' | 'page';

export interface Content {
  picture: Picture;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  exif?: { make: string; model: string; takenAt: string; gps?: { latitude: number; longitude: number } };
  phash: string;
  sha256: string;
  palette: PaletteEntry[];
  brightness: number;
  labels: Vision['labels'];
  objects: Vision['objects'];
  faces: Vision['faces'];
  lines: Vision['text']['lines'];
  flagged: boolean;
  /** The edits that made it, for a near-duplicate. */
  edits?: EditKind[];
}

/** Labels whose colour shows in the palette (a sky is blue, a forest green). */
const LABEL_COLORS: Record<string, ColorFamily> = {
  Sky: 'blue',
  Sea: 'blue',
  Ocean: 'blue',
  Water: 'teal',
  Plant: 'green',
  Tree: 'green',
  Grass: 'green',
  Forest: 'green',
  Vegetation: 'green',
  Sunset: 'orange',
  Snow: 'white',
  Night: 'black',
  Sand: 'yellow',
  Desert: 'yellow',
  Flower: 'pink',
};

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
const box = (rng: Rng) => {
  const width = round(0.05 + 0.5 * rng.next());
  const height = round(0.05 + 0.5 * rng.next());
  return { left: round((1 - width) * rng.next()), top: round((1 - height) * rng.next()), width, height };
};
const confidence = (rng: Rng) => round(0.6 + 0.39 * Math.sqrt(rng.next()));

/** The raster's scene: a photo's own, or its layout's page with this image's jitter. */
export function sceneFor(picture: Picture, layout: readonly Block[] | undefined, rng: Rng): Scene {
  return picture === 'photo' || !layout ? newScene(rng) : layoutScene(layout, rng);
}

/** The perceptual hash and mean grey of a shot of a scene (the real hash of lambdas/core). */
export function hashOf(
  scene: Scene,
  rng: Rng,
  edit = false,
): { phash: string; brightness: number; edits?: EditKind[] } {
  const shot = edit ? edited(scene, rng) : { scene, shot: FULL_FRAME, edits: undefined };
  const grey = render(shot.scene, shot.shot, rng);
  const brightness = grey.reduce((sum, value) => sum + value, 0) / grey.length;
  return { phash: perceptualHash(grey), brightness: round(brightness, 1), edits: shot.edits };
}

/** A SHA-256 that no other image shares (distinct bytes), deterministic per stream. */
export function uniqueSha256(rng: Rng): string {
  return createHash('sha256').update(String(rng.next())).update(String(rng.next())).digest('hex');
}

function labelsOf(picture: Picture, vocabulary: Vocabulary, rng: Rng): string[] {
  if (picture !== 'photo') {
    const pool = picture === 'screen' ? SCREEN_LABELS : PAGE_LABELS;
    return ['Text', ...pool.slice(1).filter(() => rng.chance(0.4))];
  }
  const names = new Set<string>();
  vocabulary.labelChance.forEach((chance, rank) => {
    if (rng.chance(chance)) names.add(vocabulary.labels[rank] as string);
  });
  if (names.size === 0) names.add(vocabulary.labels[rng.int(20)] as string);
  for (const name of [...names]) for (const parent of vocabulary.parents[name] ?? []) names.add(parent);
  return [...names];
}

function objectsOf(labels: readonly string[], vocabulary: Vocabulary, rng: Rng): Vision['objects'] {
  return labels
    .filter((label) => vocabulary.boxed.has(label) && rng.chance(0.75))
    .flatMap((label) => {
      let count = 1;
      while (count < 12 && rng.chance(label === 'Person' ? 0.45 : 0.25)) count++;
      return Array.from({ length: count }, () => ({
        name: label.toLowerCase(),
        confidence: confidence(rng),
        box: box(rng),
      }));
    });
}

/** OCR lines: a sign in one photo in twelve, most of a screen, a whole page. */
function linesOf(picture: Picture, vocabulary: Vocabulary, rng: Rng): Vision['text']['lines'] {
  const count = picture === 'page' ? rng.between(40, 120) : picture === 'screen' ? rng.between(15, 60) : 0;
  const words = picture === 'photo' ? (rng.chance(1 / 12) ? rng.between(1, 6) : 0) : count;
  const drawn = Array.from({ length: words }, () => vocabulary.words[vocabulary.word(rng)] as string);
  const lines: Vision['text']['lines'] = [];
  for (let start = 0; start < drawn.length; start += 6) {
    const text = drawn.slice(start, start + 6).join(' ');
    lines.push({ text: rng.chance(0.2) ? text.toUpperCase() : text, confidence: confidence(rng), box: box(rng) });
  }
  return lines;
}

function paletteOf(picture: Picture, labels: readonly string[], rng: Rng): PaletteEntry[] {
  const families: ColorFamily[] = picture === 'photo' ? [] : ['white'];
  for (const label of labels) {
    const family = LABEL_COLORS[label];
    if (family && !families.includes(family)) families.push(family);
  }
  const size = rng.between(3, 6);
  while (families.length < size)
    families.push(picture === 'photo' ? colorFamily(rng) : rng.pick(['gray', 'black', 'blue']));
  // Dirichlet(1) shares; a page's background (its first family) takes the largest.
  const weights = families.slice(0, size).map(() => -Math.log(Math.max(rng.next(), Number.EPSILON)));
  if (picture !== 'photo') weights[0] = (weights[0] as number) + 4;
  const total = weights.reduce((a, b) => a + b, 0);
  return families
    .slice(0, size)
    .map((family, i) => {
      const rgb = colorOf(family, rng);
      const hex = `#${[rgb.r, rgb.g, rgb.b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      return { hex, rgb, proportion: round((weights[i] as number) / total) };
    })
    .sort((a, b) => b.proportion - a.proportion);
}

const FORMATS: Record<Picture, Array<[ImageFormat, number]>> = {
  photo: [
    ['jpeg', 0.72],
    ['heic', 0.18],
    ['png', 0.04],
    ['webp', 0.04],
    ['avif', 0.01],
    ['gif', 0.01],
  ],
  screen: [
    ['png', 0.9],
    ['jpeg', 0.1],
  ],
  page: [
    ['jpeg', 0.6],
    ['png', 0.3],
    ['tiff', 0.1],
  ],
};

function formatOf(picture: Picture, rng: Rng): ImageFormat {
  let target = rng.next();
  for (const [format, share] of FORMATS[picture]) {
    target -= share;
    if (target < 0) return format;
  }
  return 'jpeg';
}

/** Width and height: a phone's 4:3, a camera's 3:2, a square crop; screens and pages in their own shapes. */
function dimensionsOf(picture: Picture, camera: number, rng: Rng): [number, number] {
  if (picture === 'screen') return rng.chance(0.7) ? [1170, 2532] : [1920, 1080];
  if (picture === 'page') return [2480, 3508];
  const [long, short] = camera >= 12 ? [6000, 4000] : [4032, 3024];
  const shape = rng.next();
  if (shape < 0.07) return [short, short];
  return shape < 0.4 ? [short, long] : [long, short];
}

/** EXIF date as the record keeps it (camera local time, `YYYY-MM-DDTHH:MM:SS`): some time before the upload. */
function takenBefore(createdAt: string, rng: Rng): string {
  const lagDays = rng.chance(0.05) ? 365 * (1 + 15 * rng.next()) : -Math.log(Math.max(rng.next(), 1e-9)) * 20;
  const zoneHours = rng.between(-8, 9);
  return new Date(Date.parse(createdAt) - lagDays * 86_400_000 + zoneHours * 3_600_000).toISOString().slice(0, 19);
}

/** An original image's content, from its own stream and its scene (the raster the hash is computed on). */
export function originalContent(
  picture: Picture,
  createdAt: string,
  vocabulary: Vocabulary,
  scene: Scene,
  rng: Rng,
): Content {
  const format = formatOf(picture, rng);
  const camera = vocabulary.camera(rng);
  const [width, height] = dimensionsOf(picture, camera, rng);
  const withExif = picture === 'photo' ? rng.chance(format === 'jpeg' || format === 'heic' ? 0.9 : 0.2) : false;
  const [make, model] = CAMERAS[camera] as readonly [string, string];
  const labels = labelsOf(picture, vocabulary, rng);
  const persons = labels.includes('Person');
  let faces = 0;
  if (persons && rng.chance(0.7)) while (faces < 30 && (faces === 0 || rng.chance(0.45))) faces++;
  const bytesPerPixel = format === 'png' ? 0.9 : format === 'heic' || format === 'avif' ? 0.15 : 0.3;
  const { phash, brightness } = hashOf(scene, rng);
  return {
    picture,
    format,
    width,
    height,
    bytes: Math.round(width * height * bytesPerPixel * (0.6 + 0.8 * rng.next())),
    exif: withExif
      ? {
          make,
          model,
          takenAt: takenBefore(createdAt, rng),
          gps: rng.chance(0.3)
            ? { latitude: round(38 + 10 * gaussian(rng)), longitude: round(-9 + 20 * gaussian(rng)) }
            : undefined,
        }
      : undefined,
    phash,
    sha256: uniqueSha256(rng),
    palette: paletteOf(picture, labels, rng),
    brightness,
    labels: labels.map((name) => ({ name, confidence: confidence(rng), source: 'rekognition' as const })),
    objects: objectsOf(labels, vocabulary, rng),
    faces: Array.from({ length: faces }, () => ({ confidence: confidence(rng), box: box(rng) })),
    lines: linesOf(picture, vocabulary, rng),
    flagged: picture === 'photo' && rng.chance(0.01),
  };
}

/**
 * A near-duplicate of an original: the same scene re-encoded, re-exposed, cropped or shot again a moment later
 * (hashed anew), other bytes, mostly the same labels, the same camera a few seconds later.
 */
export function nearContent(source: Content, scene: Scene, vocabulary: Vocabulary, rng: Rng): Content {
  const { phash, brightness, edits } = hashOf(scene, rng, true);
  const cropped = edits?.includes('crop') ? 0.9 : 1;
  const labels = source.labels.filter(() => rng.chance(0.92));
  if (rng.chance(0.2)) {
    const name = vocabulary.labels[rng.int(60)] as string;
    if (!labels.some((label) => label.name === name))
      labels.push({ name, confidence: confidence(rng), source: 'rekognition' });
  }
  const seconds = edits?.includes('burst') ? rng.between(1, 20) : 0;
  return {
    ...source,
    format: edits?.includes('reencode') && rng.chance(0.3) ? 'webp' : source.format,
    width: Math.round(source.width * cropped),
    height: Math.round(source.height * cropped),
    bytes: Math.round(source.bytes * (0.8 + 0.3 * rng.next())),
    exif: source.exif && {
      ...source.exif,
      takenAt: new Date(Date.parse(`${source.exif.takenAt}Z`) + seconds * 1000).toISOString().slice(0, 19),
    },
    phash,
    sha256: uniqueSha256(rng),
    brightness,
    labels: labels.length > 0 ? labels : source.labels,
    edits,
  };
}
