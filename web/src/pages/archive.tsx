import { useState } from 'preact/hooks';
import { api } from '../api';
import { appPath } from '../config';
import { displayName, formatDate } from '../format';
import { ListStatus, LoadMore } from '../load-more';
import { usePaged } from '../paged';
import { RowThumb } from '../row-thumb';
import { useTitle } from '../title';
import type { ImageSummary } from '../types';
import { type BulkRun, type BulkTarget, runBulk, runInWords } from './gallery/bulk-run';

/*
 * The archive: `GET /images?archived=true`, newest first, a row per photo with its thumbnail, its name and
 * Unarchive; select some or all loaded rows to unarchive them together (one `PUT /images/{id}/archived` each, as
 * the gallery's bulk bar archives them). An unarchived photo leaves this list and is back in the gallery.
 */

const PAGE_SIZE = '50';
const idOf = (item: ImageSummary) => item.imageId;

export function Archive() {
  useTitle('Archive');
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [run, setRun] = useState<BulkRun>();
  const list = usePaged(
    'archive',
    (cursor, signal) => {
      const query = new URLSearchParams({ archived: 'true', limit: PAGE_SIZE });
      if (cursor) query.set('cursor', cursor);
      return api.listImages(query, signal);
    },
    idOf,
  );
  const items = list.items.filter((item) => !gone.has(item.imageId));
  const chosen: BulkTarget[] = items
    .filter((item) => selected.has(item.imageId))
    .map((item) => ({ imageId: item.imageId, name: displayName(item) }));
  const count = chosen.length;
  const images = `${count} image${count === 1 ? '' : 's'}`;
  const running = run?.running === true;

  const leave = (ids: string[]) => {
    setGone((before) => new Set([...before, ...ids]));
    setSelected((now) => new Set([...now].filter((id) => !ids.includes(id))));
  };
  const unarchive = (targets: BulkTarget[]) =>
    runBulk(
      'unarchive',
      [],
      targets,
      (id) => api.setArchived(id, { archived: false }),
      (progress) => {
        // Unarchived (or no longer there: 404) photos leave the list in the render that says so.
        if (!progress.running) leave([...progress.done, ...progress.gone].map((target) => target.imageId));
        setRun(progress);
      },
    );
  const select = (id: string, on: boolean) =>
    setSelected((now) => {
      const next = new Set(now);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section aria-labelledby="archive-title">
      <h1 id="archive-title">Archive</h1>
      <p class="muted">
        Archived photos are out of the gallery's timeline; they stay in their albums and searches find them.
      </p>
      <ListStatus
        list={{ ...list, items }}
        empty="The archive is empty."
        counted={(n) => `${n} image${n === 1 ? '' : 's'} in the archive`}
      />
      {items.length > 0 && (
        <section class="bulk" aria-label="Selection">
          <div class="bulk-row">
            <span class="bulk-count">{count === 0 ? 'None selected' : `${images} selected`}</span>
            <button
              type="button"
              class="secondary small"
              disabled={count === items.length}
              onClick={() => setSelected(new Set(items.map(idOf)))}
            >
              Select all on this page
            </button>
            <button type="button" class="secondary small" disabled={count === 0} onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
            {count > 0 && (
              <button type="button" disabled={running} onClick={() => void unarchive(chosen)}>
                Unarchive {images}
              </button>
            )}
          </div>
        </section>
      )}
      {run && <RunReport run={run} />}
      <ul class="trash-list" aria-label="Archived images">
        {items.map((item) => (
          <ArchiveRow
            key={item.imageId}
            item={item}
            selected={selected.has(item.imageId)}
            busy={running}
            onSelect={select}
            onUnarchive={(target) => void unarchive([target])}
          />
        ))}
      </ul>
      <LoadMore list={list} />
    </section>
  );
}

function RunReport({ run }: { run: BulkRun }) {
  return (
    <div class="bulk-run">
      {run.running && <progress aria-label="Unarchiving" max={run.total} value={run.settled} />}
      <p role="status">{runInWords(run)}</p>
      {run.failed.length > 0 && (
        <ul class="bulk-failures" aria-label="Failed">
          {run.failed.map((failure) => (
            <li key={failure.imageId} class="error">
              <a href={appPath(`images/${failure.imageId}`)}>{failure.name}</a>: {failure.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ArchiveRow(props: {
  item: ImageSummary;
  selected: boolean;
  busy: boolean;
  onSelect: (imageId: string, on: boolean) => void;
  onUnarchive: (target: BulkTarget) => void;
}) {
  const { item } = props;
  const name = displayName(item);
  return (
    <li class="trash-row archive-row" data-image-id={item.imageId}>
      <input
        type="checkbox"
        aria-label={`Select ${name}`}
        checked={props.selected}
        onChange={(event) => props.onSelect(item.imageId, event.currentTarget.checked)}
      />
      <RowThumb item={item} />
      <div class="trash-text">
        <a class="trash-name" href={appPath(`images/${item.imageId}`)}>
          {name}
        </a>
        <p class="muted">Uploaded {formatDate(item.createdAt)}</p>
      </div>
      <button
        type="button"
        class="secondary"
        disabled={props.busy}
        onClick={() => props.onUnarchive({ imageId: item.imageId, name })}
      >
        Unarchive <span class="visually-hidden">{name}</span>
      </button>
    </li>
  );
}
