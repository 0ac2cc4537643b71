import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, errorMessage } from '../api';
import { appPath } from '../config';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { useTitle } from '../title';
import type { Album } from '../types';
import { albumCount } from './albums/words';

/*
 * The Albums page: the owner's albums, newest first as `GET /albums` pages them, each its cover, name and count,
 * linking to its page; a form to make one (a smart album: a saved search, kept current); and the way to the
 * owner's share links; then the albums other owners shared with the caller (`GET /albums?shared=true`).
 */

const PAGE_SIZE = '24';
const idOf = (album: Album) => album.albumId;
const load = (cursor: string | undefined, signal?: AbortSignal) => api.listAlbums({ limit: PAGE_SIZE, cursor }, signal);
const loadShared = (cursor: string | undefined, signal?: AbortSignal) =>
  api.listAlbums({ limit: PAGE_SIZE, cursor, shared: 'true' }, signal);

export function Albums() {
  useTitle('Albums');
  const list = usePaged('albums', load, idOf);
  const shared = usePaged('shared-albums', loadShared, idOf);
  return (
    <section>
      <div class="page-head">
        <h1>Albums</h1>
        <a href={appPath('shares')}>Shared links</a>
      </div>
      <p class="muted">
        Gather photos into an album (select them in the Gallery, then Add to album), or make a smart album of a search.
      </p>
      <ListStatus
        list={list}
        empty="No albums yet: make one below."
        counted={(count) => `${count} album${count === 1 ? '' : 's'}`}
      />
      <ul class="people albums" aria-label="Albums">
        {list.items.map((album) => (
          <AlbumCard key={album.albumId} album={album} />
        ))}
      </ul>
      <LoadMore list={list} />
      <h2>New album</h2>
      <CreateAlbumForm />
      <h2 id="shared-albums-title">Shared with me</h2>
      <ListStatus
        list={shared}
        empty="No one has shared an album with you."
        counted={(count) => `${count} album${count === 1 ? '' : 's'} shared with you`}
      />
      <ul class="people albums" aria-labelledby="shared-albums-title">
        {shared.items.map((album) => (
          <AlbumCard key={album.albumId} album={album} />
        ))}
      </ul>
      <LoadMore list={shared} />
    </section>
  );
}

function AlbumCard({ album }: { album: Album }) {
  const count = albumCount(album);
  return (
    <li class="person" data-album-id={album.albumId}>
      <a
        class="person-link"
        href={appPath(`albums/${album.albumId}`)}
        aria-label={`${album.name}, ${count}${album.sharedBy ? `, from ${album.sharedBy}` : ''}`}
      >
        <span class="album-cover">
          {album.coverUrl && <img src={album.coverUrl} alt="" loading="lazy" decoding="async" />}
        </span>
        <span class="name">{album.name}</span>
        <span class="muted person-count">{count}</span>
        {album.sharedBy && <span class="muted person-count">from {album.sharedBy}</span>}
      </a>
    </li>
  );
}

/** Make an album, then go to it; with words to search for, a smart album of them. */
function CreateAlbumForm() {
  const { route } = useLocation();
  const [name, setName] = useState('');
  const [search, setSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) {
      setProblem('Give the album a name.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const album = await api.createAlbum({ name: name.trim(), ...(search.trim() && { smart: { q: search.trim() } }) });
      route(appPath(`albums/${album.albumId}`));
    } catch (error) {
      setProblem(`Not made: ${errorMessage(error)}`);
      setBusy(false);
    }
  };
  return (
    <form class="stack" aria-label="New album" onSubmit={submit} noValidate>
      <label for="album-name">Name</label>
      <input
        id="album-name"
        type="text"
        autocomplete="off"
        value={name}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'album-problem' : undefined}
        onInput={(event) => setName(event.currentTarget.value)}
      />
      <label for="album-search">
        Smart album: words to search for <span class="muted">(optional; its photos are what the search finds)</span>
      </label>
      <input
        id="album-search"
        type="search"
        autocomplete="off"
        value={search}
        onInput={(event) => setSearch(event.currentTarget.value)}
      />
      <div>
        <button type="submit" disabled={busy} aria-busy={busy}>
          Create album
        </button>
      </div>
      {problem && (
        <p id="album-problem" class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
