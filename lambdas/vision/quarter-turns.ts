import sharp from 'sharp';
import type { Raster } from '../core/analysis/raster';
import { type Box, clampBox } from '../core/vision-schema';
import type { DetectedObject } from './objects';
import type { OcrLine } from './ocr';

/** A clockwise quarter turn of the picture: what the record's `vision.turn` says would put it upright. */
export type Turn = 90 | 180 | 270;
export const TURNS: readonly Turn[] = [90, 180, 270];

/** The raster turned clockwise by `turn`: libvips moves the pixels exactly, nothing is resampled. */
export async function turnRaster(raster: Raster, turn: Turn): Promise<Raster> {
  const { data, info } = await sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: 3 },
  })
    .rotate(turn)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

/**
 * A box in fractions of the raster turned clockwise by `turn`, as a box in fractions of the raster before it: what
 * the models found on the turned picture, drawn where it is on the stored one.
 */
export function boxBeforeTurn(box: Box, turn: Turn): Box {
  const { left, top, width, height } = box;
  switch (turn) {
    // Turned 90 clockwise, a point (x, y) of the stored picture lands on (1 - y, x).
    case 90:
      return clampBox({ left: top, top: 1 - left - width, width: height, height: width });
    case 180:
      return clampBox({ left: 1 - left - width, top: 1 - top - height, width, height });
    // Turned 270 clockwise (90 anticlockwise), (x, y) lands on (y, 1 - x).
    case 270:
      return clampBox({ left: 1 - top - height, top: left, width: height, height: width });
  }
}

/**
 * What one look at a picture found that a turn can change: objects and text lines, boxes in fractions of the
 * picture it saw, and that picture's size (which way a line runs).
 */
export interface Look {
  objects: DetectedObject[];
  lines: OcrLine[];
  width: number;
  height: number;
}

/** When to look at a picture turned: on a weak first look (the offline provider's default), always, or never. */
export type QuarterTurns = 'weak' | 'always' | 'never';

export interface TurnOptions {
  when: QuarterTurns;
  /** Which way is up is known (an EXIF orientation, its owner's turn): then never. */
  orientationKnown: boolean;
  /** The first look found a face at its calibrated threshold: faces are found upright, so the picture is upright. */
  faceShown: boolean;
  /** The score from which a search finds a class (its found threshold): what "found" means here. */
  found: (name: string) => number;
}

/**
 * The rules, chosen on the scores of each turn of the labelled set's evaluation half (bench/turns, docs/vision.md):
 * - `sureText`: a level text line read at this confidence or more is evidence (sideways text reads as junk under
 *   it, or runs up the picture);
 * - `textCharacters`: that many characters of sure text make a first look strong, and a turn that reads that many
 *   more than the first look is clearly stronger;
 * - `objectMargin`: a turn is clearly stronger when its strongest object scores this much more than the first
 *   look's strongest. Turned over, an upright animal is often a confident other one (a calf a 0.62 dog), so the
 *   margin is wide: at 0.3 no upright photo of the 129 took a turn, and 20 of 129 sideways ones were put upright.
 */
export const TURN_RULES = { sureText: 0.9, textCharacters: 10, objectMargin: 0.3 } as const;

/** The look on the raster turned, what it found mapped back onto the stored picture. */
export interface TurnedLook extends Look {
  turn: Turn;
}

/** Whether the turns were looked at, and the one kept when one was clearly stronger than the first look. */
export interface TurnOutcome {
  looked: boolean;
  kept?: TurnedLook;
}

/**
 * Look again at a picture whose up is unknown, turned, when its first look is weak.
 *
 * 1. Never when its up is known or `when` is `'never'`; on a weak first look (`isWeak`), or always.
 * 2. Look (`look`: objects and text) at the raster turned 90, 180 and 270 degrees clockwise, one after another:
 *    each look already uses both cores.
 * 3. Of the turns clearly stronger than the first look (`clearlyStronger`), keep the one that gained most, its
 *    boxes mapped back onto the stored picture. None: the first look's results stand as they were.
 */
export async function lookTurned(
  raster: Raster,
  first: Look,
  look: (raster: Raster) => Promise<Look>,
  options: TurnOptions,
): Promise<TurnOutcome> {
  if (options.orientationKnown || options.when === 'never') return { looked: false };
  if (options.when === 'weak' && !isWeak(first, options)) return { looked: false };
  let kept: { turn: Turn; look: Look; rank: number } | undefined;
  for (const turn of TURNS) {
    const turned = await look(await turnRaster(raster, turn));
    const gain = gainOf(turned, first);
    const rank = gain.objects + gain.characters / 100;
    if (clearlyStronger(gain) && rank > (kept?.rank ?? Number.NEGATIVE_INFINITY)) kept = { turn, look: turned, rank };
  }
  if (!kept) return { looked: true };
  const { turn, look: found } = kept;
  return {
    looked: true,
    kept: {
      turn,
      objects: found.objects.map((o) => ({ ...o, box: boxBeforeTurn(o.box, turn) })),
      lines: found.lines.map((l) => ({ ...l, box: boxBeforeTurn(l.box, turn) })),
      width: raster.width,
      height: raster.height,
    },
  };
}

/** A first look is weak when it found no object (at its found threshold), showed no face, and read no sure text. */
export function isWeak(first: Look, options: Pick<TurnOptions, 'faceShown' | 'found'>): boolean {
  return (
    !options.faceShown &&
    !first.objects.some((o) => o.confidence >= options.found(o.name)) &&
    sureCharacters(first) < TURN_RULES.textCharacters
  );
}

/** What a turned look gained over the first: sure characters read, and its strongest object's score. */
export function gainOf(turned: Look, first: Look): Gain {
  return {
    characters: sureCharacters(turned) - sureCharacters(first),
    objects: strongest(turned) - strongest(first),
  };
}

export interface Gain {
  characters: number;
  objects: number;
}

/** A turn is kept only when its look is clearly stronger: by the rules' margins, in text or in objects. */
export function clearlyStronger(gain: Gain): boolean {
  return gain.characters >= TURN_RULES.textCharacters || gain.objects >= TURN_RULES.objectMargin;
}

/**
 * Characters (spaces aside) of the lines read level at `sureText` or more. A line running up or down the picture
 * does not count: the recogniser levels it and may read it, but which of two turns is up it cannot say.
 */
function sureCharacters(look: Look): number {
  return look.lines
    .filter((l) => l.confidence >= TURN_RULES.sureText && l.box.width * look.width > l.box.height * look.height)
    .reduce((n, l) => n + l.text.replace(/\s/g, '').length, 0);
}

/** The strongest object's score; 0 when there is none. */
function strongest(look: Look): number {
  return Math.max(0, ...look.objects.map((o) => o.confidence));
}
