import type { Quality } from '../core/quality';
import type { ProcessedRecord } from '../core/record';

/**
 * Which photo of a cluster of near-duplicates to keep (issue 81): the highest quality score, then the most pixels,
 * then the most metadata, then the oldest id, with the reason a user reads.
 */

/** What the suggestion compares of each photo of a cluster (`memberFactsOf` reads them from its record). */
export interface MemberFacts {
  imageId: string;
  /** `qualityScore` of the record's quality, 0-1; absent for a record analysed before quality (1.1.0). */
  quality?: number;
  /** The photo's full size, upright (the record's `metadata.width` and `height`). */
  width: number;
  height: number;
  /**
   * The file's size (the record's `size`): shown beside the suggestion, never compared. A copy re-saved at a higher
   * JPEG quality is larger than its original (bench/duplicates/README.md: a file-size test kept no original).
   */
  bytes: number;
  /** `metadataCountOf` the record. */
  metadataCount: number;
  /** When the camera says it was taken: shown beside the suggestion, never compared. */
  takenAt?: string;
}

/**
 * Quality scores this close count as equal, and the size decides: re-encoding or cutting a photo moves its score by a
 * hair, and a rule on the raw scores keeps such a copy over its original (bench/duplicates, the original first to
 * arrive: kept in 249 of 290 clusters on the raw scores, 253 within 0.05, no more within 0.1). Wider would let one
 * exposure flag (a sixth) go unranked.
 */
export const QUALITY_TOLERANCE = 0.05;

/**
 * `edgeSharpness` from which a photo counts as sharp through and through (docs/record.md: about 0.1 for a blur of
 * 2 px, 0.5 to 4 for a sharp photo; `blurry` under 0.227). Above it, sharpness no longer ranks copies: a shrunk copy
 * measures sharper per pixel than its original and is not the better photo.
 */
export const SHARP_ENOUGH = 0.5;

/**
 * One quality score, 0-1, from the core's measures (lambdas/core/quality.ts has none of its own): half sharpness
 * (`edgeSharpness` over SHARP_ENOUGH, at most 1), half exposure (a third off for each of `underexposed`,
 * `overexposed` and `lowContrast`), to two decimals. A sharp, well exposed photo scores 1; a blurred one under
 * 0.73; one blurred and overexposed under 0.56.
 */
export function qualityScore(quality: Quality | undefined): number | undefined {
  if (!quality) return undefined;
  const sharpness =
    quality.edgeSharpness === undefined
      ? quality.flags.includes('blurry')
        ? 0
        : 1
      : Math.min(1, quality.edgeSharpness / SHARP_ENOUGH);
  const exposureFlags = quality.flags.filter((flag) => flag !== 'blurry').length;
  return Math.round(50 * (sharpness + 1 - exposureFlags / 3)) / 100;
}

/**
 * How many of the metadata fields a user would lose with a photo its record has, 0 to 7: the camera (make or model),
 * when it was taken, where (GPS, kept only where the deployment keeps positions), and what the file says of itself:
 * keywords, title, headline, caption. The record keeps no lens or exposure settings, so they do not count.
 */
export function metadataCountOf(record: ProcessedRecord): number {
  const exif = record.metadata.exif;
  const described = record.described;
  return [
    exif?.make || exif?.model,
    exif?.takenAt,
    exif?.gps,
    described?.keywords?.length,
    described?.title,
    described?.headline,
    described?.caption,
  ].filter(Boolean).length;
}

/** The facts `suggestKeep` compares, from a photo's record. */
export function memberFactsOf(imageId: string, record: ProcessedRecord): MemberFacts {
  const quality = qualityScore(record.quality);
  const takenAt = record.metadata.exif?.takenAt;
  return {
    imageId,
    ...(quality !== undefined && { quality }),
    width: record.metadata.width,
    height: record.metadata.height,
    bytes: record.size,
    metadataCount: metadataCountOf(record),
    ...(takenAt && { takenAt }),
  };
}

/** One test of the suggestion: the members it keeps of those still in, and why the best of those put out lost. */
interface Stage {
  keep(members: readonly MemberFacts[]): MemberFacts[];
  reason(kept: MemberFacts, rival: MemberFacts): string;
}

const FIRST = 'the first uploaded';
const ALIKE = 'alike in quality, size and metadata';
const pixels = (member: MemberFacts) => member.width * member.height;
const atBest = <T>(members: readonly MemberFacts[], measure: (member: MemberFacts) => T, best: T) =>
  members.filter((member) => measure(member) === best);

function stages(tolerance: number): Stage[] {
  return [
    {
      // A member with no score (an old record) ranks under every scored one.
      keep: (members) => {
        const scores = members.flatMap((member) => (member.quality === undefined ? [] : [member.quality]));
        if (scores.length === 0) return [...members];
        const best = Math.max(...scores);
        return members.filter((member) => member.quality !== undefined && member.quality >= best - tolerance - 1e-9);
      },
      reason: (kept, rival) =>
        rival.quality === undefined
          ? `the only one with a quality score (${kept.quality?.toFixed(2)})`
          : `highest quality score (${kept.quality?.toFixed(2)} against ${rival.quality.toFixed(2)})`,
    },
    {
      keep: (members) => atBest(members, pixels, Math.max(...members.map(pixels))),
      reason: (kept, rival) => `largest (${kept.width}x${kept.height} against ${rival.width}x${rival.height})`,
    },
    {
      keep: (members) =>
        atBest(members, (member) => member.metadataCount, Math.max(...members.map((member) => member.metadataCount))),
      reason: (kept, rival) => `most metadata (${kept.metadataCount} fields against ${rival.metadataCount})`,
    },
    {
      // Image ids are ULIDs: the smallest is the first uploaded.
      keep: (members) => [[...members].sort((a, b) => (a.imageId < b.imageId ? -1 : 1))[0] as MemberFacts],
      reason: () => FIRST,
    },
  ];
}

/**
 * The photo of a cluster to keep, and why: the members go through each test in turn (quality, within `tolerance`;
 * pixels; metadata; id) until one is left. The reason names each test that put some out, against the best of
 * those it put out ("highest quality score (1.00 against 0.83), then largest (180x360 against 160x320)"), so a
 * larger photo put out for its quality is not hidden behind "largest".
 */
export function suggestKeep(
  members: readonly MemberFacts[],
  tolerance = QUALITY_TOLERANCE,
): { keep: string; reason: string } {
  if (members.length === 0) throw new Error('a cluster has at least one photo');
  if (members.length === 1) return { keep: (members[0] as MemberFacts).imageId, reason: 'the only photo' };
  let left = [...members];
  const putOut: { stage: Stage; members: MemberFacts[] }[] = [];
  for (const stage of stages(tolerance)) {
    const kept = stage.keep(left);
    if (kept.length < left.length) putOut.push({ stage, members: left.filter((member) => !kept.includes(member)) });
    left = kept;
    if (left.length === 1) break;
  }
  const winner = left[0] as MemberFacts;
  const phrases = putOut.map(({ stage, members: out }) => {
    const rival = suggestKeep(out, tolerance).keep;
    return stage.reason(winner, out.find((member) => member.imageId === rival) as MemberFacts);
  });
  const reason = phrases.join(', then ');
  return { keep: winner.imageId, reason: putOut.length === 1 && reason === FIRST ? `${ALIKE}: ${FIRST}` : reason };
}
