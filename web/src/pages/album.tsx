import { useCallback, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api, errorMessage } from '../api';
import { appPath } from '../config';
import { ConfirmedDelete } from '../confirmed-delete';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { useTitle } from '../title';
import type { Album as AlbumAnswer, AlbumMember, ImageSummary } from '../types';
import { MembersPanel } from './albums/members-panel';
import { ShareButton } from './albums/share-dialog';
import { albumCount } from './albums/words';
import { Card } from './gallery/card';

/*
 * An album's page (`/app/albums/<id>`): its photos in its order, a page at a time (`GET /albums/{id}`); rename it,
 * change its order, share it, delete it (its photos stay); select photos to take them out or to make one the cover.
 * A smart album's photos are its search's: they are taken out by changing the photos, not the album. Its owner shares
 * it with other owners (members-panel.tsx); to a member it reads as shared with them, with what their role allows.
 */

const PAGE_SIZE = '24';
const idOf = (item: ImageSummary) => item.imageId;

export function Album() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const [album, setAlbum] = useState<AlbumAnswer>();
  const [members, setMembers] = useState<AlbumMember[]>([]);
  const load = useCallback(
    async (cursor: string | undefined, signal?: AbortSignal) => {
      const page = await api.getAlbum(id, { limit: PAGE_SIZE, cursor }, signal);
      setAlbum(page.album);
      setMembers(page.members ?? []);
      return page;
    },
    [id],
  );
  const list = usePaged(id, load, idOf);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [said, setSaid] = useState<string>();
  const [problem, setProblem] = useState<string>();
  useTitle(album?.name ?? 'Album');

  const select = (imageId: string, on: boolean) =>
    setSelected((now) => {
      const next = new Set(now);
      if (on) next.add(imageId);
      else next.delete(imageId);
      return next;
    });
  const change = async (work: () => Promise<AlbumAnswer>, done: (now: AlbumAnswer) => string) => {
    setProblem(undefined);
    setSaid(undefined);
    try {
      const now = await work();
      setAlbum(now);
      setSaid(done(now));
      return true;
    } catch (error) {
      setProblem(errorMessage(error));
      return false;
    }
  };
  const removeSelected = async () => {
    const ids = [...selected];
    const removed = await change(
      async () => (await api.removeFromAlbum(id, ids)).album,
      (now) => `Took ${ids.length} photo${ids.length === 1 ? '' : 's'} out: the album holds ${albumCount(now)}.`,
    );
    if (removed) {
      setSelected(new Set());
      await list.reload();
    }
  };

  if (!album) {
    return (
      <section>
        <h1>Album</h1>
        <ListStatus list={list} empty="" counted={() => ''} />
      </section>
    );
  }
  const manual = album.kind === 'manual';
  const count = selected.size;
  // Shared with the caller by its owner: they read it; a contributor also takes their own photos out.
  const mine = album.sharedBy === undefined;
  const takesOut = manual && album.role !== 'viewer';
  return (
    <section>
      <p>
        <a href={appPath('albums')}>Albums</a>
      </p>
      <h1>{album.name}</h1>
      <p class="muted">
        {albumCount(album)} ·{' '}
        {!manual ? 'the photos its search finds' : album.order === 'taken' ? 'by date taken' : 'newest added first'}
      </p>
      {!mine && (
        <p class="shared-by">
          Shared with you by {album.sharedBy}
          {album.role === 'contributor'
            ? ': add your own photos from the Gallery (Add to album); they stay yours.'
            : ' to view.'}
        </p>
      )}
      {mine && (
        <div class="album-actions">
          <RenameForm
            album={album}
            onRename={(name) =>
              change(
                () => api.updateAlbum(id, { name }),
                (now) => `Renamed “${now.name}”.`,
              )
            }
          />
          {/* A smart album is in its search's order (newest first): the API refuses `taken` for one. */}
          {manual && (
            <>
              <label for="album-order">Order</label>
              <select
                id="album-order"
                value={album.order}
                onChange={(event) => {
                  const order = event.currentTarget.value as AlbumAnswer['order'];
                  void change(
                    () => api.updateAlbum(id, { order }),
                    () => 'Order changed.',
                  ).then(() => list.reload());
                }}
              >
                <option value="added">Newest added first</option>
                <option value="taken">By date taken</option>
              </select>
            </>
          )}
          <ShareButton target={{ kind: 'album', id }} what={`“${album.name}”`} />
          <ConfirmedDelete
            id="delete-album"
            label="Delete album…"
            title={`Delete “${album.name}”?`}
            text="The album goes, and its share links stop opening; its photos stay in your library."
            confirm="Delete album"
            remove={() => api.deleteAlbum(id)}
            then={appPath('albums')}
            replace
          />
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {said && <p role="status">{said}</p>}
      <ListStatus
        list={list}
        empty={manual ? 'No photos yet: select some in the Gallery, then Add to album.' : 'Its search finds no photos.'}
        counted={(n) => `${n} photo${n === 1 ? '' : 's'} shown`}
      />
      {list.items.length > 0 && (
        <section class="bulk" aria-label="Selection">
          <div class="bulk-row">
            <span class="bulk-count">{count === 0 ? 'None selected' : `${count} selected`}</span>
            {takesOut && (
              <button
                type="button"
                class="secondary small"
                disabled={count === 0}
                onClick={() => void removeSelected()}
              >
                Remove from album
              </button>
            )}
            {mine && (
              <button
                type="button"
                class="secondary small"
                disabled={count !== 1}
                onClick={() => {
                  const [coverImageId] = [...selected];
                  void change(
                    () => api.updateAlbum(id, { coverImageId }),
                    () => 'That photo is the cover now.',
                  );
                }}
              >
                Make cover
              </button>
            )}
          </div>
        </section>
      )}
      <ul class="grid" aria-label="Photos">
        {list.items.map((item) => (
          <Card key={item.imageId} item={item} selected={selected.has(item.imageId)} onSelect={select} />
        ))}
      </ul>
      <LoadMore list={list} />
      {mine && <MembersPanel albumId={id} smart={!manual} members={members} onChange={() => list.reload()} />}
    </section>
  );
}

function RenameForm({ album, onRename }: { album: AlbumAnswer; onRename: (name: string) => Promise<boolean> }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(album.name);
  if (!editing) {
    return (
      <button
        type="button"
        class="secondary"
        onClick={() => {
          setName(album.name);
          setEditing(true);
        }}
      >
        Rename…
      </button>
    );
  }
  return (
    <form
      class="inline-form"
      aria-label="Rename album"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await onRename(name.trim())) setEditing(false);
      }}
    >
      <label for="album-new-name">New name</label>
      <input id="album-new-name" type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} />
      <button type="submit">Save</button>
      <button type="button" class="secondary" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}
