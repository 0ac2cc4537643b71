import { useState } from 'preact/hooks';
import { ActionButton } from '../action-button';
import { api, errorMessage } from '../api';
import { appPath, useConfig } from '../config';
import { ConfirmedDelete } from '../confirmed-delete';
import { displayName, formatDate } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { RowThumb } from '../row-thumb';
import { useTitle } from '../title';
import type { ImageSummary } from '../types';

/*
 * The trash: `GET /images?status=TRASHED`, newest first, each with its thumbnail (a trashed image keeps them until it
 * is purged), its name, when it goes for good (moved + `trashDays`: a trashed record's `updatedAt` is when it was
 * moved) and Restore; Empty trash for all of it.
 */

const PAGE_SIZE = '50';
const DAY_MS = 24 * 3600 * 1000;
const idOf = (item: ImageSummary) => item.imageId;

export function Trash() {
  useTitle('Trash');
  const { trashDays } = useConfig();
  const [done, setDone] = useState<string>();
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const list = usePaged(
    'trash',
    (cursor, signal) => {
      const query = new URLSearchParams({ status: 'TRASHED', limit: PAGE_SIZE });
      if (cursor) query.set('cursor', cursor);
      return api.listImages(query, signal);
    },
    idOf,
  );
  const items = list.items.filter((item) => !gone.has(item.imageId));
  const leave = (imageId: string, said: string) => {
    setGone((before) => new Set([...before, imageId]));
    setDone(said);
  };
  return (
    <section aria-labelledby="trash-title">
      <h1 id="trash-title">Trash</h1>
      <p class="muted">
        Deleted images stay here for {trashDays} day{trashDays === 1 ? '' : 's'}, then are deleted for good.
      </p>
      {done && <p role="status">{done}</p>}
      {items.length > 0 && (
        <ConfirmedDelete
          id="empty-trash"
          label="Empty trash"
          title="Empty the trash?"
          text="Every image in the trash is deleted for good, with its thumbnails and renditions."
          confirm="Empty trash"
          remove={async () => {
            await api.emptyTrash();
            setGone(new Set(list.items.map(idOf)));
            setDone('The trash is being emptied.');
          }}
          then={appPath('trash')}
          replace
        />
      )}
      <ListStatus
        list={{ ...list, items }}
        empty="The trash is empty."
        counted={(count) => `${count} image${count === 1 ? '' : 's'} in the trash`}
      />
      <ul class="trash-list" aria-label="Images in the trash">
        {items.map((item) => (
          <TrashRow key={item.imageId} item={item} trashDays={trashDays} onGone={leave} />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function TrashRow(props: { item: ImageSummary; trashDays: number; onGone: (imageId: string, said: string) => void }) {
  const { item, trashDays, onGone } = props;
  const name = displayName(item);
  const [problem, setProblem] = useState<string>();
  const purgeAt = new Date(new Date(item.updatedAt).getTime() + trashDays * DAY_MS).toISOString();
  return (
    <li class="trash-row" data-image-id={item.imageId}>
      <RowThumb item={item} />
      <div class="trash-text">
        <a class="trash-name" href={appPath(`images/${item.imageId}`)}>
          {name}
        </a>
        <p class="muted">
          Moved {formatDate(item.updatedAt)}; deleted for good after {formatDate(purgeAt)}
        </p>
      </div>
      <ActionButton
        class="secondary"
        action={async () => {
          try {
            await api.restoreImage(item.imageId);
            onGone(item.imageId, `${name} is restored.`);
          } catch (error) {
            setProblem(errorMessage(error));
          }
        }}
      >
        Restore <span class="visually-hidden">{name}</span>
      </ActionButton>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
