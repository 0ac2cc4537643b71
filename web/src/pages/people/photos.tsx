import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { displayName, thumbnailAtLeast } from '../../format';
import { ListStatus, LoadMore } from '../../load-more';
import { usePaged } from '../../paged';
import type { FacesRemoved, ImageSummary } from '../../types';
import { countOf } from './faces';

/*
 * The photos a person is in: a tile for each of `GET /images?person=<id>`, newest first, page by page, each with
 * "Not this person" (`DELETE /people/{id}/images/{imageId}`): the photo's faces of the person leave it for good,
 * and the tile goes.
 */

const PAGE_SIZE = '24';
const idOf = (item: ImageSummary) => item.imageId;

export function PersonPhotos(props: { personId: string; onRemoved: (removed: FacesRemoved) => void }) {
  const { personId } = props;
  const list = usePaged(
    personId,
    (cursor, signal) => {
      const query = new URLSearchParams({ person: personId, limit: PAGE_SIZE });
      if (cursor) query.set('cursor', cursor);
      return api.listImages(query, signal);
    },
    idOf,
  );
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const shown = list.items.filter((item) => !gone.has(item.imageId));

  const notThisPerson = async (item: ImageSummary) => {
    setProblem(undefined);
    setDone(undefined);
    try {
      const removed = await api.removePersonFaces(personId, item.imageId);
      setGone((now) => new Set([...now, item.imageId]));
      setDone(`${displayName(item)} is no longer in this person’s photos.`);
      props.onRemoved(removed);
    } catch (error) {
      setProblem(`Could not take ${displayName(item)} out: ${errorMessage(error)}`);
    }
  };

  return (
    <section aria-labelledby="person-photos">
      <h2 id="person-photos">Photos</h2>
      <ListStatus list={list} empty="No photos found." counted={() => countOf(shown.length, 'photo')} />
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      <ul class="grid" aria-label="Photos">
        {shown.map((item) => (
          <PersonPhoto key={item.imageId} item={item} onNotThisPerson={notThisPerson} />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function PersonPhoto(props: { item: ImageSummary; onNotThisPerson: (item: ImageSummary) => Promise<void> }) {
  const { item } = props;
  const name = displayName(item);
  const src = thumbnailAtLeast(item.thumbnails ?? {}, 512);
  const [busy, setBusy] = useState(false);
  return (
    <li class="card" data-image-id={item.imageId}>
      <a class="card-link" href={appPath(`images/${item.imageId}`)} aria-label={name}>
        <span class="thumb" style={{ backgroundColor: item.dominantColor }}>
          {src ? (
            <img src={src} loading="lazy" decoding="async" alt="" width={item.width} height={item.height} />
          ) : (
            <span class="placeholder" aria-hidden="true">
              No preview
            </span>
          )}
        </span>
        <span class="name">{name}</span>
      </a>
      <button
        type="button"
        class="secondary small not-this-person"
        disabled={busy}
        aria-busy={busy}
        aria-label={`Not this person: ${name}`}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onNotThisPerson(item);
          } finally {
            setBusy(false);
          }
        }}
      >
        Not this person
      </button>
    </li>
  );
}
