/*
 * Where the viewer's box captions go, so that no two overlap and each stays on the image: each caption, in the
 * boxes' order, takes the first of a few places around its box (above it, as on a wide screen, then inside its top,
 * below it, inside its bottom; each left-aligned with the box, then right-aligned) that is on the image and clear
 * of the captions placed before it. A caption with no such place is hidden; its box shows it while hovered.
 */

export interface Size {
  width: number;
  height: number;
}

export interface Rect extends Size {
  x: number;
  y: number;
}

/** A caption's place, in pixels from the image's top left corner. */
export interface Place {
  x: number;
  y: number;
}

const intersects = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The places a caption of this size may take around this box, best first, kept on an image of this size. */
export function candidates(box: Rect, caption: Size, image: Size): Place[] {
  const width = Math.min(caption.width, image.width);
  const clampX = (x: number) => Math.round(Math.max(0, Math.min(x, image.width - width)));
  const xs = [clampX(box.x), clampX(box.x + box.width - width)];
  const ys = [box.y - caption.height, box.y, box.y + box.height, box.y + box.height - caption.height].map(Math.round);
  return ys
    .filter((y) => y >= 0 && y + caption.height <= image.height)
    .flatMap((y) => [...new Set(xs)].map((x) => ({ x, y })));
}

/** Where a caption goes, and whether it is shown; a hidden one's place is where its box's hover shows it. */
export interface CaptionPlace extends Place {
  hidden: boolean;
}

/**
 * A place for each caption, in the given order (none: not even one on the image). Sizes are whole pixels, rounded
 * up, so that captions that touch do not overlap once the browser rounds.
 */
export function placeCaptions(
  image: Size,
  items: Array<{ box: Rect; caption: Size }>,
): Array<CaptionPlace | undefined> {
  const taken: Rect[] = [];
  return items.map(({ box, caption }) => {
    const size = { width: Math.ceil(Math.min(caption.width, image.width)), height: Math.ceil(caption.height) };
    const places = candidates(box, size, image);
    const free = places.find((at) => !taken.some((other) => intersects(other, { ...at, ...size })));
    if (free) {
      taken.push({ ...free, ...size });
      return { ...free, hidden: false };
    }
    return places[0] && { ...places[0], hidden: true };
  });
}
