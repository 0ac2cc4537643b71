import { useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { DialogFormEnd } from '../../dialog-form-end';
import type { Album } from '../../types';
import { albumCount } from '../albums/words';

/*
 * The selection bar's "Add to album…": a dialog to choose one of the owner's albums (those made by hand: a smart
 * album's photos are its search's) or to name a new one, then `POST /albums/{id}/images`, 100 ids a request (the
 * API's most), where the bulk label and delete are one request per image.
 */

/** The API takes at most this many image ids a request. */
const IDS_PER_REQUEST = 100;
/** The albums the dialog offers: the newest this many (a name typed makes another). */
const ALBUMS_OFFERED = '100';
const NEW = 'new';

export function AddToAlbum({ imageIds, onAdded }: { imageIds: string[]; onAdded?: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [albums, setAlbums] = useState<Album[]>();
  const [choice, setChoice] = useState(NEW);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<{ album: Album; added: number }>();
  const images = `${imageIds.length} image${imageIds.length === 1 ? '' : 's'}`;

  const open = async () => {
    setProblem(undefined);
    setDone(undefined);
    dialog.current?.showModal();
    try {
      const manual = (await api.listAlbums({ limit: ALBUMS_OFFERED })).items.filter((album) => album.kind === 'manual');
      setAlbums(manual);
      setChoice(manual[0]?.albumId ?? NEW);
    } catch (error) {
      setAlbums([]);
      setProblem(`Your albums could not be read: ${errorMessage(error)}`);
    }
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (choice === NEW && !name.trim()) {
      setProblem('Give the new album a name.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const albumId = choice === NEW ? (await api.createAlbum({ name: name.trim() })).albumId : choice;
      let added = 0;
      let album: Album | undefined;
      for (let at = 0; at < imageIds.length; at += IDS_PER_REQUEST) {
        const answer = await api.addToAlbum(albumId, imageIds.slice(at, at + IDS_PER_REQUEST));
        added += answer.added ?? 0;
        album = answer.album;
      }
      if (album) setDone({ album, added });
      setName('');
      dialog.current?.close();
      onAdded?.();
    } catch (error) {
      setProblem(`Not added: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="secondary" onClick={() => void open()}>
        Add to album…
      </button>
      {done && (
        <p role="status" class="bulk-added">
          Added {done.added} to <a href={appPath(`albums/${done.album.albumId}`)}>{done.album.name}</a>: it holds{' '}
          {albumCount(done.album)}.
        </p>
      )}
      <dialog ref={dialog} aria-labelledby="add-album-title">
        <h2 id="add-album-title">Add {images} to an album</h2>
        <form class="stack" onSubmit={submit} noValidate>
          <label for="add-album-choice">Album</label>
          <select
            id="add-album-choice"
            value={choice}
            disabled={albums === undefined}
            onChange={(event) => setChoice(event.currentTarget.value)}
          >
            {(albums ?? []).map((album) => (
              <option key={album.albumId} value={album.albumId}>
                {album.name} ({albumCount(album)})
              </option>
            ))}
            <option value={NEW}>New album…</option>
          </select>
          {choice === NEW && (
            <>
              <label for="add-album-name">New album’s name</label>
              <input
                id="add-album-name"
                type="text"
                autocomplete="off"
                value={name}
                onInput={(event) => setName(event.currentTarget.value)}
              />
            </>
          )}
          <DialogFormEnd dialog={dialog} problem={problem} busy={busy} disabled={albums === undefined}>
            Add {images}
          </DialogFormEnd>
        </form>
      </dialog>
    </>
  );
}
