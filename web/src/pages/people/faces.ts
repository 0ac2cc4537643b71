import type { Box, ImagePeopleDetail } from '../../types';

/*
 * Words and crops for people, shared by the People page, a person's page and the detail page's chips. Pure, so that
 * their unit tests need no DOM.
 */

/** What a person is called on a page: its name, or that it has none yet. */
export function personName(name: string | null | undefined): string {
  return name || 'Unnamed person';
}

export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * Faces found but not grouped, in words ("2 faces too small to recognise"), less those its owner has named since:
 * a face of the `detected` (`vision.faces`) in a person with a box of its own is one the analysis did not describe
 * (the too small ones counted off first). Nothing for a count of 0.
 */
export function skippedInWords(
  { faces, skipped }: Pick<ImagePeopleDetail, 'faces' | 'skipped'>,
  detected: number,
): string[] {
  const named = faces.filter((entry) => entry.box !== undefined && entry.face < detected).length;
  const tooSmall = Math.max(0, skipped.tooSmall - named);
  const overCap = Math.max(0, skipped.overCap - Math.max(0, named - skipped.tooSmall));
  const words: string[] = [];
  if (tooSmall > 0) words.push(`${countOf(tooSmall, 'face')} too small to recognise`);
  if (overCap > 0) words.push(`${countOf(overCap, 'face')} over the limit of faces grouped per image`);
  return words;
}

/** Room left around a face in its crop, as a share of the face's size on each side. */
export const FACE_MARGIN = 0.2;

/** A box widened by `margin` of its size on each side, kept inside the image. */
export function paddedBox(box: Box, margin = FACE_MARGIN): Box {
  const left = Math.max(0, box.left - box.width * margin);
  const top = Math.max(0, box.top - box.height * margin);
  const right = Math.min(1, box.left + box.width * (1 + margin));
  const bottom = Math.min(1, box.top + box.height * (1 + margin));
  return { left, top, width: Math.max(right - left, 1e-3), height: Math.max(bottom - top, 1e-3) };
}

/**
 * How to show the face at `box` in a square frame from a picture of the whole image, without knowing the image's
 * aspect: the picture is scaled so the (padded) face spans the frame's width, moved left by the face's left edge
 * and up by its middle (a translation's percentages are of the picture's own size), and its middle put at the
 * frame's middle (`top: 50%`). The frame hides the rest.
 */
export function faceCropStyle(box: Box, margin = FACE_MARGIN): { width: string; transform: string } {
  const padded = paddedBox(box, margin);
  const middle = padded.top + padded.height / 2;
  return {
    width: `${round(100 / padded.width)}%`,
    transform: `translate(${round(-padded.left * 100)}%, ${round(-middle * 100)}%)`,
  };
}

/** The thumbnail side (longest, px) at which a face `box` shown `shown` px wide stays sharp on a 2x screen. */
export function thumbnailSideFor(box: Box, shown: number): number {
  return Math.ceil((shown * 2) / Math.max(paddedBox(box).width, 1e-3));
}

const round = (value: number) => Math.round(value * 100) / 100;
