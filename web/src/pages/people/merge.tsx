import { useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import type { Person } from '../../types';
import { FaceCrop } from './face-crop';
import { countOf, personName } from './faces';

/*
 * The People page's selection bar: select people, then merge them into one of them (`POST /people/{id}/merge`,
 * the others' faces join the one chosen). The API takes at most MAX_MERGED people at once.
 */

/** People one merge may take besides its target (the API's limit: 1 to 10). */
export const MAX_MERGED = 10;

export function MergeBar(props: {
  people: Person[];
  selected: ReadonlySet<string>;
  onSelect: (ids: string[]) => void;
  onMerged: () => Promise<void>;
}) {
  const chosen = props.people.filter((person) => props.selected.has(person.personId));
  const count = chosen.length;
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  const into = chosen.find((person) => person.personId === target) ?? chosen[0];

  const open = () => {
    setProblem(undefined);
    setDone(undefined);
    setTarget(chosen[0]?.personId);
    dialog.current?.showModal();
  };
  const merge = async (event: Event) => {
    event.preventDefault();
    if (!into) return;
    const personIds = chosen.map((person) => person.personId).filter((id) => id !== into.personId);
    dialog.current?.close();
    if (personIds.length > MAX_MERGED) {
      setProblem(`At most ${MAX_MERGED + 1} people at once: ${count} are selected.`);
      return;
    }
    setBusy(true);
    try {
      const person = await api.mergePeople(into.personId, { personIds });
      setDone(`Merged ${countOf(personIds.length + 1, 'person', 'people')} into ${personName(person.name)}.`);
      await props.onMerged();
    } catch (error) {
      setProblem(`Could not merge: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="bulk" aria-label="Selection">
      <div class="bulk-row">
        <span class="bulk-count">
          {count === 0 ? 'None selected' : `${countOf(count, 'person', 'people')} selected`}
        </span>
        <button type="button" disabled={count < 2 || busy} aria-busy={busy} onClick={open}>
          Merge into…
        </button>
        <button type="button" class="secondary small" disabled={count === 0} onClick={() => props.onSelect([])}>
          Clear selection
        </button>
      </div>
      {count === 1 && <p class="muted bulk-note">Select one more person to merge.</p>}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      <dialog ref={dialog} aria-labelledby="merge-title">
        <form method="dialog" onSubmit={merge}>
          <h2 id="merge-title">Merge {countOf(count, 'person', 'people')}</h2>
          <fieldset class="merge-choices">
            <legend>Keep which one? The others’ faces join it.</legend>
            {chosen.map((person, index) => (
              <label key={person.personId}>
                <input
                  type="radio"
                  name="merge-target"
                  value={person.personId}
                  checked={person.personId === into?.personId}
                  onChange={() => setTarget(person.personId)}
                />
                <FaceCrop src={person.cover.thumbnailUrl} box={person.cover.box} size={40} />
                {personName(person.name)}{' '}
                <span class="muted">
                  ({countOf(person.faceCount, 'face')}, #{index + 1})
                </span>
              </label>
            ))}
          </fieldset>
          <div class="dialog-buttons">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit">Merge</button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
