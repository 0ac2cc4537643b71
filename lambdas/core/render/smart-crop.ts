import type { PixelRegion, UnitBox } from './rendition';

/** A face or object box; `confidence` (0-1) orders objects, and boxes without one keep the order given. */
export interface ScoredBox extends UnitBox {
  confidence?: number;
}

/** Room kept around each face, as a fraction of its own width and height on every side: hair and chin. */
const FACE_MARGIN = 0.15;
/** Objects are framed tighter: their boxes already include the whole object. */
const OBJECT_MARGIN = 0.05;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Where to cut a crop of `aspect` (width / height) out of an image of `image` pixels so that it shows what matters,
 * from the stored analysis alone (no model call at render time).
 *
 * The crop is always the largest one of that aspect inside `within` (the whole image by default), the same size
 * `fit: cover` would cut: smart gravity only moves it, it never zooms, so the source a rendition needs does not
 * depend on where the faces are (`planSource` is decided from the spec alone).
 *
 * What it frames, first that applies:
 * 1. every face, each with a little margin. When they cannot all fit in the crop, the largest faces are kept first
 *    (a smaller face that still fits is kept too, a larger one that does not is left out): the people nearest the
 *    camera matter most. A face larger than the crop itself is centred.
 * 2. else the objects, most confident first, kept while they fit the same way.
 * 3. else `undefined`: the caller falls back to sharp's attention strategy (saliency from the pixels).
 *
 * Boxes are fractions (0-1) of the whole image, as the vision schema stores them; parts outside `within` are cut
 * off and boxes entirely outside it ignored. The crop is centred on what it frames, then moved as little as
 * needed to stay inside `within`.
 */
export function smartRegion(
  faces: readonly UnitBox[],
  objects: readonly ScoredBox[],
  aspect: number,
  image: { width: number; height: number },
  within: PixelRegion = { x: 0, y: 0, w: image.width, h: image.height },
): PixelRegion | undefined {
  const size = largestWindow(aspect, within);
  const byArea = (a: Rect, b: Rect) => area(b) - area(a);
  const faceRects = toPixelRects(faces, image, within).sort(byArea);
  if (faceRects.length > 0) return frame(faceRects, FACE_MARGIN, size, within);
  const ranked = [...objects].sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0));
  const objectRects = toPixelRects(ranked, image, within);
  if (objectRects.length > 0) return frame(objectRects, OBJECT_MARGIN, size, within);
  return undefined;
}

/** The largest window of `aspect` that fits in `within`, whole pixels, at least 1x1. */
function largestWindow(aspect: number, within: PixelRegion): { w: number; h: number } {
  if (within.w / within.h > aspect) {
    return { w: clampInt(Math.round(within.h * aspect), 1, within.w), h: within.h };
  }
  return { w: within.w, h: clampInt(Math.round(within.w / aspect), 1, within.h) };
}

/** Unit boxes to pixel rectangles clipped to `within`; empty ones dropped, order kept. */
function toPixelRects(boxes: readonly UnitBox[], image: { width: number; height: number }, within: PixelRegion) {
  const rects: Rect[] = [];
  for (const box of boxes) {
    const rect = {
      x0: Math.max(box.left * image.width, within.x),
      y0: Math.max(box.top * image.height, within.y),
      x1: Math.min((box.left + box.width) * image.width, within.x + within.w),
      y1: Math.min((box.top + box.height) * image.height, within.y + within.h),
    };
    if (rect.x1 > rect.x0 && rect.y1 > rect.y0) rects.push(rect);
  }
  return rects;
}

/**
 * Greedily grows the framed area with each rectangle in order (with its margin if that still fits, else bare),
 * skipping those that would make it larger than the window; then places the window around it.
 */
function frame(rects: Rect[], margin: number, size: { w: number; h: number }, within: PixelRegion): PixelRegion {
  let framed: Rect | undefined;
  for (const rect of rects) {
    const candidates = [union(framed, grow(rect, margin, within)), union(framed, rect)];
    const fitting = candidates.find((candidate) => fits(candidate, size));
    if (fitting) framed = fitting;
  }
  // Nothing fits: the first (largest, or most confident) alone is larger than the window; centre on it.
  const target = framed ?? (rects[0] as Rect);
  return {
    x: place((target.x0 + target.x1) / 2, size.w, framed ? [target.x0, target.x1] : undefined, within.x, within.w),
    y: place((target.y0 + target.y1) / 2, size.h, framed ? [target.y0, target.y1] : undefined, within.y, within.h),
    w: size.w,
    h: size.h,
  };
}

/**
 * The window's start on one axis: centred on `centre`, then clamped so that it still covers `[from, to]` (when
 * given) and stays within `[start, start + length]`.
 */
function place(
  centre: number,
  size: number,
  covering: [number, number] | undefined,
  start: number,
  length: number,
): number {
  let low = start;
  let high = start + length - size;
  if (covering) {
    low = Math.max(low, Math.ceil(covering[1] - size));
    high = Math.min(high, Math.floor(covering[0]));
  }
  // Sub-pixel edges can leave low a pixel above high; the window then favours the framed area's start.
  return clampInt(Math.round(centre - size / 2), Math.min(low, high), high);
}

function grow(rect: Rect, margin: number, within: PixelRegion): Rect {
  const dx = (rect.x1 - rect.x0) * margin;
  const dy = (rect.y1 - rect.y0) * margin;
  return {
    x0: Math.max(rect.x0 - dx, within.x),
    y0: Math.max(rect.y0 - dy, within.y),
    x1: Math.min(rect.x1 + dx, within.x + within.w),
    y1: Math.min(rect.y1 + dy, within.y + within.h),
  };
}

function union(a: Rect | undefined, b: Rect): Rect {
  if (!a) return b;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Whether `rect`, rounded out to whole pixels, fits in a window of `size`. */
const fits = (rect: Rect, size: { w: number; h: number }): boolean =>
  Math.ceil(rect.x1) - Math.floor(rect.x0) <= size.w && Math.ceil(rect.y1) - Math.floor(rect.y0) <= size.h;

const area = (rect: Rect): number => (rect.x1 - rect.x0) * (rect.y1 - rect.y0);

const clampInt = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
