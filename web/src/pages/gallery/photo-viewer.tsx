import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { appPath } from '../../config';
import { displayName, formatBytes, placeInWords, sortedThumbnails } from '../../format';
import { PlacesAttribution } from '../../places-attribution';
import type { ImageDetail, ImageSummary } from '../../types';
import { labelsOf } from '../detail/labels';
import { personName } from '../people/faces';
import { takenInWords } from './timeline';

/*
 * The full-screen viewer over the gallery: one photo of the current list at a time, previous/next within it (paging
 * the list on at its end), zoom, and a side panel of details read from `GET /images/{id}`. A modal dialog: focus
 * stays inside, Escape closes it, and the gallery keeps `view=<id>` in its URL so back and refresh work.
 */

const ZOOMS = [1, 1.5, 2, 3, 4] as const;

export interface PhotoViewerProps {
  items: readonly ImageSummary[];
  imageId: string;
  /** More of the list can be loaded (the gallery's cursor): next at the end loads it. */
  hasMore: boolean;
  loadMore: () => Promise<void>;
  onMove: (imageId: string) => void;
  onClose: () => void;
}

export function PhotoViewer({ items, imageId, hasMore, loadMore, onMove, onClose }: PhotoViewerProps) {
  const index = items.findIndex((item) => item.imageId === imageId);
  const item = items[index];
  const [zoom, setZoom] = useState(0);
  const [details, setDetails] = useState(() => window.matchMedia?.('(min-width: 900px)').matches ?? false);
  const [waitingForMore, setWaitingForMore] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  // A new photo starts unzoomed.
  useEffect(() => setZoom(0), [imageId]);
  useEffect(() => closeButton.current?.focus(), []);
  // Next was asked at the end of what is loaded: go on once the next page is in.
  useEffect(() => {
    if (!waitingForMore) return;
    const next = items[index + 1];
    if (next) {
      setWaitingForMore(false);
      onMove(next.imageId);
    } else if (!hasMore) setWaitingForMore(false);
  }, [items, waitingForMore, index, hasMore, onMove]);

  const previous = index > 0 ? items[index - 1] : undefined;
  const next = items[index + 1];
  const goPrevious = () => previous && onMove(previous.imageId);
  const goNext = () => {
    if (next) onMove(next.imageId);
    else if (hasMore && !waitingForMore) {
      setWaitingForMore(true);
      void loadMore();
    }
  };
  const zoomBy = (step: number) => setZoom((z) => Math.min(ZOOMS.length - 1, Math.max(0, z + step)));

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = (event.target as HTMLElement).closest('input, textarea, select');
    if (event.key === 'Escape') onClose();
    else if (typing) return;
    else if (event.key === 'ArrowLeft') goPrevious();
    else if (event.key === 'ArrowRight') goNext();
    else if (event.key === '+' || event.key === '=') zoomBy(1);
    else if (event.key === '-') zoomBy(-1);
    else if (event.key === 'Tab') trapFocus(event, dialog.current);
    else return;
    event.preventDefault();
  };

  // On the document, not the dialog: a click on the photo (not focusable) leaves the focus on the body.
  const keys = useRef(onKeyDown);
  keys.current = onKeyDown;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  if (!item) {
    return (
      <div class="photo-viewer" role="dialog" aria-modal="true" aria-label="Photo" ref={dialog}>
        <div class="viewer-bar">
          <p class="muted">
            This photo is not in the list loaded here. <a href={appPath(`images/${imageId}`)}>Open its page</a>
          </p>
          <button type="button" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    );
  }
  const name = displayName(item);
  const largest = sortedThumbnails(item.thumbnails ?? {}).pop()?.[1];
  const scale = ZOOMS[zoom] ?? 1;
  return (
    <div class="photo-viewer" role="dialog" aria-modal="true" aria-label={name} ref={dialog}>
      <div class="viewer-bar">
        <span class="viewer-name">{name}</span>
        <span class="muted viewer-count">
          {index + 1} of {items.length}
          {hasMore ? '+' : ''}
        </span>
        <button type="button" class="secondary" onClick={() => zoomBy(-1)} disabled={zoom === 0} aria-label="Zoom out">
          −
        </button>
        <span class="viewer-zoom" aria-live="polite">
          {Math.round(scale * 100)}%
        </span>
        <button
          type="button"
          class="secondary"
          onClick={() => zoomBy(1)}
          disabled={zoom === ZOOMS.length - 1}
          aria-label="Zoom in"
        >
          +
        </button>
        <button type="button" class="secondary" aria-pressed={details} onClick={() => setDetails((d) => !d)}>
          Details
        </button>
        <button type="button" ref={closeButton} onClick={onClose}>
          Close
        </button>
      </div>
      <div class={`viewer-body${details ? ' with-details' : ''}`}>
        <div
          class={`viewer-stage${scale > 1 ? ' zoomed' : ''}`}
          onWheel={(event) => {
            if (!event.ctrlKey && Math.abs(event.deltaY) < 1) return;
            // A pinch on a trackpad is a wheel with ctrlKey; a plain wheel zooms only when zoomed in already.
            if (!event.ctrlKey && zoom === 0 && event.deltaY > 0) return;
            event.preventDefault();
            zoomBy(event.deltaY < 0 ? 1 : -1);
          }}
        >
          {largest ? (
            // biome-ignore lint/a11y/useKeyWithClickEvents: a click-to-zoom shortcut; the keyboard has + and - and the buttons
            <img
              key={item.imageId}
              src={largest}
              alt={name}
              style={{ width: scale > 1 ? `${scale * 100}%` : undefined }}
              onClick={() => setZoom((z) => (z === 0 ? 2 : 0))}
            />
          ) : (
            <p class="placeholder">{item.status === 'PENDING' ? 'Processing…' : 'No preview'}</p>
          )}
        </div>
        <button
          type="button"
          class="viewer-nav previous"
          onClick={goPrevious}
          disabled={!previous}
          aria-label="Previous photo"
        >
          ‹
        </button>
        <button
          type="button"
          class="viewer-nav next"
          onClick={goNext}
          disabled={!next && !hasMore}
          aria-busy={waitingForMore}
          aria-label="Next photo"
        >
          ›
        </button>
        {details && <DetailsPanel item={item} />}
      </div>
    </div>
  );
}

/** Tab and Shift+Tab cycle within the dialog. */
function trapFocus(event: KeyboardEvent, root: HTMLElement | null) {
  if (!root) return;
  const focusable = [...root.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input, [tabindex="0"]')];
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !root.contains(active))) last.focus();
  else if (!event.shiftKey && (active === last || !root.contains(active))) first.focus();
  else {
    const at = focusable.indexOf(active as HTMLElement);
    focusable[at + (event.shiftKey ? -1 : 1)]?.focus();
  }
}

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; record: ImageDetail };

/** What a person asks of a photo: what is in it, who, when and where it was taken, its size; the rest is a link. */
function DetailsPanel({ item }: { item: ImageSummary }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .getImage(item.imageId, controller.signal)
      .then((record) => setLoaded({ state: 'ready', record }))
      .catch((error) => {
        if (!isAbort(error)) setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [item.imageId, attempt]);
  const record = loaded.state === 'ready' ? loaded.record : undefined;
  const metadata = record?.analysis?.status === 'PROCESSED' ? record.analysis.metadata : undefined;
  const taken = metadata?.exif?.takenAt ?? item.takenAt;
  // The record's place and position, the owner's correction applied: not the EXIF GPS, which a correction overrides.
  const { place, position } = record ?? {};
  const labels = record ? labelsOf(record).map((label) => label.name) : (item.topLabels ?? []);
  const people = (record?.people?.faces ?? []).map((face) => personName(face.name));
  return (
    <aside class="viewer-details" aria-label="Details">
      <h2>Details</h2>
      {loaded.state === 'error' && (
        <div role="alert">
          <p class="error">Could not load the details: {loaded.message}</p>
          <button type="button" class="secondary" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      <dl class="viewer-facts">
        <dt>Taken</dt>
        <dd>{taken ? takenInWords(taken) : 'Unknown'}</dd>
        {(place || position) && (
          <>
            <dt>Place</dt>
            <dd>
              {place && placeInWords(place)}
              {place && position && ' · '}
              {position && (
                <a
                  href={`https://www.openstreetmap.org/?mlat=${position.latitude}&mlon=${position.longitude}#map=15/${position.latitude}/${position.longitude}`}
                  rel="noreferrer"
                  target="_blank"
                >
                  {position.latitude.toFixed(4)}, {position.longitude.toFixed(4)}
                </a>
              )}
            </dd>
          </>
        )}
        {labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd>{labels.join(', ')}</dd>
          </>
        )}
        {people.length > 0 && (
          <>
            <dt>People</dt>
            <dd>{[...new Set(people)].join(', ')}</dd>
          </>
        )}
        <dt>Size</dt>
        <dd>
          {[
            item.width && item.height ? `${item.width} × ${item.height} px` : undefined,
            item.size !== undefined ? formatBytes(item.size) : undefined,
          ]
            .filter(Boolean)
            .join(', ') || 'Unknown'}
        </dd>
      </dl>
      {loaded.state === 'loading' && <p class="muted skeleton-line" aria-hidden="true" />}
      {place && <PlacesAttribution />}
      <a href={appPath(`images/${item.imageId}`)}>Open the details page</a>
    </aside>
  );
}
