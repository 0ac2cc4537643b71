import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/*
 * The viewer's zoom: steps of the photo's fitted size, about a point that stays where it is on the screen, the
 * stage's centre (the buttons, + and -) or the pointer (a click, a pinch). The photo is laid out at its fitted size
 * times the scale and centred while it is smaller than the stage; the stage scrolls so the point lands back under
 * itself. Beside the steps, the photo's actual size (one pixel of the original to one device pixel of the screen),
 * where focus is checked: a button of its own, not a step, so + and - go through the same steps for every photo.
 */

export const ZOOMS = [1, 1.5, 2, 3, 4] as const;

/** A point of the photo (fractions of its box) and where on the screen it was, to put it back there. */
interface Anchor {
  fx: number;
  fy: number;
  x: number;
  y: number;
}

const fraction = (value: number) => Math.min(1, Math.max(0, value));
/** Scales this close are one: the actual size computed twice from one measure differs by rounding only. */
const same = (a: number, b: number) => Math.abs(a - b) < 1e-3;

/**
 * The zoom of one photo, which starts unzoomed whenever `photoKey` (its id, and what else changes its picture)
 * changes. `originalWidth` is the original's width in pixels (as oriented), which the actual size is of; without it
 * there is no actual size, only the steps.
 */
export function useZoom(photoKey: string, originalWidth?: number) {
  const [scale, setScale] = useState(1);
  const stage = useRef<HTMLDivElement>(null);
  const photo = useRef<HTMLImageElement>(null);
  /** The photo's size fitted to the stage, measured as zooming starts: what every scale multiplies. */
  const fitted = useRef<{ width: number; height: number } | undefined>(undefined);
  const anchor = useRef<Anchor | undefined>(undefined);

  // A new photo starts unzoomed.
  useEffect(() => {
    anchor.current = undefined;
    fitted.current = undefined;
    setScale(1);
  }, [photoKey]);

  /** The fitted size: measured now while unzoomed (the stage may have changed), else as measured when zooming began. */
  const measure = () => {
    const rect = same(scale, 1) ? photo.current?.getBoundingClientRect() : undefined;
    if (rect && rect.width > 0 && rect.height > 0) {
      fitted.current = { width: rect.width, height: rect.height };
    }
    return fitted.current;
  };
  /** The scale at which a pixel of the original is a device pixel of the screen; none before the photo is laid out. */
  const actualScale = () => {
    const base = measure();
    return base && originalWidth ? originalWidth / (window.devicePixelRatio || 1) / base.width : undefined;
  };
  const zoomTo = (wanted: number, at?: { x: number; y: number }) => {
    const next = Math.min(Math.max(...ZOOMS, actualScale() ?? 0), Math.max(1, wanted));
    if (same(next, scale)) return;
    const img = photo.current;
    const box = stage.current;
    const rect = img?.getBoundingClientRect();
    // A photo not laid out yet (its bytes still loading) has no size to multiply or anchor to: it is then sized by
    // the stage's width, and zoomed about its top left.
    if (img && box && rect && rect.width > 0 && rect.height > 0) {
      measure();
      const view = box.getBoundingClientRect();
      const x = at?.x ?? view.left + view.width / 2;
      const y = at?.y ?? view.top + view.height / 2;
      anchor.current = { fx: fraction((x - rect.left) / rect.width), fy: fraction((y - rect.top) / rect.height), x, y };
    }
    setScale(next);
  };

  // After the new size is laid out: scroll the anchored point of the photo back under where it was.
  useLayoutEffect(() => {
    const kept = anchor.current;
    anchor.current = undefined;
    const img = photo.current;
    const box = stage.current;
    if (!kept || !img || !box) return;
    const rect = img.getBoundingClientRect();
    box.scrollLeft += rect.left + kept.fx * rect.width - kept.x;
    box.scrollTop += rect.top + kept.fy * rect.height - kept.y;
  }, [scale]);

  const zoomed = !same(scale, 1);
  const base = fitted.current;
  const actual = zoomed && base && originalWidth ? actualScale() : undefined;
  /** The photo's size at this scale: its fitted size times it (the stage's width times it, if never measured). */
  const size = !zoomed
    ? undefined
    : base
      ? { width: `${base.width * scale}px`, height: `${base.height * scale}px` }
      : { width: `${scale * 100}%` };
  return {
    scale,
    size,
    stage,
    photo,
    zoomed,
    /** At the actual size, one pixel of the original to one device pixel. */
    atActual: actual !== undefined && same(actual, scale),
    /** The photo's shown width in CSS pixels while zoomed (what a larger rendition must fill). */
    shownWidth: zoomed && base ? base.width * scale : undefined,
    /** No step is larger (the actual size may be: the + button is then off there too). */
    atMost: scale >= Math.max(...ZOOMS) - 1e-3,
    /** To the next step up or down (from the actual size, the step either side of it). */
    zoomBy: (delta: number, at?: { x: number; y: number }) => {
      const next = delta > 0 ? ZOOMS.find((s) => s > scale + 1e-3) : [...ZOOMS].reverse().find((s) => s < scale - 1e-3);
      if (next !== undefined) zoomTo(next, at);
    },
    zoomTo,
    /** To the actual size (nothing when the fitted photo is already at least that large). */
    zoomToActual: (at?: { x: number; y: number }) => {
      const actualNow = actualScale();
      if (actualNow !== undefined) zoomTo(actualNow, at);
    },
  };
}
