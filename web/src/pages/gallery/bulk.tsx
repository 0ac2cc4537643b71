import { useRef, useState } from 'preact/hooks';
import type { MAX_CHANGES } from '../../../../lambdas/images/functions/correct-labels/route';
import { NAME_PATTERN } from '../../../../lambdas/search/filters';
import { api, errorMessage } from '../../api';
import { appPath } from '../../config';
import { displayName } from '../../format';
import type { ImageSummary } from '../../types';
import { LockDialog } from '../locked/lock-dialog';
import { AddToAlbum } from './add-to-album';
import { BULK_PARALLEL, type BulkRun, type BulkTarget, runBulk, runInWords } from './bulk-run';

/*
 * The selection bar of the gallery: select all loaded tiles or none, then add labels to or delete every selected
 * image, one request per image (the API has no bulk route), with progress and each image's outcome; or add them to
 * an album (add-to-album.tsx: the album route takes 100 at once); or stack them (`POST /stacks`, one request: the
 * first selected on the page is the primary, the one the lists show; the viewer's strip changes it).
 */

/** Labels one `PATCH /images/{id}/labels` may add: the API's MAX_CHANGES (a change there fails `tsc -p web`). */
const MAX_LABELS: typeof MAX_CHANGES = 20;
const NAMES_SHOWN = 3;

/** What is wrong with the labels typed, or undefined (the API's own rule for a label name). */
function labelsProblem(labels: string[]): string | undefined {
  if (labels.length === 0) return 'Type a label to add.';
  if (labels.length > MAX_LABELS) return `At most ${MAX_LABELS} labels at once: there are ${labels.length}.`;
  const bad = labels.find((label) => !NAME_PATTERN.test(label));
  if (bad !== undefined) {
    return `“${bad}” is not a label: letters, digits, spaces and ' . - only, starting with a letter or digit, at most 64 characters.`;
  }
  return undefined;
}

/** A few names and how many more. */
function someNames(targets: BulkTarget[]): string {
  const names = targets.slice(0, NAMES_SHOWN).map((target) => target.name);
  const more = targets.length - names.length;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}

export function BulkBar(props: {
  items: ImageSummary[];
  selected: ReadonlySet<string>;
  onSelect: (ids: string[]) => void;
  onDeleted: (ids: string[]) => void;
  onLabelled: () => void;
  /** A stack was made of the selection: the list shows its primary alone now. */
  onStacked: () => void;
}) {
  const { items, selected } = props;
  const chosen: BulkTarget[] = items
    .filter((item) => selected.has(item.imageId))
    .map((item) => ({ imageId: item.imageId, name: displayName(item) }));
  const [labelText, setLabelText] = useState('');
  const [problem, setProblem] = useState<string>();
  const [run, setRun] = useState<BulkRun>();
  const [stacking, setStacking] = useState<{ busy?: boolean; said?: string; problem?: string }>({});
  const dialog = useRef<HTMLDialogElement>(null);
  const lockDialog = useRef<HTMLDialogElement>(null);
  const running = run?.running === true;
  const count = chosen.length;
  const images = `${count} image${count === 1 ? '' : 's'}`;

  const deleteChosen = async () => {
    dialog.current?.close();
    await runBulk(
      'delete',
      [],
      chosen,
      (id) => api.deleteImage(id),
      (progress) => {
        // In the same render as the sentence that says they are deleted, the tiles go (not one render later).
        if (!progress.running) props.onDeleted([...progress.done, ...progress.gone].map((target) => target.imageId));
        setRun(progress);
      },
    );
  };
  // Archived images leave the gallery as deleted ones do (the Archive page lists them).
  const archiveChosen = async () => {
    await runBulk(
      'archive',
      [],
      chosen,
      (id) => api.setArchived(id, { archived: true }),
      (progress) => {
        if (!progress.running) props.onDeleted(progress.done.map((target) => target.imageId));
        setRun(progress);
      },
    );
  };
  // Locked images leave the gallery too (the Locked page lists them, with the PIN).
  const lockChosen = async () => {
    await runBulk(
      'lock',
      [],
      chosen,
      (id) => api.setLocked(id, { locked: true }),
      (progress) => {
        if (!progress.running) props.onDeleted(progress.done.map((target) => target.imageId));
        setRun(progress);
      },
    );
  };
  const stackChosen = async () => {
    setStacking({ busy: true });
    try {
      const stack = await api.createStack({ imageIds: chosen.map((target) => target.imageId) });
      const primary = chosen.find((target) => target.imageId === stack.primary)?.name ?? stack.primary;
      setStacking({ said: `Stacked ${stack.count} images: the lists show ${primary}.` });
      props.onStacked();
    } catch (error) {
      setStacking({ problem: `Could not stack them: ${errorMessage(error)}` });
    }
  };
  const labelChosen = async (event: Event) => {
    event.preventDefault();
    const labels = [...new Set(labelText.split(',').map((label) => label.trim()))].filter(Boolean);
    const wrong = labelsProblem(labels);
    setProblem(wrong);
    if (wrong) return;
    const outcome = await runBulk('label', labels, chosen, (id) => api.correctLabels(id, { add: labels }), setRun);
    if (outcome.done.length > 0) {
      setLabelText('');
      props.onLabelled();
    }
  };

  return (
    <section class="bulk" aria-label="Selection">
      <div class="bulk-row">
        <span class="bulk-count">{count === 0 ? 'None selected' : `${images} selected`}</span>
        <button
          type="button"
          class="secondary small"
          disabled={count === items.length}
          onClick={() => props.onSelect(items.map((item) => item.imageId))}
        >
          Select all on this page
        </button>
        <button type="button" class="secondary small" disabled={count === 0} onClick={() => props.onSelect([])}>
          Clear selection
        </button>
      </div>
      {count > 0 && (
        <div class="bulk-row">
          <form class="inline-form" onSubmit={labelChosen} noValidate>
            <label for="bulk-label">Label to add</label>
            <input
              id="bulk-label"
              type="text"
              autocomplete="off"
              placeholder="sunset, beach"
              value={labelText}
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={problem ? 'bulk-problem' : undefined}
              onInput={(event) => {
                setLabelText(event.currentTarget.value);
                setProblem(undefined);
              }}
            />
            <button type="submit" disabled={running}>
              Add to {images}
            </button>
          </form>
          <AddToAlbum imageIds={chosen.map((target) => target.imageId)} />
          {/* More than a stack may have (50) is refused in the API's words. */}
          {count >= 2 && (
            <button
              type="button"
              class="secondary"
              disabled={running || stacking.busy}
              onClick={() => void stackChosen()}
            >
              Stack {images}
            </button>
          )}
          <button type="button" class="secondary" disabled={running} onClick={() => void archiveChosen()}>
            Archive {images}
          </button>
          <button type="button" class="secondary" disabled={running} onClick={() => lockDialog.current?.showModal()}>
            Lock {images}…
          </button>
          <button type="button" class="danger" disabled={running} onClick={() => dialog.current?.showModal()}>
            Move {images} to trash…
          </button>
        </div>
      )}
      {problem && (
        <p id="bulk-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      {stacking.problem && (
        <p class="error" role="alert">
          {stacking.problem}
        </p>
      )}
      {stacking.said && <p role="status">{stacking.said}</p>}
      {count > 0 && (
        <p class="muted bulk-note">
          One request per image ({BULK_PARALLEL} at a time): the API has no bulk route. These are labels, as on an
          image's page; an image's tags are changed there, under Tags.
        </p>
      )}
      {run && <RunReport run={run} />}
      <LockDialog
        dialog={lockDialog}
        id="bulk-lock"
        what={images}
        lock={async () => {
          // The run reports each image's outcome below; the dialog closes at once.
          void lockChosen();
        }}
      />
      <dialog ref={dialog} aria-labelledby="bulk-delete-title" aria-describedby="bulk-delete-text">
        <h2 id="bulk-delete-title">Move {images} to the trash?</h2>
        <p id="bulk-delete-text">
          {someNames(chosen)}: each kept in the Trash until its purge date, where it can be restored (one request per
          image).
        </p>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
          <button type="button" class="danger" onClick={() => void deleteChosen()}>
            Move {images} to trash
          </button>
        </div>
      </dialog>
    </section>
  );
}

function RunReport({ run }: { run: BulkRun }) {
  return (
    <div class="bulk-run">
      {run.running && (
        <progress
          aria-label={run.action === 'delete' ? 'Deleting' : 'Adding labels'}
          max={run.total}
          value={run.settled}
        />
      )}
      <p role="status">{runInWords(run)}</p>
      {run.gone.length > 0 && !run.running && <p class="muted">No longer there: {someNames(run.gone)}.</p>}
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
