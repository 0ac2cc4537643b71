import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import type { Box } from '../../types';
import { FacePicker } from './face-picker';

/*
 * "Tag a face": a layer over the photo on which its owner drags a rectangle around a face the detector missed, then
 * says who it is (FacePicker) and it is sent (`POST /images/{id}/faces`). From the keyboard: an arrow key puts a box
 * in the middle, arrows move it, Shift with arrows resizes it, Enter keeps it. Escape cancels at any point.
 */

/** A box with a side under this (fractions of the photo) is a click, not a drawing (the API refuses under 0.01). */
const MIN_SIDE = 0.02;
/** How far one arrow key moves or resizes the keyboard's box. */
const STEP = 0.02;

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 1e4) / 1e4;

/** The box between two corners, in fractions of the layer. */
function between(a: { x: number; y: number }, b: { x: number; y: number }): Box {
  const left = Math.min(a.x, b.x);
  const top = Math.min(a.y, b.y);
  return { left: round(left), top: round(top), width: round(Math.abs(a.x - b.x)), height: round(Math.abs(a.y - b.y)) };
}

/** The box moved (or, `resize`, grown) by a key, kept inside the photo. */
function nudged(box: Box, key: string, resize: boolean): Box {
  const dx = key === 'ArrowLeft' ? -STEP : key === 'ArrowRight' ? STEP : 0;
  const dy = key === 'ArrowUp' ? -STEP : key === 'ArrowDown' ? STEP : 0;
  if (resize) {
    const width = Math.min(1 - box.left, Math.max(MIN_SIDE, box.width + dx));
    const height = Math.min(1 - box.top, Math.max(MIN_SIDE, box.height + dy));
    return { ...box, width: round(width), height: round(height) };
  }
  return {
    ...box,
    left: round(Math.min(1 - box.width, clamp(box.left + dx))),
    top: round(Math.min(1 - box.height, clamp(box.top + dy))),
  };
}

export function FaceDrawing(props: { imageId: string; onDone: () => void; onCancel: () => void }) {
  const layer = useRef<HTMLDivElement>(null);
  const start = useRef<{ x: number; y: number } | undefined>(undefined);
  const [box, setBox] = useState<Box>();
  const [picking, setPicking] = useState(false);

  useEffect(() => layer.current?.focus(), []);

  const pointAt = (event: PointerEvent) => {
    const rect = (layer.current as HTMLDivElement).getBoundingClientRect();
    return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
  };
  const down = (event: PointerEvent) => {
    if (picking) return;
    event.preventDefault();
    layer.current?.setPointerCapture(event.pointerId);
    start.current = pointAt(event);
    setBox(undefined);
  };
  const move = (event: PointerEvent) => {
    if (start.current) setBox(between(start.current, pointAt(event)));
  };
  const up = (event: PointerEvent) => {
    if (!start.current) return;
    const drawn = between(start.current, pointAt(event));
    start.current = undefined;
    if (drawn.width < MIN_SIDE || drawn.height < MIN_SIDE) {
      setBox(undefined);
      return;
    }
    setBox(drawn);
    setPicking(true);
  };
  const key = (event: KeyboardEvent) => {
    if (picking) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
    } else if (event.key.startsWith('Arrow')) {
      event.preventDefault();
      setBox((now) =>
        now ? nudged(now, event.key, event.shiftKey) : { left: 0.4, top: 0.4, width: 0.2, height: 0.2 },
      );
    } else if (event.key === 'Enter' && box) {
      event.preventDefault();
      setPicking(true);
    }
  };

  return (
    <>
      <div
        ref={layer}
        class="face-drawing"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a drawing surface (role application), drawn by keys too.
        tabIndex={0}
        role="application"
        aria-label="Draw a box around the face: drag over the photo, or press an arrow key, move it with the arrows, resize it with Shift and the arrows, and press Enter. Escape cancels."
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onKeyDown={key}
      >
        {box && (
          <div
            class="drawn-box"
            style={{
              left: `${box.left * 100}%`,
              top: `${box.top * 100}%`,
              width: `${box.width * 100}%`,
              height: `${box.height * 100}%`,
            }}
          />
        )}
      </div>
      {picking && box && (
        <FacePicker
          title="Who is in the box?"
          onPick={async (target) => {
            await api.drawFace(props.imageId, { box, ...target });
            props.onDone();
          }}
          onClose={() => {
            setPicking(false);
            layer.current?.focus();
          }}
        />
      )}
    </>
  );
}
