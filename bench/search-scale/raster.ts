/**
 * Synthetic photographs for the search-scale bench, as the 32x32 greyscale rasters the perceptual hash is computed
 * from (lambdas/core/analysis/phash.ts).
 *
 * A scene is a continuous luminance field over the unit square: a sum of plane waves whose frequencies are spread
 * evenly over octaves with amplitudes of one scale, which is the 1/f amplitude spectrum of natural images (equal
 * energy per octave), plus what photographs share and noise does not: a brighter top (sky), a subject in the middle,
 * darker corners (vignetting), exposure and clipping. Uniform random hashes would make every 16-bit band value
 * equally likely; these priors make some far more common, as in a real collection, which is what the similar-image
 * index has to live with.
 *
 * Because the field is continuous, "the same photo" cropped, shifted, re-exposed or re-encoded is the same scene
 * seen through another window with other settings: that is how near-duplicates are made.
 */
import type { Rng } from '../../test/fuzz/prng';

/** Side of the raster perceptualHash takes. */
export const RASTER_SIZE = 32;
/** Plane waves per scene. */
const WAVES = 40;
/** Frequencies, in cycles per frame, from a gentle slope up to the raster's Nyquist limit. */
const LOWEST = 0.6;
const HIGHEST = 16;

export interface Scene {
  /** Per wave: x and y frequency (radians per unit), phase, amplitude. */
  waves: Float64Array;
  /** Luminance added at the top and taken at the bottom (a sky). */
  gradient: number;
  /** A subject: centre, radius (unit square) and how much brighter (or darker) it is. */
  subject: { x: number; y: number; radius: number; strength: number };
  vignette: number;
  /** Mean luminance and the contrast the waves are scaled by. */
  mean: number;
  contrast: number;
  /** Flat rectangles of a screenshot or document page (text blocks, bars, pictures): level added inside. */
  blocks: Block[];
}

export interface Block {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  level: number;
}

/** How a scene is seen: the window onto it, exposure and the noise of encoding. */
export interface Shot {
  /** The window's top-left corner and side, in scene units (the full frame is 0, 0, 1). */
  x0: number;
  y0: number;
  side: number;
  gain: number;
  bias: number;
  /** Standard deviation of per-pixel noise, in grey levels (JPEG re-encoding, sensor noise). */
  noise: number;
}

export const FULL_FRAME: Shot = { x0: 0, y0: 0, side: 1, gain: 1, bias: 0, noise: 0 };

/** A normal deviate (Box-Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function newScene(rng: Rng): Scene {
  const waves = new Float64Array(WAVES * 4);
  for (let k = 0; k < WAVES; k++) {
    // Log-uniform radial frequency with one amplitude scale: equal energy per octave, the 1/f spectrum.
    const f = LOWEST * (HIGHEST / LOWEST) ** rng.next();
    const angle = Math.PI * rng.next();
    waves[k * 4] = 2 * Math.PI * f * Math.cos(angle);
    waves[k * 4 + 1] = 2 * Math.PI * f * Math.sin(angle);
    waves[k * 4 + 2] = 2 * Math.PI * rng.next();
    // Rayleigh amplitudes: the field is Gaussian, as natural images' band-pass responses roughly are.
    waves[k * 4 + 3] = Math.sqrt(-2 * Math.log(Math.max(rng.next(), Number.EPSILON)));
  }
  return {
    waves,
    // Most photos are lit from above (sky, ceiling lights); some are not.
    gradient: rng.chance(0.65) ? 20 + 35 * rng.next() : 15 * gaussian(rng),
    subject: {
      x: 0.5 + 0.15 * gaussian(rng),
      y: 0.55 + 0.12 * gaussian(rng),
      radius: 0.12 + 0.2 * rng.next(),
      strength: rng.chance(0.5) ? 40 * gaussian(rng) : 0,
    },
    vignette: rng.chance(0.5) ? 30 * rng.next() : 0,
    mean: 115 + 30 * gaussian(rng),
    // The waves' sum has a standard deviation of sqrt(WAVES) (Rayleigh amplitudes): scaled to 35-60 grey levels.
    contrast: (35 + 25 * rng.next()) / Math.sqrt(WAVES),
    blocks: [],
  };
}

/**
 * A page layout (an app's screen, a document's template): a light background with a few dark blocks. Screenshots
 * of one app share their layout, so their hashes crowd a few band values, as they do in real libraries.
 */
export function newLayout(rng: Rng): Block[] {
  return Array.from({ length: rng.between(2, 5) }, () => {
    const x0 = 0.9 * rng.next();
    const y0 = 0.9 * rng.next();
    return {
      x0,
      y0,
      x1: Math.min(1, x0 + 0.1 + 0.6 * rng.next()),
      y1: Math.min(1, y0 + 0.05 + 0.4 * rng.next()),
      level: -(40 + 150 * rng.next()),
    };
  });
}

/** A screenshot or page on a layout: the layout's blocks moved a little, faint texture, little else. */
export function layoutScene(layout: readonly Block[], rng: Rng): Scene {
  const jitter = () => 0.03 * gaussian(rng);
  return {
    ...newScene(rng),
    gradient: 0,
    subject: { x: 0.5, y: 0.5, radius: 0.1, strength: 0 },
    vignette: 0,
    mean: 225 + 25 * rng.next(),
    contrast: 4 / Math.sqrt(WAVES),
    blocks: layout.map((block) => {
      const dx = jitter();
      const dy = jitter();
      return { x0: block.x0 + dx, x1: block.x1 + dx, y0: block.y0 + dy, y1: block.y1 + dy, level: block.level };
    }),
  };
}

/** The scene with some waves moved a little: the subject moved between two frames of a burst. */
export function moved(scene: Scene, rng: Rng, share: number, radians: number): Scene {
  const waves = Float64Array.from(scene.waves);
  for (let k = 0; k < WAVES; k++) {
    if (rng.chance(share)) waves[k * 4 + 2] = (waves[k * 4 + 2] as number) + radians * gaussian(rng);
  }
  return { ...scene, waves };
}

/**
 * The 32x32 greyscale raster of a shot of a scene. Each wave cos(a x + b y + p) is split into
 * cos(a x + p) cos(b y) - sin(a x + p) sin(b y), so a raster costs 2 multiply-adds per pixel and wave.
 */
export function render(scene: Scene, shot: Shot, rng: Rng): Uint8Array {
  const n = RASTER_SIZE;
  const field = new Float64Array(n * n);
  const xs = Float64Array.from({ length: n }, (_, i) => shot.x0 + (shot.side * (i + 0.5)) / n);
  const ys = Float64Array.from({ length: n }, (_, j) => shot.y0 + (shot.side * (j + 0.5)) / n);
  const cx = new Float64Array(n);
  const sx = new Float64Array(n);
  const cy = new Float64Array(n);
  const sy = new Float64Array(n);
  // Resizing to 32x32 averages each pixel's area: a box filter, whose response to a wave is sinc(w * pixel / 2).
  const pixel = shot.side / n;
  const box = (w: number) => (Math.abs(w) < 1e-9 ? 1 : Math.sin((w * pixel) / 2) / ((w * pixel) / 2));
  for (let k = 0; k < WAVES; k++) {
    const [a, b, phase, raw] = scene.waves.subarray(k * 4, k * 4 + 4) as unknown as [number, number, number, number];
    const amplitude = raw * box(a) * box(b);
    for (let i = 0; i < n; i++) {
      cx[i] = Math.cos(a * (xs[i] as number) + phase);
      sx[i] = Math.sin(a * (xs[i] as number) + phase);
      cy[i] = Math.cos(b * (ys[i] as number)) * amplitude;
      sy[i] = Math.sin(b * (ys[i] as number)) * amplitude;
    }
    for (let j = 0; j < n; j++) {
      const c = cy[j] as number;
      const s = sy[j] as number;
      const row = j * n;
      for (let i = 0; i < n; i++)
        field[row + i] = (field[row + i] as number) + (cx[i] as number) * c - (sx[i] as number) * s;
    }
  }
  const grey = new Uint8Array(n * n);
  const { subject } = scene;
  for (let j = 0; j < n; j++) {
    const y = ys[j] as number;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const d2 = (x - subject.x) ** 2 + (y - subject.y) ** 2;
      const corner = (x - 0.5) ** 2 + (y - 0.5) ** 2;
      let blocks = 0;
      for (const block of scene.blocks) {
        if (x >= block.x0 && x < block.x1 && y >= block.y0 && y < block.y1) blocks += block.level;
      }
      const value =
        scene.mean +
        blocks +
        scene.contrast * (field[j * n + i] as number) +
        scene.gradient * (0.5 - y) +
        subject.strength * Math.exp(-d2 / (2 * subject.radius ** 2)) -
        scene.vignette * corner * 2;
      const seen = shot.gain * value + shot.bias + (shot.noise > 0 ? shot.noise * gaussian(rng) : 0);
      grey[j * n + i] = Math.max(0, Math.min(255, Math.round(seen)));
    }
  }
  return grey;
}

/** The edits that make a near-duplicate, as a photo library gets them. */
export type EditKind = 'reencode' | 'exposure' | 'crop' | 'burst';
export const EDIT_KINDS: readonly EditKind[] = ['reencode', 'exposure', 'crop', 'burst'];

/** A near-duplicate's shot and scene: one or two edits of the original full-frame shot. */
export function edited(scene: Scene, rng: Rng): { scene: Scene; shot: Shot; edits: EditKind[] } {
  const first = rng.pick(EDIT_KINDS);
  const edits = rng.chance(0.3) ? [first, rng.pick(EDIT_KINDS.filter((kind) => kind !== first))] : [first];
  let shot: Shot = { ...FULL_FRAME, noise: 1 };
  let seen = scene;
  for (const edit of edits) {
    if (edit === 'reencode') shot = { ...shot, noise: 2 + 3 * rng.next() };
    if (edit === 'exposure') shot = { ...shot, gain: 0.8 + 0.4 * rng.next(), bias: 30 * (rng.next() - 0.5) };
    if (edit === 'crop') {
      const side = 0.88 + 0.1 * rng.next();
      shot = { ...shot, side, x0: (1 - side) * rng.next(), y0: (1 - side) * rng.next() };
    }
    if (edit === 'burst') {
      shot = { ...shot, x0: 0.04 * (rng.next() - 0.5), y0: 0.04 * (rng.next() - 0.5), noise: 2 };
      seen = moved(scene, rng, 0.2, 0.5);
    }
  }
  return { scene: seen, shot, edits };
}
