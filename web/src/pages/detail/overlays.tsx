import { Fragment } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Box } from '../../types';
import { type CaptionPlace, placeCaptions } from './caption-layout';

/*
 * The boxes drawn over the image, and their captions placed apart (caption-layout.ts): on a narrow screen a caption
 * with no room is hidden, and shown while its box is hovered. Decorative (aria-hidden): the Objects, Faces, Text and
 * Possibly panels list the same things in words.
 */

/** `likely`: a likely object's box, drawn apart from the sure ones (dashed and muted, in style.css). */
export type Layer = 'object' | 'face' | 'text' | 'likely';

export interface Overlay {
  /** Stable while the record is the same: the layer and the box's index in it. */
  key: string;
  layer: Layer;
  box: Box;
  label: string;
}

/** A box in fractions of the oriented image, as percentages of the shown image (its thumbnails are oriented too). */
function boxStyle(box: Box) {
  return {
    left: `${box.left * 100}%`,
    top: `${box.top * 100}%`,
    width: `${box.width * 100}%`,
    height: `${box.height * 100}%`,
  };
}

/** Text boxes are many and small: their words are in the Text panel, not drawn as captions. */
const captioned = (overlay: Overlay) => overlay.layer !== 'text';

export function Overlays({ overlays }: { overlays: Overlay[] }) {
  const layer = useRef<HTMLDivElement>(null);
  const [places, setPlaces] = useState<Record<string, CaptionPlace | undefined>>({});
  const withCaption = overlays.filter(captioned);
  const keys = withCaption.map((overlay) => overlay.key).join(' ');

  useLayoutEffect(() => {
    const element = layer.current;
    if (!element) return;
    const layout = () => {
      const image = { width: element.clientWidth, height: element.clientHeight };
      const items = withCaption.map(({ key, box }) => {
        const caption = element.querySelector<HTMLElement>(`[data-caption="${key}"]`)?.getBoundingClientRect();
        return {
          box: {
            x: box.left * image.width,
            y: box.top * image.height,
            width: box.width * image.width,
            height: box.height * image.height,
          },
          caption: { width: caption?.width ?? 0, height: caption?.height ?? 0 },
        };
      });
      const placed = placeCaptions(image, items);
      setPlaces(Object.fromEntries(withCaption.map(({ key }, index) => [key, placed[index]])));
    };
    layout();
    // The image's shown size changes with the window, and once it has loaded.
    const observer = new ResizeObserver(layout);
    observer.observe(element);
    return () => observer.disconnect();
  }, [keys]);

  return (
    <div class="overlays" ref={layer} aria-hidden="true">
      {overlays.map((entry) => {
        const place = places[entry.key];
        const state = captioned(entry) ? (place && !place.hidden ? 'shown' : 'hidden') : undefined;
        // Each caption right after its box, so that the box's hover shows a hidden one (style.css: `.box:hover +`).
        return (
          <Fragment key={entry.key}>
            <div
              class={`box ${entry.layer}`}
              data-overlay={entry.layer}
              data-box={entry.key}
              data-caption-state={state}
              title={entry.label}
              style={boxStyle(entry.box)}
            />
            {state && (
              <span
                class={`box-label ${entry.layer}`}
                data-caption={entry.key}
                data-caption-state={state}
                style={
                  place
                    ? { left: `${place.x}px`, top: `${place.y}px` }
                    : { left: boxStyle(entry.box).left, top: boxStyle(entry.box).top }
                }
              >
                {entry.label}
              </span>
            )}
          </Fragment>
        );
      })}
    </div>
  );
}
