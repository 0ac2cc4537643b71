import { useState } from 'preact/hooks';
import { percent, sortedThumbnails, thumbnailAtLeast, thumbnailSrcset } from '../../format';
import type { ImageDetail } from '../../types';
import { useFullSize } from '../gallery/full-size';
import { thumbnailWidthOf } from '../gallery/full-size-width';
import { useZoom } from '../gallery/zoom';
import { ZoomButtons } from '../gallery/zoom-buttons';
import { FaceDrawing } from './face-drawing';
import { type Layer, type Overlay, Overlays } from './overlays';
import { likelyInWords } from './possibly';

/*
 * The image with its object, face and text boxes drawn over it, and its likely objects' apart (dashed, muted,
 * captioned "possibly"): each layer toggled by its checkbox; only the layers the image has boxes in get one, with
 * their count. It zooms as the gallery's viewer does (its steps and the actual size), the boxes with it, and a zoom
 * past the largest thumbnail loads a rendition as large as it needs (gallery/full-size.ts).
 */

const LAYERS: Array<{ layer: Layer; label: string }> = [
  { layer: 'object', label: 'Objects' },
  { layer: 'face', label: 'Faces' },
  { layer: 'text', label: 'Text' },
  { layer: 'likely', label: 'Possibly' },
];

/** A face being drawn over the photo ("Tag a face", face-drawing.tsx): when it is sent, or cancelled. */
export interface Drawing {
  onDone: () => void;
  onCancel: () => void;
}

export function Viewer({ record, name, drawing }: { record: ImageDetail; name: string; drawing?: Drawing }) {
  const [shown, setShown] = useState<Record<Layer, boolean>>({ object: true, face: true, text: true, likely: true });
  const thumbnails = record.urls.thumbnails;
  const processed = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
  const metadata = processed?.metadata;
  const src = thumbnailAtLeast(thumbnails, 1024);
  const largest = sortedThumbnails(thumbnails).pop()?.[0];
  const vision = record.vision;
  const original = metadata ? { width: metadata.width, height: metadata.height } : undefined;
  // A turned photo starts unzoomed: its fitted size is another.
  const zoom = useZoom(`${record.imageId}#${record.rotationApplied ?? 0}`, original?.width);
  const fullSize = useFullSize(
    { imageId: record.imageId, version: record.rotationApplied },
    original,
    zoom.shownWidth,
    thumbnailWidthOf(largest, original),
  );
  if (!src) {
    return (
      <div class="no-preview" style={{ backgroundColor: processed?.dominantColor.hex }}>
        <span>No preview{record.status === 'PENDING' ? ' yet' : ''}</span>
      </div>
    );
  }
  const boxes: Overlay[] = vision
    ? [
        ...vision.objects.map((o, i) => ({
          key: `object-${i}`,
          layer: 'object' as const,
          box: o.box,
          label: `${o.name} ${percent(o.confidence)}`,
        })),
        ...vision.faces.map((f, i) => ({
          key: `face-${i}`,
          layer: 'face' as const,
          box: f.box,
          label: `Face ${percent(f.confidence)}`,
        })),
        ...vision.text.lines.map((l, i) => ({ key: `text-${i}`, layer: 'text' as const, box: l.box, label: l.text })),
        // The likely objects (possibly.tsx lists them, and the likely labels, which have no box).
        ...(record.likely ?? []).flatMap((match) =>
          match.box
            ? [
                {
                  key: `likely-${match.name}`,
                  layer: 'likely' as const,
                  box: match.box,
                  label: `possibly ${likelyInWords(match)}`,
                },
              ]
            : [],
        ),
        // Faces its owner drew (the detector missed them): their box is in the record's people.
        ...(record.people?.faces ?? []).flatMap((f) =>
          f.box ? [{ key: `face-${f.face}`, layer: 'face' as const, box: f.box, label: f.name ?? 'Drawn face' }] : [],
        ),
      ]
    : [];
  const layers = LAYERS.map((entry) => ({
    ...entry,
    count: boxes.filter((b) => b.layer === entry.layer).length,
  })).filter(({ count }) => count > 0);
  // The shown size, scaled down like the largest thumbnail is, so the layout is reserved before it loads.
  const scale = metadata && largest ? Math.min(1, largest / Math.max(metadata.width, metadata.height)) : 1;
  const width = metadata ? Math.round(metadata.width * scale) : undefined;
  const height = metadata ? Math.round(metadata.height * scale) : undefined;
  return (
    <div class="viewer">
      {layers.length > 0 && (
        <fieldset class="toggles">
          <legend>Overlays</legend>
          {layers.map(({ layer, label, count }) => (
            <label key={layer} class={`toggle ${layer}`}>
              <input
                type="checkbox"
                checked={shown[layer]}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  setShown((s) => ({ ...s, [layer]: checked }));
                }}
              />
              {label} ({count})
            </label>
          ))}
        </fieldset>
      )}
      <div class="zoom-bar">
        <ZoomButtons zoom={zoom} loading={fullSize.loading} actualSize={original !== undefined} />
        {fullSize.problem && (
          <span class="muted" role="status">
            {fullSize.problem}
          </span>
        )}
      </div>
      <figure class={`stage-wrap${zoom.zoomed ? ' zoomed' : ''}`} ref={zoom.stage}>
        <div class="stage">
          {/* The larger rendition, once loaded, replaces the thumbnails whole (a srcset would win over its src). */}
          <img
            ref={zoom.photo}
            src={fullSize.src ?? src}
            srcset={fullSize.src ? undefined : thumbnailSrcset(thumbnails, metadata?.width, metadata?.height)}
            sizes="(max-width: 1000px) 100vw, 1000px"
            alt={name}
            width={width}
            height={height}
            style={zoom.size}
          />
          <Overlays overlays={boxes.filter((entry) => shown[entry.layer])} />
          {drawing && <FaceDrawing imageId={record.imageId} onDone={drawing.onDone} onCancel={drawing.onCancel} />}
        </div>
      </figure>
    </div>
  );
}
