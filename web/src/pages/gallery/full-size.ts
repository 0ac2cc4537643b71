import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { useConfig } from '../../config';

/*
 * A zoomed photo at the resolution its shown size needs. Thumbnails stop at 1,024 px, so past that a viewer asks the
 * API for a rendition (POST /images/{id}/renditions) as wide as the photo is shown in device pixels: the rendition
 * path, not the original object, so a HEIC or TIFF original still arrives in a format every browser shows, without
 * its metadata. Nothing is asked before the user zooms, and the photo shown stays until the larger one has loaded.
 */

/**
 * The widths asked for: the one the zoom needs rounded up to the next of these, so that zooms of one photo share a
 * few specs (one signed URL, one CDN entry and one stored object each, and a few of the image's
 * `renditionsPerImage`), then capped at the original's width and at `renditionMaxSide`.
 */
export const FULL_SIZE_WIDTHS = [1536, 2048, 3072, 4096, 6144, 8192, 12288, 16383] as const;

/**
 * The format, the first of these the deployment allows: render-cost.ts estimates a 4032 px rendition of a 12 MP JPEG
 * at 603 ms of work as JPEG q 90, 4,016 as WebP and 7,125 as AVIF (`format=auto` is costed as AVIF), against an
 * 8,000 ms default budget, so JPEG is ready soonest. A transparent photo's JPEG is on white.
 */
const FORMATS = ['jpeg', 'webp', 'png', 'avif'] as const;
/** Focus is what zooming in checks: JPEG's default 80 softens fine detail that 90 keeps. */
const QUALITY = 90;

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

interface Loaded {
  imageId: string;
  url: string;
  width: number;
  /** The API made it smaller than asked (the image is): no larger one is to be had. */
  capped: boolean;
}

/**
 * The larger rendition a zoomed photo shows in place of its thumbnail: `shownWidth` is its width on the screen in
 * CSS pixels while zoomed (undefined unzoomed), `thumbnailWidth` the width of the thumbnail it starts from.
 */
export function useFullSize(
  imageId: string,
  original: OriginalSize | undefined,
  shownWidth: number | undefined,
  thumbnailWidth: number | undefined,
) {
  const limits = useConfig().renditions;
  const [loaded, setLoaded] = useState<Loaded>();
  const [problem, setProblem] = useState<{ imageId: string; message: string }>();
  const current = loaded?.imageId === imageId ? loaded : undefined;
  const have = current?.capped ? Number.POSITIVE_INFINITY : Math.max(current?.width ?? 0, thumbnailWidth ?? 0);
  const wanted =
    original && shownWidth
      ? fullSizeWidth(Math.ceil(shownWidth * (window.devicePixelRatio || 1)), have, original, limits.maxSide)
      : undefined;
  const format = FORMATS.find((f) => limits.formats.includes(f));

  useEffect(() => {
    if (!wanted || !format) return undefined;
    const controller = new AbortController();
    setProblem(undefined);
    const load = async () => {
      const signed = await api.createRendition(imageId, { w: wanted, format, q: QUALITY }, controller.signal);
      // Fetched and decoded before it takes the thumbnail's place, so the photo never blanks or shows half.
      const image = new Image();
      image.src = signed.url;
      await image.decode();
      if (controller.signal.aborted) return;
      setLoaded({ imageId, url: signed.url, width: signed.width, capped: signed.capped });
    };
    load().catch((error) => {
      if (isAbort(error) || controller.signal.aborted) return;
      setProblem({ imageId, message: `Could not load a larger copy: ${errorMessage(error)}` });
    });
    return () => controller.abort();
  }, [imageId, wanted, format]);

  return {
    /** The rendition to show, once loaded: undefined until then (the thumbnail stays). */
    src: current?.url,
    /** A larger copy is being asked for or loaded. */
    loading: wanted !== undefined && format !== undefined,
    problem: problem?.imageId === imageId ? problem.message : undefined,
  };
}

/** The width of the largest thumbnail (keyed by its longest side) of a photo of this size. */
export function thumbnailWidthOf(longestSide: number | undefined, original: OriginalSize | undefined) {
  if (!longestSide || !original) return undefined;
  const longest = Math.max(original.width, original.height);
  return Math.round((Math.min(longestSide, longest) * original.width) / longest);
}
