/**
 * The geometry between the original and the output: where the cut for `cover` goes (compass or smart gravity) and
 * how rectangles map through rotate, flip and flop, both ways.
 */
import { clamp, type ImageSize, type Layout, layoutOf } from './render-layout';
import type { Compass, PixelRegion, RenditionSpec } from './rendition';
import { type ScoredBox, smartRegion } from './smart-crop';

/** What the geometry pass shows and how, in the output's orientation. */
export interface Frame {
  /** The part of the original that is shown, in original pixels, mapped through rotate/flip/flop. */
  window: PixelRegion;
  /** The pixel size the window is scaled to. */
  content: ImageSize;
  /** Space around the content for `contain`, in output pixels. */
  padding?: { left: number; top: number; right: number; bottom: number };
  /** No box to frame with `gravity: smart`: a second pass cuts with sharp's attention strategy. */
  attention: boolean;
}

/** Horizontal and vertical position of a cut or an overlay for each compass gravity: 0 left/top, 1 right/bottom. */
export const GRAVITY: Record<Compass, [number, number]> = {
  center: [0.5, 0.5],
  north: [0.5, 0],
  northeast: [1, 0],
  east: [1, 0.5],
  southeast: [1, 1],
  south: [0.5, 1],
  southwest: [0, 1],
  west: [0, 0.5],
  northwest: [0, 0],
};

/** What framing reads besides the spec: the original's oriented size and, for `gravity: smart`, the analysis. */
export interface FramingContext {
  /** The ORIGINAL's oriented size; `animated` is the record's `isAnimated`. */
  image: ImageSize & { animated?: boolean };
  /** Face and object boxes from the stored analysis, fractions of the oriented image; used by `gravity: smart`. */
  faces?: readonly ScoredBox[];
  objects?: readonly ScoredBox[];
}

/**
 * The part of the original a rendition shows, in the original's oriented pixels (before rotate/flip/flop): the
 * crop, narrowed for `cover` by the gravity or the faces. Undefined when `gravity: smart` found no box to frame,
 * so sharp's attention strategy picks the cut from the pixels at render time.
 */
export function shownRegion(spec: RenditionSpec, context: FramingContext): PixelRegion | undefined {
  const frame = frameOf(spec, layoutOf(spec, context.image), context);
  return frame.attention ? undefined : fromOutput(frame.window, context.image, spec);
}

/** Where the cut for `cover` goes: compass gravity is the output's (north is its top), smart gravity the faces'. */
export function frameOf(spec: RenditionSpec, layout: Layout, context: FramingContext): Frame {
  const region = toOutput(layout.region, context.image, spec);
  const { width: vw, height: vh } = layout.visible;
  const [gx, gy] = spec.gravity === 'smart' ? GRAVITY.center : GRAVITY[spec.gravity];
  const spareX = layout.width - layout.content.width;
  const spareY = layout.height - layout.content.height;
  const padding =
    spareX > 0 || spareY > 0
      ? {
          left: Math.round(spareX * gx),
          right: spareX - Math.round(spareX * gx),
          top: Math.round(spareY * gy),
          bottom: spareY - Math.round(spareY * gy),
        }
      : undefined;
  // Within half a pixel the cut is the whole region (the scale's rounding), and nothing needs placing.
  if (vw > region.w - 0.5 && vh > region.h - 0.5)
    return { window: region, content: layout.content, padding, attention: false };
  if (spec.gravity !== 'smart') {
    const window = { x: region.x + (region.w - vw) * gx, y: region.y + (region.h - vh) * gy, w: vw, h: vh };
    return { window, content: layout.content, attention: false };
  }
  const turned = spec.rotate === 90 || spec.rotate === 270;
  const size = turned ? { width: context.image.height, height: context.image.width } : context.image;
  const unit = { width: 1, height: 1 };
  const toUnit = (box: ScoredBox): ScoredBox => {
    const { x, y, w, h } = toOutput({ x: box.left, y: box.top, w: box.width, h: box.height }, unit, spec);
    return { left: x, top: y, width: w, height: h, confidence: box.confidence };
  };
  const found = smartRegion(
    (context.faces ?? []).map(toUnit),
    (context.objects ?? []).map(toUnit),
    vw / vh,
    size,
    region,
  );
  if (!found) {
    // The whole region scaled to cover the output; the attention pass cuts it without resampling.
    const scale = layout.content.width / vw;
    const content = {
      width: Math.max(layout.width, Math.round(region.w * scale)),
      height: Math.max(layout.height, Math.round(region.h * scale)),
    };
    return { window: region, content, attention: true };
  }
  const x = clamp(found.x + found.w / 2 - vw / 2, region.x, region.x + region.w - vw);
  const y = clamp(found.y + found.h / 2 - vh / 2, region.y, region.y + region.h - vh);
  return { window: { x, y, w: vw, h: vh }, content: layout.content, attention: false };
}

/** What of a spec moves its pixels about after the resize. */
export type Turning = Pick<RenditionSpec, 'rotate' | 'flip' | 'flop'>;

/** The rect after sharp's flip (top-bottom), flop (left-right) and clockwise rotation, in that order. */
export function toOutput(rect: PixelRegion, size: ImageSize, turn: Turning): PixelRegion {
  let { x, y } = rect;
  if (turn.flip) y = size.height - y - rect.h;
  if (turn.flop) x = size.width - x - rect.w;
  return rotateRect({ x, y, w: rect.w, h: rect.h }, size, turn.rotate);
}

/** The inverse of toOutput: `size` is the un-turned size. */
export function fromOutput(rect: PixelRegion, size: ImageSize, turn: Turning): PixelRegion {
  const turned = turn.rotate === 90 || turn.rotate === 270;
  const turnedSize = turned ? { width: size.height, height: size.width } : size;
  const back = rotateRect(rect, turnedSize, (360 - turn.rotate) % 360);
  if (turn.flop) back.x = size.width - back.x - back.w;
  if (turn.flip) back.y = size.height - back.y - back.h;
  return back;
}

function rotateRect(r: PixelRegion, size: ImageSize, angle: number): PixelRegion {
  if (angle === 90) return { x: size.height - r.y - r.h, y: r.x, w: r.h, h: r.w };
  if (angle === 180) return { x: size.width - r.x - r.w, y: size.height - r.y - r.h, w: r.w, h: r.h };
  if (angle === 270) return { x: r.y, y: size.width - r.x - r.w, w: r.h, h: r.w };
  return { ...r };
}
