import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage, isAbort } from '../../api';
import { appPath } from '../../config';
import { formatBytes, placeInWords } from '../../format';
import { PlacesAttribution } from '../../places-attribution';
import type { ImageDetail, ImageSummary } from '../../types';
import { FavouriteButton } from '../detail/favourite-button';
import { labelsOf } from '../detail/labels';
import { likelyInWords } from '../detail/possibly';
import { ProvenanceDetails } from '../detail/provenance';
import { personName } from '../people/faces';
import { takenInWords } from './timeline';

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; record: ImageDetail };

/**
 * What a person asks of a photo: what is in it (and what possibly is), who, when and where it was taken, its size,
 * where it comes from (its provenance, when a file says), and whether it is a favourite (a star to press); the rest
 * is a link. Read from `GET /images/{id}`, unless the viewer has read it already (`record`: a photo opened by its
 * id) and nothing changed since.
 */
export function DetailsPanel({ item, record: known }: { item: ImageSummary; record?: ImageDetail }) {
  const [loaded, setLoaded] = useState<Loaded>(known ? { state: 'ready', record: known } : { state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    // A favourite marked here since (`attempt`): read again.
    if (known?.imageId === item.imageId && attempt === 0) {
      setLoaded({ state: 'ready', record: known });
      return undefined;
    }
    const controller = new AbortController();
    setLoaded({ state: 'loading' });
    api
      .getImage(item.imageId, controller.signal)
      .then((record) => setLoaded({ state: 'ready', record }))
      .catch((error) => {
        if (!isAbort(error)) setLoaded({ state: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [item.imageId, known, attempt]);
  const record = loaded.state === 'ready' ? loaded.record : undefined;
  const metadata = record?.analysis?.status === 'PROCESSED' ? record.analysis.metadata : undefined;
  // Its owner's date taken, else the camera's, else the list's (the timeline's `takenAt`).
  const taken = record?.takenCorrection?.takenAt ?? metadata?.exif?.takenAt ?? item.takenAt;
  // The record's place and position, the owner's correction applied: not the EXIF GPS, which a correction overrides.
  const { place, position } = record ?? {};
  const labels = record ? labelsOf(record).map((label) => label.name) : (item.topLabels ?? []);
  const people = (record?.people?.faces ?? []).map((face) => personName(face.name));
  // The models' likely matches, in words (the image's page draws their boxes, and confirms or dismisses each).
  const likely = record?.likely ?? [];
  return (
    <aside class="viewer-details" aria-label="Details">
      <h2>Details</h2>
      {record?.status === 'PROCESSED' && <FavouriteButton record={record} onChange={() => setAttempt((n) => n + 1)} />}
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
        {likely.length > 0 && (
          <>
            <dt>Possibly</dt>
            <dd>{likely.map(likelyInWords).join(', ')}</dd>
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
      {/* Where there is something to say: "no provenance information" is the detail page's. */}
      {record?.provenance && record.provenance.basis !== 'none' && (
        <section class="viewer-provenance" aria-labelledby="viewer-provenance">
          <h3 id="viewer-provenance">Provenance</h3>
          <ProvenanceDetails provenance={record.provenance} brief />
        </section>
      )}
      {place && <PlacesAttribution />}
      <a href={appPath(`images/${item.imageId}`)}>Open the details page</a>
    </aside>
  );
}
