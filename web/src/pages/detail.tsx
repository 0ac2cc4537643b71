import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import {
  displayName,
  formatBytes,
  formatDate,
  normalizeName,
  percent,
  reasonInWords,
  sortedThumbnails,
  thumbnailAtLeast,
  thumbnailSrcset,
} from '../format';
import { useTitle } from '../title';
import type { Box, ImageDetail, ImageSummary } from '../types';
import { NotFound } from './not-found';

type Loaded =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ready'; record: ImageDetail };

export function Detail() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchRecord = async () => {
      try {
        const record = await api.getImage(id, controller.signal);
        setLoaded({ state: 'ready', record });
        // Until the pipeline is done with it.
        if (record.status === 'PENDING') timer = setTimeout(fetchRecord, 2000);
      } catch (error) {
        if (isAbort(error)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setLoaded({ state: 'missing' });
        else setLoaded({ state: 'error', message: errorMessage(error) });
      }
    };
    void fetchRecord();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [id, version]);

  useTitle(loaded.state === 'ready' ? displayName(loaded.record) : loaded.state === 'missing' ? 'Not found' : '');
  if (loaded.state === 'missing') return <NotFound what="There is no image with this id (or it is not yours)." />;
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') {
    return (
      <section>
        <h1>Image</h1>
        <p class="error" role="alert">
          {loaded.message}
        </p>
        <button type="button" onClick={reload}>
          Try again
        </button>
      </section>
    );
  }
  return <ImageView record={loaded.record} onChange={reload} />;
}

function ImageView({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const name = displayName(record);
  const analysis = record.analysis;
  const metadata = analysis?.metadata;
  const vision = record.vision;
  const reason = reasonInWords(record);
  return (
    <article class="detail" data-status={record.status} data-image-id={record.imageId}>
      <header class="detail-head">
        <h1>{name}</h1>
        <span class={`badge ${record.status.toLowerCase()}`}>{record.status}</span>
        <DeleteButton record={record} />
      </header>
      {record.status === 'PENDING' && (
        <p class="muted" role="status">
          Processing… this page updates when it is done.
        </p>
      )}
      {reason && (
        <p class="error" role="alert">
          {record.status === 'REJECTED' ? 'Rejected: ' : ''}
          {reason}
        </p>
      )}
      {record.visionError && (
        <p class="warning">
          Vision failed: {record.visionError.message} ({record.visionError.code})
        </p>
      )}
      <Viewer record={record} name={name} />
      <div class="facts">
        {record.status === 'PROCESSED' && <Labels record={record} onChange={onChange} />}
        {vision && vision.objects.length > 0 && (
          <Section title="Objects">
            <ul class="plain">
              {vision.objects.map((object, index) => (
                <li key={`${object.name}-${index}`}>
                  {object.name} <span class="muted">{percent(object.confidence)}</span>
                </li>
              ))}
            </ul>
          </Section>
        )}
        {vision && vision.faces.length > 0 && (
          <Section title="Faces">
            <p>
              {vision.faces.length} face{vision.faces.length === 1 ? '' : 's'} (
              {vision.faces.map((face) => percent(face.confidence)).join(', ')})
            </p>
          </Section>
        )}
        {vision && vision.text.lines.length > 0 && (
          <Section title="Text">
            <ul class="plain">
              {vision.text.lines.map((line, index) => (
                <li key={`${index}-${line.text}`}>
                  {line.text} <span class="muted">{percent(line.confidence)}</span>
                </li>
              ))}
            </ul>
          </Section>
        )}
        {analysis?.palette && analysis.palette.length > 0 && (
          <Section title="Colours">
            <ul class="palette" aria-label="Palette">
              {analysis.palette.map((colour) => (
                <li key={colour.hex}>
                  <span class="swatch" style={{ backgroundColor: colour.hex }} aria-hidden="true" />
                  <code>{colour.hex}</code> <span class="muted">{percent(colour.proportion)}</span>
                </li>
              ))}
            </ul>
            {analysis.brightness && (
              <p>
                Brightness {analysis.brightness.value} ({analysis.brightness.class})
              </p>
            )}
          </Section>
        )}
        <Section title="Metadata">
          <Facts
            rows={[
              ['Status', record.status],
              ['Format', metadata?.format ?? analysis?.detectedFormat],
              ['Dimensions', metadata && `${metadata.width} × ${metadata.height} px (${metadata.orientation})`],
              ['File size', record.size !== undefined ? formatBytes(record.size) : undefined],
              ['Content type', record.contentType],
              ['Colour space', metadata && `${metadata.colorSpace}, ${metadata.bitDepth}-bit`],
              ['Transparency', metadata && (metadata.hasAlpha ? 'yes' : 'no')],
              ['Animated', metadata && (metadata.isAnimated ? `yes, ${metadata.pages} frames` : 'no')],
              ['Uploaded', formatDate(record.createdAt)],
              ['Updated', formatDate(record.updatedAt)],
              ['Owner', record.owner],
              ['Tags', record.tags?.length ? record.tags.join(', ') : undefined],
              ...Object.entries(record.metadata ?? {}).map(([key, value]): [string, string] => [key, value]),
              ['Image id', record.imageId],
            ]}
          />
          {record.duplicateOf && (
            <p>
              An exact copy of <a href={appPath(`images/${record.duplicateOf}`)}>an earlier image</a>.
            </p>
          )}
        </Section>
        {metadata?.exif && (
          <Section title="EXIF">
            <Facts
              rows={[
                ['Make', metadata.exif.make],
                ['Model', metadata.exif.model],
                ['Taken', metadata.exif.takenAt],
                [
                  'Location',
                  metadata.exif.gps &&
                    `${metadata.exif.gps.latitude}, ${metadata.exif.gps.longitude}${
                      metadata.exif.gps.altitude !== undefined ? ` (${metadata.exif.gps.altitude} m)` : ''
                    }`,
                ],
              ]}
            />
          </Section>
        )}
        {(record.sha256 || analysis?.hashes) && (
          <Section title="Hashes">
            <Facts
              rows={[
                ['SHA-256', record.sha256 ?? analysis?.hashes?.sha256],
                ['Perceptual hash', analysis?.hashes?.phash],
              ]}
              code
            />
          </Section>
        )}
        {vision && (
          <Section title="Moderation">
            <p>
              {!vision.moderation.checked
                ? 'Not checked.'
                : vision.moderation.flagged
                  ? `Flagged (threshold ${percent(vision.moderation.threshold)}).`
                  : `Not flagged (threshold ${percent(vision.moderation.threshold)}).`}
            </p>
            {vision.moderation.labels.length > 0 && (
              <ul class="plain">
                {vision.moderation.labels.map((label) => (
                  <li key={label.name}>
                    {label.name} <span class="muted">{percent(label.confidence)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        )}
        {record.renditions && Object.keys(record.renditions).length > 0 && <Renditions record={record} />}
        {record.status === 'PROCESSED' && <Similar record={record} />}
      </div>
    </article>
  );
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="panel">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Facts({ rows, code }: { rows: Array<[string, string | number | undefined | false]>; code?: boolean }) {
  const shown = rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== false);
  return (
    <dl class="facts-list">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{code ? <code class="wrap">{value}</code> : value}</dd>
        </div>
      ))}
    </dl>
  );
}

type Layer = 'object' | 'face' | 'text';
const LAYERS: Array<{ layer: Layer; label: string }> = [
  { layer: 'object', label: 'Objects' },
  { layer: 'face', label: 'Faces' },
  { layer: 'text', label: 'Text' },
];

/** A box in fractions of the oriented image, as percentages of the shown image (its thumbnails are oriented too). */
function boxStyle(box: Box) {
  return {
    left: `${box.left * 100}%`,
    top: `${box.top * 100}%`,
    width: `${box.width * 100}%`,
    height: `${box.height * 100}%`,
  };
}

function Viewer({ record, name }: { record: ImageDetail; name: string }) {
  const [shown, setShown] = useState<Record<Layer, boolean>>({ object: true, face: true, text: true });
  const thumbnails = record.urls.thumbnails ?? {};
  const metadata = record.analysis?.metadata;
  const src = thumbnailAtLeast(thumbnails, 1024);
  const largest = sortedThumbnails(thumbnails).pop()?.[0];
  const vision = record.vision;
  if (!src) {
    return (
      <div class="no-preview" style={{ backgroundColor: record.analysis?.dominantColor?.hex }}>
        <span>No preview{record.status === 'PENDING' ? ' yet' : ''}</span>
      </div>
    );
  }
  const boxes: Array<{ layer: Layer; box: Box; label: string }> = vision
    ? [
        ...vision.objects.map((o) => ({
          layer: 'object' as const,
          box: o.box,
          label: `${o.name} ${percent(o.confidence)}`,
        })),
        ...vision.faces.map((f) => ({ layer: 'face' as const, box: f.box, label: `Face ${percent(f.confidence)}` })),
        ...vision.text.lines.map((l) => ({ layer: 'text' as const, box: l.box, label: l.text })),
      ]
    : [];
  // The shown size, scaled down like the largest thumbnail is, so the layout is reserved before it loads.
  const scale = metadata && largest ? Math.min(1, largest / Math.max(metadata.width, metadata.height)) : 1;
  const width = metadata ? Math.round(metadata.width * scale) : undefined;
  const height = metadata ? Math.round(metadata.height * scale) : undefined;
  return (
    <div class="viewer">
      {vision && (
        <fieldset class="toggles">
          <legend>Overlays</legend>
          {LAYERS.map(({ layer, label }) => (
            <label key={layer} class={`toggle ${layer}`}>
              <input
                type="checkbox"
                checked={shown[layer]}
                onChange={(event) => {
                  const checked = event.currentTarget.checked;
                  setShown((s) => ({ ...s, [layer]: checked }));
                }}
              />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      <figure class="stage-wrap">
        <div class="stage">
          <img
            src={src}
            srcset={thumbnailSrcset(thumbnails, metadata?.width, metadata?.height)}
            sizes="(max-width: 1000px) 100vw, 1000px"
            alt={name}
            width={width}
            height={height}
          />
          <div class="overlays" aria-hidden="true">
            {boxes
              .filter((entry) => shown[entry.layer])
              .map((entry, index) => (
                <div
                  key={`${entry.layer}-${index}`}
                  class={`box ${entry.layer}`}
                  data-overlay={entry.layer}
                  title={entry.label}
                  style={boxStyle(entry.box)}
                >
                  {entry.layer !== 'text' && <span class="box-label">{entry.label}</span>}
                </div>
              ))}
          </div>
        </div>
      </figure>
      {record.urls.original && (
        <p>
          <a href={record.urls.original} target="_blank" rel="noopener noreferrer">
            Open the original
          </a>
        </p>
      )}
    </div>
  );
}

interface ShownLabel {
  name: string;
  source: 'model' | 'user';
  detail?: string;
  confidence?: number;
}

/** The model's labels not taken away, then people's, as `PATCH /images/{id}/labels` answers them. */
function labelsOf(record: ImageDetail): ShownLabel[] {
  const removed = new Set((record.labelCorrections?.removed ?? []).map((label) => normalizeName(label.name)));
  const model: ShownLabel[] = (record.vision?.labels ?? [])
    .filter((label) => !removed.has(normalizeName(label.name)))
    .map((label) => ({ name: label.name, source: 'model', detail: label.source, confidence: label.confidence }));
  const user: ShownLabel[] = (record.labelCorrections?.added ?? []).map((label) => ({
    name: label.name,
    source: 'user',
  }));
  return [...model, ...user];
}

function Labels({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const labels = labelsOf(record);
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const change = async (body: { add?: string[]; remove?: string[] }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.correctLabels(record.imageId, body);
      setAdding('');
      onChange();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title="Labels">
      {labels.length === 0 ? (
        <p class="muted">No labels.</p>
      ) : (
        <ul class="labels-list" aria-label="Labels">
          {labels.map((label) => (
            <li key={`${label.source}-${label.name}`} data-label={label.name} data-source={label.source}>
              <span class="label-name">{label.name}</span>
              {label.confidence !== undefined && <span class="muted">{percent(label.confidence)}</span>}
              <span class={`source ${label.source}`}>
                {label.source === 'user' ? 'user' : `model${label.detail ? ` (${label.detail})` : ''}`}
              </span>
              <button
                type="button"
                class="small secondary"
                disabled={busy}
                onClick={() => change({ remove: [label.name] })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const name = adding.trim();
          if (name) void change({ add: [name] });
        }}
      >
        <label for="new-label">New label</label>
        <input
          id="new-label"
          type="text"
          maxLength={64}
          required
          autocomplete="off"
          value={adding}
          onInput={(event) => setAdding(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Add label
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </Section>
  );
}

function Renditions({ record }: { record: ImageDetail }) {
  const [copied, setCopied] = useState<string>();
  const copy = async (preset: string, url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(`${preset}: copied`);
    } catch {
      const input = document.getElementById(`rendition-${preset}`) as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setCopied(`${preset}: selected, press Ctrl+C (⌘C) to copy`);
    }
  };
  return (
    <Section title="Renditions">
      <ul class="renditions">
        {Object.entries(record.renditions ?? {}).map(([preset, rendition]) => (
          <li key={preset} data-preset={preset}>
            <label for={`rendition-${preset}`}>{preset}</label>
            <div class="copy-row">
              <input
                id={`rendition-${preset}`}
                type="text"
                readOnly
                value={rendition.url}
                onFocus={(event) => event.currentTarget.select()}
              />
              <button type="button" class="small" onClick={() => void copy(preset, rendition.url)}>
                Copy URL
              </button>
            </div>
            <span class="muted">until {formatDate(rendition.expiresAt)}</span>
          </li>
        ))}
      </ul>
      <p class="muted" role="status">
        {copied}
      </p>
    </Section>
  );
}

interface SimilarItem {
  imageId: string;
  distance: number;
  duplicate: boolean;
  summary?: ImageSummary & { thumbnails?: Record<string, string> };
}

function Similar({ record }: { record: ImageDetail }) {
  const [items, setItems] = useState<SimilarItem[] | undefined>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const page = await api.similar(record.imageId, controller.signal);
        const found = page.items.filter((item) => item.imageId !== record.imageId);
        setItems(found);
        // Names and thumbnails of the few found.
        const details = await Promise.all(
          found.map((item) => api.getImage(item.imageId, controller.signal).catch(() => undefined)),
        );
        setItems(
          found.map((item, index) => {
            const detail = details[index];
            return detail
              ? { ...item, summary: { ...detail, thumbnails: detail.urls.thumbnails } }
              : { ...item, summary: undefined };
          }),
        );
      } catch (error) {
        if (!isAbort(error)) setProblem(errorMessage(error));
      }
    })();
    return () => controller.abort();
  }, [record.imageId]);
  return (
    <Section title="Similar images">
      {problem && <p class="error">{problem}</p>}
      {!items && !problem && <p class="muted">Looking…</p>}
      {items && items.length === 0 && <p class="muted">None found.</p>}
      {items && items.length > 0 && (
        <ul class="similar" aria-label="Similar images">
          {items.map((item) => {
            const thumb = item.summary?.thumbnails && thumbnailAtLeast(item.summary.thumbnails, 128);
            return (
              <li key={item.imageId} data-distance={item.distance}>
                <a class="similar-link" href={appPath(`images/${item.imageId}`)}>
                  {thumb && <img src={thumb} alt="" loading="lazy" width={64} height={64} />}
                  <span>{item.summary ? displayName(item.summary) : item.imageId}</span>
                </a>{' '}
                <span class="muted">{item.duplicate ? 'exact copy' : `distance ${item.distance}`}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function DeleteButton({ record }: { record: ImageDetail }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const name = displayName(record);
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setProblem(undefined);
          dialog.current?.showModal();
        }}
      >
        Delete
      </button>
      <dialog ref={dialog} aria-labelledby="delete-title" aria-describedby="delete-text">
        <h2 id="delete-title">Delete this image?</h2>
        <p id="delete-text">{name} and its thumbnails and renditions are removed for good.</p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await api.deleteImage(record.imageId);
                dialog.current?.close();
                route(appPath(), true);
              } catch (error) {
                setProblem(errorMessage(error));
                setBusy(false);
              }
            }}
          >
            Delete
          </button>
        </div>
      </dialog>
    </>
  );
}
