import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, api, errorMessage, isAbort } from '../api';
import { appPath } from '../config';
import { displayName, formatBytes, formatDate, percent, reasonInWords } from '../format';
import { useTitle } from '../title';
import type { ImageDetail } from '../types';
import { currentUnlock } from '../unlock';
import { AlbumsPanel } from './detail/albums';
import { ArchiveButton } from './detail/archive-button';
import { CropButton, cropping } from './detail/crop-tool';
import { DateTakenPanel } from './detail/date-taken';
import { DeleteButton } from './detail/delete-button';
import { DownloadButton } from './detail/download-button';
import { FavouriteButton } from './detail/favourite-button';
import { Labels } from './detail/labels';
import { LockButton } from './detail/lock-button';
import { ModerationPanel } from './detail/moderation';
import { Facts, Section } from './detail/panels';
import { PeoplePanel } from './detail/people';
import { PlacePanel } from './detail/place';
import { PossiblyPanel } from './detail/possibly';
import { ProvenancePanel } from './detail/provenance';
import { QualityPanel } from './detail/quality';
import { RenditionBuilder } from './detail/rendition-builder';
import { Renditions } from './detail/renditions';
import { RotateButton, turning } from './detail/rotate-button';
import { Similar } from './detail/similar';
import { TagsPanel } from './detail/tags';
import { Viewer } from './detail/viewer';
import { StackOf } from './gallery/stack-strip';
import { takenInWords } from './gallery/timeline';
import { NotFound } from './not-found';

type Loaded =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'locked' }
  | { state: 'error'; message: string }
  | { state: 'ready'; record: ImageDetail };

/**
 * `me` and `admin`: who the app signs calls as (signer.ts `owner()`, `admin()`). A photo of another owner's that the
 * caller may read (a partner's grant, an album shared with them) opens read-only unless they are an admin: the API
 * answers its changes 403 or 404, so the page offers none.
 */
export function Detail({ me, admin = false }: { me?: string; admin?: boolean }) {
  const { params } = useRoute();
  const id = params.id ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const whose = useWhose(loaded.state === 'ready' ? loaded.record : undefined, me, admin);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fetchRecord = async () => {
      try {
        // A photo of the locked folder opens with its unlock token (the Locked page's), and only with it.
        const record = await api.getImage(id, controller.signal, currentUnlock()?.token);
        setLoaded({ state: 'ready', record });
        // Until the pipeline is done with it: an upload, or a turn or crop its owner asked for (rotate-button.tsx,
        // crop-tool.tsx).
        if (record.status === 'PENDING' || turning(record) || cropping(record)) timer = setTimeout(fetchRecord, 2000);
      } catch (error) {
        if (isAbort(error)) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400))
          setLoaded({ state: 'missing' });
        else if (error instanceof ApiError && error.status === 403 && /locked/i.test(error.message))
          setLoaded({ state: 'locked' });
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
  if (loaded.state === 'locked') {
    return (
      <section>
        <h1>In the locked folder</h1>
        <p>
          This photo is in your locked folder: open it from the <a href={appPath('locked')}>Locked</a> page, with your
          PIN.
        </p>
      </section>
    );
  }
  if (loaded.state === 'loading') {
    return (
      <div class="detail-loading" role="status" aria-label="Loading the image">
        <span class="skeleton-line" />
        <span class="detail-skeleton skeleton-line" />
      </div>
    );
  }
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
  return <ImageView record={loaded.record} onChange={reload} whose={whose} />;
}

/** `mine`: the caller may change the photo; `theirs`: another owner's, read-only; undefined: not known yet. */
type Whose = 'mine' | 'theirs' | undefined;

/**
 * Whose the photo is to the page: the caller's, or any with an admin's credential; else another owner's. With an API
 * key the app does not know its owner id: a photo whose owner shares their library with the caller (`GET /partners`)
 * is a partner's, and until that answers the page offers no change.
 */
function useWhose(record: ImageDetail | undefined, me: string | undefined, admin: boolean): Whose {
  const [grantors, setGrantors] = useState<ReadonlySet<string>>();
  const asks = !admin && me === undefined;
  useEffect(() => {
    if (!asks) return;
    const controller = new AbortController();
    api
      .listPartners(controller.signal)
      .then((list) => setGrantors(new Set(list.received.map((grant) => grant.grantor))))
      .catch(() => setGrantors(new Set()));
    return () => controller.abort();
  }, [asks]);
  if (admin) return 'mine';
  if (me !== undefined) return record?.owner === me ? 'mine' : 'theirs';
  if (grantors === undefined) return undefined;
  return record?.owner !== undefined && grantors.has(record.owner) ? 'theirs' : 'mine';
}

function ImageView({ record, onChange, whose }: { record: ImageDetail; onChange: () => void; whose: Whose }) {
  const editable = whose === 'mine';
  const name = displayName(record);
  const analysis = record.analysis;
  // What each outcome of the analysis holds: only a PROCESSED one has metadata, colours and a perceptual hash.
  const processed = analysis?.status === 'PROCESSED' ? analysis : undefined;
  const rejected = analysis?.status === 'REJECTED' ? analysis : undefined;
  const metadata = processed?.metadata;
  // Its owner's date taken, else the camera's.
  const takenAt = record.takenCorrection?.takenAt ?? metadata?.exif?.takenAt;
  const vision = record.vision;
  const reason = reasonInWords(record);
  const { route } = useLocation();
  // The stack it is the primary (`stack`) or a frame (`stackedIn`) of: its strip, under the photo.
  const stackId = record.stack?.id ?? record.stackedIn;
  const [stackSaid, setStackSaid] = useState<string>();
  useEffect(() => setStackSaid(undefined), [record.imageId]);
  // "Tag a face" (people.tsx): the photo takes a drawing layer until a face is drawn and named, or Escape.
  const [tagging, setTagging] = useState(false);
  const drawing = tagging
    ? {
        onDone: () => {
          setTagging(false);
          onChange();
        },
        onCancel: () => setTagging(false),
      }
    : undefined;
  return (
    <article class="detail" data-status={record.status} data-image-id={record.imageId}>
      <header class="detail-head">
        <h1>{name}</h1>
        <span class={`badge ${record.status.toLowerCase()}`}>{record.status}</span>
        {editable && record.status === 'PROCESSED' && <FavouriteButton record={record} onChange={onChange} />}
        {editable && record.status === 'PROCESSED' && record.locked !== true && (
          <ArchiveButton record={record} onChange={onChange} />
        )}
        {editable && record.status === 'PROCESSED' && <LockButton record={record} name={name} onChange={onChange} />}
        {editable && record.status === 'PROCESSED' && <RotateButton record={record} onChange={onChange} />}
        {editable && record.status === 'PROCESSED' && <CropButton record={record} onChange={onChange} />}
        <DownloadButton record={record} />
        {editable && <DeleteButton record={record} onChange={onChange} />}
      </header>
      {whose === 'theirs' && (
        <p class="shared-by">Shared with you by {record.owner}: you can look at it, download it, not change it.</p>
      )}
      <p class="muted detail-when">
        {takenAt ? `Taken ${takenInWords(takenAt)}` : `Uploaded ${formatDate(record.createdAt)}`}
      </p>
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
      <Viewer record={record} name={name} drawing={drawing} />
      {stackId && (
        <StackOf
          key={stackId}
          stackId={stackId}
          shownId={record.imageId}
          editable={editable}
          onShow={(id) => id !== record.imageId && route(appPath(`images/${id}`))}
          onChanged={(_stack, said) => {
            setStackSaid(said);
            onChange();
          }}
        />
      )}
      {stackSaid && <p role="status">{stackSaid}</p>}
      <div class="facts">
        {record.status === 'PROCESSED' && <Labels record={record} onChange={onChange} readOnly={!editable} />}
        {editable && record.status === 'PROCESSED' && <PossiblyPanel record={record} onChange={onChange} />}
        {record.status === 'PROCESSED' && <PlacePanel record={record} onChange={onChange} readOnly={!editable} />}
        {record.status === 'PROCESSED' && <TagsPanel record={record} onChange={onChange} readOnly={!editable} />}
        {/* A locked photo is in no album and like no other (their routes answer it a 404); nor is another's. */}
        {editable && record.status === 'PROCESSED' && record.locked !== true && (
          <AlbumsPanel imageId={record.imageId} name={name} />
        )}
        {/* Keyed by the record's version: an edit saved starts the form again from the date taken now. */}
        {editable && record.status === 'PROCESSED' && (
          <DateTakenPanel key={record.updatedAt} record={record} onChange={onChange} />
        )}
        {/* Any status: a policy may have rejected it for what its provenance says. */}
        <ProvenancePanel provenance={record.provenance} />
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
        {record.people && (
          <PeoplePanel
            record={record}
            people={record.people}
            onChange={onChange}
            onTag={tagging ? undefined : () => setTagging(true)}
            readOnly={!editable}
          />
        )}
        {processed?.quality && <QualityPanel quality={processed.quality} />}
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
        {record.renditions && Object.keys(record.renditions).length > 0 && <Renditions record={record} />}
        {editable && record.status === 'PROCESSED' && record.locked !== true && <Similar record={record} />}
        {editable && record.status === 'PROCESSED' && <RenditionBuilder record={record} />}
      </div>
      <details class="technical">
        <summary>Technical details</summary>
        <div class="facts">
          {processed && (
            <Section title="Colours">
              <ul class="palette" aria-label="Palette">
                {processed.palette.map((colour) => (
                  <li key={colour.hex}>
                    <span class="swatch" style={{ backgroundColor: colour.hex }} aria-hidden="true" />
                    <code>{colour.hex}</code> <span class="muted">{percent(colour.proportion)}</span>
                  </li>
                ))}
              </ul>
              <p>
                Brightness {processed.brightness.value} ({processed.brightness.class})
              </p>
            </Section>
          )}
          <Section title="Metadata">
            <Facts
              rows={[
                ['Status', record.status],
                ['Format', metadata?.format ?? rejected?.detectedFormat],
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
                  ['Taken', metadata.exif.takenAt && takenInWords(metadata.exif.takenAt)],
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
          {(record.sha256 || processed || rejected) && (
            <Section title="Hashes">
              <Facts
                rows={[
                  ['SHA-256', record.sha256 ?? (processed ?? rejected)?.hashes.sha256],
                  ['Perceptual hash', processed?.hashes.phash],
                ]}
                code
              />
            </Section>
          )}
          <ModerationPanel record={record} />
        </div>
      </details>
    </article>
  );
}
