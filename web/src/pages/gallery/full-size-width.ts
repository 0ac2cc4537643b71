/*
 * Which rendition a zoom needs (full-size.ts asks for it): pure arithmetic on sizes, apart from the hook so that it
 * is tested without a browser.
 */

/**
 * The widths asked for: the one the zoom needs rounded up to the next of these, so that zooms of one photo share a
 * few specs (one signed URL, one CDN entry and one stored object each, and a few of the image's
 * `renditionsPerImage`), then capped at the original's width and at `renditionMaxSide`.
 */
export const FULL_SIZE_WIDTHS = [1536, 2048, 3072, 4096, 6144, 8192, 12288, 16383] as const;

export interface OriginalSize {
  width: number;
  height: number;
}

/**
 * The width of the rendition to ask for, so that `needed` device pixels are shown from at least as many, or
 * undefined when what is shown (`have` pixels wide) is enough or as large as this deployment renders this photo.
 */
export function fullSizeWidth(
  needed: number,
  have: number,
  original: OriginalSize,
  maxSide: number,
): number | undefined {
  if (needed <= have) return undefined;
  const longest = Math.max(original.width, original.height);
  const cap = Math.min(original.width, Math.floor((maxSide * original.width) / longest));
  const width = Math.min(FULL_SIZE_WIDTHS.find((w) => w >= needed) ?? cap, cap);
  return width > have ? width : undefined;
}

/** The width of the largest thumbnail (keyed by its longest side) of a photo of this size. */
export function thumbnailWidthOf(longestSide: number | undefined, original: OriginalSize | undefined) {
  if (!longestSide || !original) return undefined;
  const longest = Math.max(original.width, original.height);
  return Math.round((Math.min(longestSide, longest) * original.width) / longest);
}
