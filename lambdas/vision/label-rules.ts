import type { PictureStats } from './picture-stats';
import type { TextEvidence } from './text-evidence';

/**
 * The rules behind the derived labels. Each turns its evidence into a confidence (0-1) that rises with the
 * evidence; a label is given only at MIN_LABEL_CONFIDENCE or more, so weak evidence gives no label at all.
 * The numbers were set on test/fixtures/labels/tune and measured on test/fixtures/labels/holdout
 * (`npm run bench:labels`, bench/labels/results.md).
 */
export const MIN_LABEL_CONFIDENCE = 0.5;

/** Text: one dictionary word read with full confidence is slightly better than even odds (`words` 0.8 is 0.5). */
export const TEXT_WORDS_FOR_EVEN_ODDS = 0.8;
/** Document: the words (0.5 at 20, 1 at 50) and the area the lines cover (0.5 at 30 %, 1 at 50 %). */
export const DOCUMENT_WORDS = [20, 50] as const;
export const DOCUMENT_COVERAGE = [0.3, 0.5] as const;
/** Dark: mean luma (0-255); 70 is the core's dark brightness class, so label and record agree. */
export const DARK_LUMA = [70, 20] as const;
/**
 * Bright: the share of pale pixels (0.5 at half the picture, 1 at all of it), as a person gives the label ("most of
 * the picture is white or pale"). Mean luma missed the cut-outs on white: a dark animal on white averages 150-180.
 */
export const BRIGHT_PALE_SHARE = [0.5, 1] as const;
/**
 * Monochrome: lit-pixel chroma (1 at 0, 0.5 at 8) times coloured share (1 at 0, 0.5 at 0.1 %: a few coloured
 * words on a black-and-white page already make it a colour picture), times structure.
 */
export const MONOCHROME_CHROMA = 16;
export const MONOCHROME_COLOURED_SHARE = 0.002;
/** Structure: neighbour correlation (0.5 at 0.25, 1 at 0.5) and luma contrast (0.5 at 6, 1 at 12). */
export const STRUCTURE_COHERENCE = [0.25, 0.5] as const;
export const STRUCTURE_CONTRAST = [6, 12] as const;
/** Vegetation: share of the picture that is textured leaf green (0.5 at 12 %, 1 at 40 %). */
export const VEGETATION_SHARE = [0.12, 0.4] as const;
/** Illustration: the moderation model's Drawing score, taken as it is. */
export const ILLUSTRATION_SCORE = 0.5;

/**
 * 0.5 at `half`, 1 at `full`, linear in between and beyond (down to 0), clamped to 0-1. `full` may be below `half`
 * for evidence that grows as the number falls (darkness).
 */
export function ramp(value: number, [half, full]: readonly [number, number]): number {
  return clamp(0.5 + ((value - half) / (full - half)) * 0.5);
}

/** Text: 1 - 2^(-words / 0.8), so each further word read halves the doubt; nothing read, nothing said. */
export function textConfidence(evidence: Pick<TextEvidence, 'words'>): number {
  return round(1 - 2 ** (-evidence.words / TEXT_WORDS_FOR_EVEN_ODDS));
}

/** Document: many words AND much of the picture covered by lines; the weaker of the two is the confidence. */
export function documentConfidence(evidence: Pick<TextEvidence, 'words' | 'coverage'>): number {
  return round(Math.min(ramp(evidence.words, DOCUMENT_WORDS), ramp(evidence.coverage, DOCUMENT_COVERAGE)));
}

export function darkConfidence(luma: number): number {
  return round(ramp(luma, DARK_LUMA));
}

export function brightConfidence(stats: Pick<PictureStats, 'paleShare'>): number {
  return round(ramp(stats.paleShare, BRIGHT_PALE_SHARE));
}

/**
 * Real structure rather than noise or a flat fill: neighbouring pixels agree (noise's do not) and there is some
 * contrast at all. The weaker of the two.
 */
export function structureConfidence(stats: Pick<PictureStats, 'coherence' | 'contrast'>): number {
  return Math.min(ramp(stats.coherence, STRUCTURE_COHERENCE), ramp(stats.contrast, STRUCTURE_CONTRAST));
}

/** Monochrome: no colour (low chroma, almost nothing coloured) AND real structure, so noise and blanks are not. */
export function monochromeConfidence(
  stats: Pick<PictureStats, 'chroma' | 'colouredShare' | 'coherence' | 'contrast'>,
): number {
  const colourless =
    clamp(1 - stats.chroma / MONOCHROME_CHROMA) * clamp(1 - stats.colouredShare / MONOCHROME_COLOURED_SHARE);
  return round(colourless * structureConfidence(stats));
}

/**
 * Vegetation: leaf-green pixels that are textured, as leaves and grass are and green paint is not, on a picture
 * with real structure (green noise is textured too), and not a cut-out: a plant cut out on white (a broccoli stamp)
 * is an object, not plants filling a scene. A cut-out's border is nearly all pale, a scene's pale sky only part of
 * it: the confidence falls from half the border pale (untouched) to all of it (0). Plants in other
 * colours (autumn leaves, flowers) are not seen: that needs a classifier.
 */
export function vegetationConfidence(
  stats: Pick<PictureStats, 'texturedGreenShare' | 'coherence' | 'contrast' | 'borderPaleShare'>,
): number {
  return round(
    ramp(stats.texturedGreenShare, VEGETATION_SHARE) *
      structureConfidence(stats) *
      clamp(2 * (1 - stats.borderPaleShare)),
  );
}

const clamp = (n: number) => Math.min(1, Math.max(0, n));
const round = (n: number) => Math.round(n * 10000) / 10000;
