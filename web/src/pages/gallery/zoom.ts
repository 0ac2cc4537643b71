import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/*
 * The viewer's zoom: steps of the photo's fitted size, about a point that stays where it is on the screen, the
 * stage's centre (the buttons, + and -) or the pointer (a click, a pinch). The photo is laid out at its fitted size
 * times the step and centred while it is smaller than the stage; the stage scrolls so the point lands back under
 * itself.
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

export function useZoom(imageId: string) {
  const [step, setStep] = useState(0);
  const stage = useRef<HTMLDivElement>(null);
  const photo = useRef<HTMLImageElement>(null);
  /** The photo's size fitted to the stage, measured as zooming starts: what every step multiplies. */
  const fitted = useRef<{ width: number; height: number } | undefined>(undefined);
  const anchor = useRef<Anchor | undefined>(undefined);

  // A new photo starts unzoomed.
  useEffect(() => {
    anchor.current = undefined;
    fitted.current = undefined;
    setStep(0);
  }, [imageId]);

  const zoomTo = (wanted: number, at?: { x: number; y: number }) => {
    const next = Math.min(ZOOMS.length - 1, Math.max(0, wanted));
    if (next === step) return;
    const img = photo.current;
    const box = stage.current;
    const rect = img?.getBoundingClientRect();
    // A photo not laid out yet (its bytes still loading) has no size to multiply or anchor to: it is then sized by
    // the stage's width, and zoomed about its top left.
    if (img && box && rect && rect.width > 0 && rect.height > 0) {
      if (step === 0) fitted.current = { width: rect.width, height: rect.height };
      const view = box.getBoundingClientRect();
      const x = at?.x ?? view.left + view.width / 2;
      const y = at?.y ?? view.top + view.height / 2;
      anchor.current = { fx: fraction((x - rect.left) / rect.width), fy: fraction((y - rect.top) / rect.height), x, y };
    }
    setStep(next);
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
  }, [step]);

  const scale = ZOOMS[step] ?? 1;
  const base = fitted.current;
  /** The photo's size at this step: its fitted size times the step (the stage's width times it, if never measured). */
  const size =
    step === 0
      ? undefined
      : base
        ? { width: `${base.width * scale}px`, height: `${base.height * scale}px` }
        : { width: `${scale * 100}%` };
  return {
    step,
    scale,
    size,
    stage,
    photo,
    atMost: step === ZOOMS.length - 1,
    zoomBy: (delta: number, at?: { x: number; y: number }) => zoomTo(step + delta, at),
    zoomTo,
  };
}
