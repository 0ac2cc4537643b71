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

export const VARIANTS = ['original', 'blurred', 'darkened', 'brightened', 'flattened'] as const;
export type Variant = (typeof VARIANTS)[number];

/** How each copy is made from the 1600 px photo, and the flag it earns by construction. */
const DEGRADE: Record<
  Exclude<Variant, 'original'>,
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
    for (const file of files) {
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
    }
  }
}
