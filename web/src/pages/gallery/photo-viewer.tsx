import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorMessage, isAbort } from '../../api';
import { displayName, sortedThumbnails } from '../../format';
import type { ImageDetail, ImageSummary, Stack } from '../../types';
import { useFullSize } from './full-size';
import { thumbnailWidthOf } from './full-size-width';
import { type StackChanged, StackStrip, useStack } from './stack-strip';
import { DetailsPanel } from './viewer-details';
import { useZoom } from './zoom';
import { ZoomButtons } from './zoom-buttons';

/*
 * The full-screen viewer over the gallery: one photo of the current list at a time, previous/next within it (paging
 * the list on at its end), zoom, and a side panel of details read from `GET /images/{id}`. A modal dialog: focus
 * stays inside, Escape closes it, and the gallery keeps `view=<id>` in its URL so back and refresh work. A photo the
 * list has not loaded (a reload past its first page, a shared link) is opened by its id, on its own. A stack's primary
 * (a burst, a RAW+JPEG pair) or one of its frames has the stack's strip below it (stack-strip.tsx): a frame chosen
 * there is opened by its id, previous and next going on from the stack's place in the list.
 */

export interface PhotoViewerProps {
  items: readonly ImageSummary[];
  imageId: string;
  /** More of the list can be loaded (the gallery's cursor): next at the end loads it. */
  hasMore: boolean;
  loadMore: () => Promise<void>;
  onMove: (imageId: string) => void;
  onClose: () => void;
  /** A stack's primary changed, or it was unstacked: the list is no longer what the API lists. */
  onStackChanged?: () => void;
}

export function PhotoViewer(props: PhotoViewerProps) {
  const { items, imageId, hasMore, loadMore, onMove, onClose } = props;
  const listed = items.findIndex((item) => item.imageId === imageId);
  const alone = useAlone(listed < 0 ? imageId : undefined);
  const item = items[listed] ?? (alone.state === 'ready' ? alone.item : undefined);
  const strip = useStackOf(imageId, listed < 0 ? alone : undefined, item);
  // A frame of a listed stack has its stack's place in the list.
  const index =
    listed >= 0 || !strip.stackId ? listed : items.findIndex((listedItem) => listedItem.stack?.id === strip.stackId);
  const original = item?.width && item.height ? { width: item.width, height: item.height } : undefined;
  const zoom = useZoom(imageId, original?.width);
  const thumbnail = sortedThumbnails(item?.thumbnails ?? {}).pop();
  const fullSize = useFullSize({ imageId }, original, zoom.shownWidth, thumbnailWidthOf(thumbnail?.[0], original));
  const [details, setDetails] = useState(() => window.matchMedia?.('(min-width: 900px)').matches ?? false);
  const [waitingForMore, setWaitingForMore] = useState(false);
  // What a change to a stack did, said until another photo is shown.
  const [said, setSaid] = useState<string>();
  useEffect(() => setSaid(undefined), [imageId]);
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  // On Close at first, and again when the photo comes (opened by its id): the bar is drawn anew then.
  const shown = Boolean(item);
  useEffect(() => {
    if (!dialog.current?.contains(document.activeElement)) closeButton.current?.focus();
  }, [shown]);
  // Next was asked at the end of what is loaded: go on once the next page is in.
  useEffect(() => {
    if (!waitingForMore) return;
    const next = items[index + 1];
    if (next) {
      setWaitingForMore(false);
      onMove(next.imageId);
    } else if (!hasMore) setWaitingForMore(false);
  }, [items, waitingForMore, index, hasMore, onMove]);

  const inList = index >= 0;
  const previous = index > 0 ? items[index - 1] : undefined;
  const next = inList ? items[index + 1] : undefined;
  const goPrevious = () => previous && onMove(previous.imageId);
  const goNext = () => {
    if (next) onMove(next.imageId);
    else if (inList && hasMore && !waitingForMore) {
      setWaitingForMore(true);
      void loadMore();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = (event.target as HTMLElement).closest('input, textarea, select');
    if (event.key === 'Escape') onClose();
    else if (typing) return;
    else if (event.key === 'ArrowLeft') goPrevious();
    else if (event.key === 'ArrowRight') goNext();
    else if (event.key === '+' || event.key === '=') zoom.zoomBy(1);
    else if (event.key === '-') zoom.zoomBy(-1);
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

  const onStackChanged: StackChanged = (stack, words) => {
    strip.changed(stack);
    setSaid(words);
    props.onStackChanged?.();
  };
  const stackStrip = strip.stack && (
    <StackStrip
      stack={strip.stack}
      shownId={imageId}
      editable
      onShow={(id) => id !== imageId && onMove(id)}
      onChanged={onStackChanged}
    />
  );

  if (!item) {
    return (
      <div class="photo-viewer" role="dialog" aria-modal="true" aria-label="Photo" ref={dialog}>
        <div class="viewer-bar">
          {alone.state === 'error' ? (
            <p class="viewer-problem" role="alert">
              {alone.message}
            </p>
          ) : (
            <p class="viewer-problem" role="status">
              Loading the photo…
            </p>
          )}
          {alone.state === 'error' && alone.retry && (
            <button type="button" class="secondary" onClick={alone.retry}>
              Retry
            </button>
          )}
          <button type="button" ref={closeButton} onClick={onClose}>
            Close
          </button>
        </div>
        <div class="viewer-body" />
        {stackStrip}
      </div>
    );
  }
  const name = displayName(item);
  const largest = thumbnail?.[1];
  const { scale } = zoom;
  return (
    <div class="photo-viewer" role="dialog" aria-modal="true" aria-label={name} ref={dialog}>
      <div class="viewer-bar">
        <span class="viewer-name">{name}</span>
        <span class="muted viewer-count">
          {inList ? `${index + 1} of ${items.length}${hasMore ? '+' : ''}` : 'Opened by its link'}
        </span>
        <ZoomButtons zoom={zoom} loading={fullSize.loading} actualSize={original !== undefined} />
        {fullSize.problem && <span class="viewer-problem">{fullSize.problem}</span>}
        {said && (
          <span class="viewer-said" role="status">
            {said}
          </span>
        )}
        <button type="button" class="secondary" aria-pressed={details} onClick={() => setDetails((d) => !d)}>
          Details
        </button>
        <button type="button" ref={closeButton} onClick={onClose}>
          Close
        </button>
      </div>
      <div class={`viewer-body${details ? ' with-details' : ''}`}>
        <div
          ref={zoom.stage}
          class={`viewer-stage${scale > 1 ? ' zoomed' : ''}`}
          onWheel={(event) => {
            if (!event.ctrlKey && Math.abs(event.deltaY) < 1) return;
            // A pinch on a trackpad is a wheel with ctrlKey; a plain wheel zooms only when zoomed in already.
            if (!event.ctrlKey && !zoom.zoomed && event.deltaY > 0) return;
            event.preventDefault();
            zoom.zoomBy(event.deltaY < 0 ? 1 : -1, { x: event.clientX, y: event.clientY });
          }}
        >
          {largest ? (
            // biome-ignore lint/a11y/useKeyWithClickEvents: a click-to-zoom shortcut; the keyboard has + and - and the buttons
            <img
              key={item.imageId}
              ref={zoom.photo}
              src={fullSize.src ?? largest}
              alt={name}
              style={zoom.size}
              onClick={(event) => zoom.zoomTo(zoom.zoomed ? 1 : 2, { x: event.clientX, y: event.clientY })}
            />
          ) : (
            <p class="placeholder">{item.status === 'PENDING' ? 'Processing…' : 'No preview'}</p>
          )}
        </div>
        {inList && (
          <>
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
          </>
        )}
        {details && (
          <DetailsPanel
            item={item}
            record={alone.state === 'ready' && alone.record.imageId === item.imageId ? alone.record : undefined}
          />
        )}
      </div>
      {stackStrip ??
        (strip.problem && (
          <p class="viewer-strip-problem" role="alert">
            {strip.problem}
          </p>
        ))}
    </div>
  );
}

/**
 * The stack the photo shown is in: the listed primary's `stack`, the record's of one opened by its id (`stack` on a
 * primary, `stackedIn` on a frame), or, while a frame chosen in the strip is read, the stack the strip shows.
 */
function useStackOf(imageId: string, alone: Alone | undefined, item: ImageSummary | undefined) {
  const record = alone?.state === 'ready' && alone.record.imageId === imageId ? alone.record : undefined;
  // Unstacked here: a record read before says it is in it still, until the list has it on its own.
  const [unstacked, setUnstacked] = useState<ReadonlySet<string>>(new Set());
  const [last, setLast] = useState<Stack>();
  const named = item?.imageId === imageId ? item.stack?.id : undefined;
  const inLast = last?.frames.some((frame) => frame.imageId === imageId) ? last.stackId : undefined;
  const found = named ?? record?.stack?.id ?? record?.stackedIn ?? inLast;
  const stackId = found && !unstacked.has(found) ? found : undefined;
  const { stack, problem, set } = useStack(stackId);
  useEffect(() => {
    if (stack) setLast(stack);
  }, [stack]);
  return {
    stackId,
    stack,
    problem,
    changed: (now: Stack | undefined) => {
      if (now) set(now);
      else {
        const gone = stack?.stackId;
        if (gone) setUnstacked((before) => new Set([...before, gone]));
        setLast(undefined);
        set(undefined);
      }
    },
  };
}

type Alone =
  | { state: 'none' | 'loading' }
  | { state: 'error'; message: string; retry?: () => void }
  | { state: 'ready'; item: ImageSummary; record: ImageDetail };

/** A photo the list has not loaded, read by its id (`GET /images/{id}`); `none` until the list lacks one. */
function useAlone(imageId: string | undefined): Alone {
  const [alone, setAlone] = useState<Alone>({ state: 'none' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    // The list has it now: what was read is kept, so the details panel does not read it again.
    if (!imageId) return undefined;
    const controller = new AbortController();
    setAlone({ state: 'loading' });
    api
      .getImage(imageId, controller.signal)
      .then((record) => setAlone({ state: 'ready', item: summaryOf(record), record }))
      .catch((error) => {
        if (isAbort(error)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
          setAlone({
            state: 'error',
            message: 'There is no such photo: it was deleted, or the link is not to one of yours.',
          });
        } else {
          setAlone({
            state: 'error',
            message: `Could not load the photo: ${errorMessage(error)}`,
            retry: () => setAttempt((n) => n + 1),
          });
        }
      });
    return () => controller.abort();
  }, [imageId, attempt]);
  return alone;
}

/** What the viewer shows of a record, as a list page would have it. */
function summaryOf(record: ImageDetail): ImageSummary {
  const metadata = record.analysis?.status === 'PROCESSED' ? record.analysis.metadata : undefined;
  return {
    imageId: record.imageId,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    filename: record.filename,
    contentType: record.contentType,
    size: record.size,
    takenAt: metadata?.exif?.takenAt,
    width: metadata?.width,
    height: metadata?.height,
    thumbnails: record.urls.thumbnails,
    ...(record.stack && { stack: record.stack }),
    ...(!record.stack && record.stackedIn && { stack: { id: record.stackedIn } }),
  };
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
