import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { useConfig } from '../../config';
import { fullSizeWidth, type OriginalSize } from './full-size-width';

/*
 * A zoomed photo at the resolution its shown size needs. Thumbnails stop at 1,024 px, so past that a viewer asks the
 * API for a rendition (POST /images/{id}/renditions) as wide as the photo is shown in device pixels: the rendition
 * path, not the original object, so a HEIC or TIFF original still arrives in a format every browser shows, without
 * its metadata. Nothing is asked before the user zooms, and the photo shown stays until the larger one has loaded.
 */

/**
 * The format, the first of these the deployment allows: render-cost.ts estimates a 4032 px rendition of a 12 MP JPEG
 * at 603 ms of work as JPEG q 90, 4,016 as WebP and 7,125 as AVIF (`format=auto` is costed as AVIF), against an
 * 8,000 ms default budget, so JPEG is ready soonest. A transparent photo's JPEG is on white.
 */
const FORMATS = ['jpeg', 'webp', 'png', 'avif'] as const;
/** Focus is what zooming in checks: JPEG's default 80 softens fine detail that 90 keeps. */
const QUALITY = 90;

interface Loaded {
  /** The image id and version it was made of. */
  picture: string;
  url: string;
  width: number;
  /** The API made it smaller than asked (the image is): no larger one is to be had. */
  capped: boolean;
}

/**
 * The larger rendition a zoomed photo shows in place of its thumbnail: `shownWidth` is its width on the screen in
 * CSS pixels while zoomed (undefined unzoomed), `thumbnailWidth` the width of the thumbnail it starts from.
 * `version` names the picture the rendition was made of (a turn its owner asked for): a rendition of another is
 * dropped, as the thumbnails are.
 */
export function useFullSize(
  image: { imageId: string; version?: string | number },
  original: OriginalSize | undefined,
  shownWidth: number | undefined,
  thumbnailWidth: number | undefined,
) {
  const { imageId } = image;
  const picture = `${imageId}#${image.version ?? ''}`;
  const limits = useConfig().renditions;
  const [loaded, setLoaded] = useState<Loaded>();
  const [problem, setProblem] = useState<{ picture: string; message: string }>();
  const current = loaded?.picture === picture ? loaded : undefined;
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
      setLoaded({ picture, url: signed.url, width: signed.width, capped: signed.capped });
    };
    load().catch((error) => {
      if (isAbort(error) || controller.signal.aborted) return;
      setProblem({ picture, message: `Could not load a larger copy: ${errorMessage(error)}` });
    });
    return () => controller.abort();
  }, [imageId, picture, wanted, format]);

  return {
    /** The rendition to show, once loaded: undefined until then (the thumbnail stays). */
    src: current?.url,
    /** A larger copy is being asked for or loaded. */
    loading: wanted !== undefined && format !== undefined,
    problem: problem?.picture === picture ? problem.message : undefined,
  };
}
