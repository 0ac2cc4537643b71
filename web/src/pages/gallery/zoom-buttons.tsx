import type { useZoom } from './zoom';

/**
 * The zoom's buttons, as the viewer and the photo's page show them: out, the scale (busy while a larger rendition
 * loads), in, and the actual size when the original's width is known.
 */
export function ZoomButtons({
  zoom,
  loading,
  actualSize,
}: {
  zoom: ReturnType<typeof useZoom>;
  loading: boolean;
  actualSize: boolean;
}) {
  return (
    <>
      <button
        type="button"
        class="secondary"
        onClick={() => zoom.zoomBy(-1)}
        disabled={!zoom.zoomed}
        aria-label="Zoom out"
      >
        −
      </button>
      <span class="viewer-zoom" aria-live="polite" aria-busy={loading}>
        {Math.round(zoom.scale * 100)}%{zoom.atActual ? ', actual size' : ''}
      </span>
      <button
        type="button"
        class="secondary"
        onClick={() => zoom.zoomBy(1)}
        disabled={zoom.atMost}
        aria-label="Zoom in"
      >
        +
      </button>
      {actualSize && (
        <button
          type="button"
          class="secondary"
          onClick={() => zoom.zoomToActual()}
          disabled={zoom.atActual}
          title="One pixel of the photo to one pixel of the screen"
        >
          Actual size
        </button>
      )}
    </>
  );
}
