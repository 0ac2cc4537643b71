/**
 * The labelled set quality's flags are tuned and measured on: freely licensed photographs from Debian packages,
 * each as it is and in four degraded copies whose flag is known by construction.
 *
 * - `tune`: the photographs among `plasma-workspace-wallpapers` (the flags' thresholds were chosen on these);
 * - `holdout`: the photographs of `mate-backgrounds` (nature/) and scikit-image's (test/fixtures/vision), which only
 *   measure them. No photo is in both.
 *
 * Every photo is first brought to 1600 px on its longest side (a phone upload's scale after a share), as a JPEG q90.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { QualityFlag } from '../../lambdas/core/quality';
import { PHOTO_THEMES, WALLPAPERS } from '../support/make-corpus';

export type SetName = 'tune' | 'holdout';

export interface Sample {
  set: SetName;
  photo: string;
  variant: Variant;
  /** The flags a person would give it: for a degraded copy, its degradation's; for a photo, `ORIGINAL_FLAGS`. */
  expected: QualityFlag[];
  bytes: Buffer;
}

export const VARIANTS = [
  'original',
  'blurred',
  'darkened',
  'brightened',
  'flattened',
  'onWhite',
  'onWhiteBlurred',
  'onWhiteBrightened',
  'onBackdrop',
  'onWhiteSmall',
] as const;
export type Variant = (typeof VARIANTS)[number];

/** How each copy is made from the 1600 px photo, and the flag it earns by construction. */
const DEGRADE: Record<
  Exclude<Variant, 'original' | `on${string}`>,
  { make: (image: sharp.Sharp) => sharp.Sharp; flag: QualityFlag }
> = {
  /** Gaussian blur, sigma 3 px at 1600 px: soft to the eye at any size a gallery shows. */
  blurred: { make: (image) => image.blur(3), flag: 'blurry' },
  /** 0.35 of every level: about a stop and a half under. */
  darkened: { make: (image) => image.linear(0.35, 0), flag: 'underexposed' },
  /** 1.6 times every level, plus 70: a blown sky and faces. */
  brightened: { make: (image) => image.linear(1.6, 70), flag: 'overexposed' },
  /** A third of the contrast about mid-grey: a hazy, washed-out copy. */
  flattened: { make: (image) => image.linear(0.33, 128 * 0.67), flag: 'lowContrast' },
};

/**
 * The studio shots made of each photo: a cut-out of it (an ellipse, a disc or a rounded card, by the photo's index)
 * laid on a plain ground, as a product shot or a portrait on a seamless backdrop is. A white ground clipped flat
 * loses no detail and a smooth one hides no blur, so the shot earns only its subject's flags; blurred or with its
 * subject blown out it earns `blurry` or `overexposed`. `lowContrast` is not judged on these: the ground sets the range.
 */
const STUDIO: Record<
  Extract<Variant, `on${string}`>,
  {
    ground: 'white' | 'backdrop';
    subject?: (image: sharp.Sharp) => sharp.Sharp;
    after?: (image: sharp.Sharp) => sharp.Sharp;
    flag?: QualityFlag;
  }
> = {
  onWhite: { ground: 'white' },
  onWhiteBlurred: { ground: 'white', after: (image) => image.blur(3), flag: 'blurry' },
  onWhiteBrightened: { ground: 'white', subject: (image) => image.linear(1.6, 70), flag: 'overexposed' },
  onBackdrop: { ground: 'backdrop' },
  /** At 640 px, as a shop's product picture is: the core enlarges it to 1024 px. */
  onWhiteSmall: { ground: 'white', after: (image) => image.resize(640, 640, { fit: 'inside' }) },
};

/** The backdrops (top and bottom of a vertical sweep) a studio shot is laid on, by the photo's index. */
const BACKDROPS = [
  ['#e4e4e2', '#8c8c8a'],
  ['#cfd8e0', '#54616e'],
  ['#f0e6d8', '#b09a80'],
  ['#3a3a3a', '#101010'],
];

/** How much the subject of a studio shot is enlarged from its 1600 px photo: 1.5, then 0.64 to the core's 1024 px. */
const ZOOM = 1.5;

/** A studio shot of a 1600 px photo: the `index`th shape and framing, on a white ground or a smooth backdrop. */
async function studioShot(
  base: Buffer,
  index: number,
  { ground, subject, after }: (typeof STUDIO)['onWhite'],
): Promise<Buffer> {
  const [width, height] = index % 3 === 1 ? [1200, 1600] : [1600, 1200];
  const fraction = [0.62, 0.75, 0.48][index % 3] as number;
  const side = Math.round(Math.min(width, height) * fraction);
  const shape = index % 3;
  const [w, h] =
    shape === 0 ? [Math.round(side * 1.3), side] : shape === 1 ? [side, side] : [side, Math.round(side * 0.75)];
  const mask =
    shape === 2
      ? `<rect width="${w}" height="${h}" rx="${Math.round(w / 12)}" fill="#fff"/>`
      : `<ellipse cx="${w / 2}" cy="${h / 2}" rx="${w / 2}" ry="${h / 2}" fill="#fff"/>`;
  // The subject is the photo's middle, enlarged by ZOOM: a close-up, still no softer at 1024 px than the photo.
  const { width: baseWidth = w, height: baseHeight = h } = await sharp(base).metadata();
  const scale = Math.max(ZOOM, w / baseWidth, h / baseHeight);
  const [regionWidth, regionHeight] = [
    Math.min(baseWidth, Math.round(w / scale)),
    Math.min(baseHeight, Math.round(h / scale)),
  ];
  let cut = sharp(base)
    .extract({
      left: Math.floor((baseWidth - regionWidth) / 2),
      top: Math.floor((baseHeight - regionHeight) / 2),
      width: regionWidth,
      height: regionHeight,
    })
    .resize(w, h, { fit: 'fill' });
  if (subject) cut = subject(sharp(await cut.toBuffer()));
  const cutOut = await sharp(await cut.ensureAlpha().png().toBuffer())
    .composite([{ input: Buffer.from(`<svg width="${w}" height="${h}">${mask}</svg>`), blend: 'dest-in' }])
    .png()
    .toBuffer();
  const [top, bottom] = BACKDROPS[index % BACKDROPS.length] as string[];
  const groundSvg =
    ground === 'white'
      ? `<rect width="${width}" height="${height}" fill="#fff"/>`
      : `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/>` +
        `<stop offset="1" stop-color="${bottom}"/></linearGradient></defs><rect width="${width}" height="${height}" fill="url(#g)"/>`;
  const left = Math.round((width - w) / 2 + ((index % 5) - 2) * width * 0.04);
  const topAt = Math.round((height - h) / 2);
  // A soft shadow under every other subject, as a product shot on a light table casts.
  const shadow =
    index % 2 === 0
      ? `<ellipse cx="${left + w / 2}" cy="${topAt + h * 0.98}" rx="${w * 0.45}" ry="${h * 0.06}" fill="#000" fill-opacity="0.35"/>`
      : '';
  const groundImage = await sharp(Buffer.from(`<svg width="${width}" height="${height}">${groundSvg}</svg>`))
    .composite(
      shadow
        ? [
            {
              input: await sharp(Buffer.from(`<svg width="${width}" height="${height}">${shadow}</svg>`))
                .blur(12)
                .png()
                .toBuffer(),
            },
          ]
        : [],
    )
    .png()
    .toBuffer();
  let shot = sharp(
    await sharp(groundImage)
      .composite([{ input: cutOut, left, top: topAt }])
      .removeAlpha()
      .png()
      .toBuffer(),
  );
  if (after) shot = after(shot);
  return shot.jpeg({ quality: 90 }).toBuffer();
}

/**
 * The flags a person gave the photos themselves, looking at a contact sheet of all of them: a photo left out was
 * judged fine as it is (DarkestHour's softness is fog, FreshFlower's and YellowFlower's a shallow depth of field).
 * Its copies keep these flags and add their own.
 */
export const ORIGINAL_FLAGS: Record<string, QualityFlag[]> = {
  /** Taken from a moving car: the road and rail are streaks. */
  'mate-Storm': ['blurry'],
  /** Pale wood, all of it within a few grey levels. */
  'mate-Wood': ['lowContrast'],
};

const MATE_NATURE = '/usr/share/backgrounds/mate/nature';
const SKIMAGE = path.join(__dirname, '../../test/fixtures/vision');

const SKIMAGE_PHOTOS = ['cat-chelsea.jpg', 'cup-coffee.jpg', 'motorcycle.jpg', 'person-astronaut.jpg'];

/** The largest image of a plasma wallpaper theme. */
function largestOf(theme: string): string | undefined {
  const dir = path.join(WALLPAPERS, theme, 'contents', 'images');
  if (!existsSync(dir)) return undefined;
  const pixels = (name: string) =>
    name
      .split('.')[0]
      ?.split('x')
      .reduce((a, b) => a * Number(b), 1) ?? 0;
  const best = readdirSync(dir).sort((a, b) => pixels(b) - pixels(a))[0];
  return best && path.join(dir, best);
}

/** The source photos of each set, or why they are missing. */
export function sources(): Record<SetName, string[]> {
  // The photographs among the plasma wallpapers, as the core bench's corpus takes them (Altai, Autumn, MilkyWay and
  // SafeLanding are drawn).
  const tune = PHOTO_THEMES.map(largestOf).filter((file): file is string => file !== undefined);
  const mate = existsSync(MATE_NATURE)
    ? readdirSync(MATE_NATURE)
        .filter((name) => name.endsWith('.jpg'))
        .sort()
        .map((name) => path.join(MATE_NATURE, name))
    : [];
  if (tune.length === 0 || mate.length === 0) {
    throw new Error('needs Debian photos: apt-get install plasma-workspace-wallpapers mate-backgrounds');
  }
  return { tune, holdout: [...mate, ...SKIMAGE_PHOTOS.map((name) => path.join(SKIMAGE, name))] };
}

/** A photo's name in the results: its package and theme or file. */
export function photoName(file: string): string {
  if (file.startsWith(WALLPAPERS)) return `plasma-${file.split(path.sep)[4]}`;
  if (file.startsWith(MATE_NATURE)) return `mate-${path.basename(file, '.jpg')}`;
  return `skimage-${path.basename(file, path.extname(file))}`;
}

/** Every sample of both sets, made afresh (a few seconds a photo). */
export async function* samples(): AsyncGenerator<Sample> {
  for (const [set, files] of Object.entries(sources()) as [SetName, string[]][]) {
    for (const [index, file] of files.entries()) {
      const photo = photoName(file);
      const base = await sharp(readFileSync(file))
        .rotate()
        .resize(1600, 1600, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 90 })
        .toBuffer();
      yield { set, photo, variant: 'original', expected: ORIGINAL_FLAGS[photo] ?? [], bytes: base };
      for (const [variant, { make, flag }] of Object.entries(DEGRADE) as [Variant, (typeof DEGRADE)['blurred']][]) {
        const bytes = await make(sharp(base)).jpeg({ quality: 90 }).toBuffer();
        const expected = [...new Set([...(ORIGINAL_FLAGS[photo] ?? []), flag])];
        yield { set, photo, variant, expected, bytes };
      }
      // A studio shot keeps its subject's blur, not its range: the ground sets that.
      const subjectFlags = (ORIGINAL_FLAGS[photo] ?? []).filter((flag) => flag !== 'lowContrast');
      for (const [variant, studio] of Object.entries(STUDIO) as [Variant, (typeof STUDIO)['onWhite']][]) {
        const bytes = await studioShot(base, index, studio);
        const expected = [...new Set([...subjectFlags, ...(studio.flag ? [studio.flag] : [])])];
        yield { set, photo, variant, expected, bytes };
      }
    }
  }
}
