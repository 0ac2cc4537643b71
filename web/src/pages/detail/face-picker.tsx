import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { DialogFormEnd } from '../../dialog-form-end';
import type { FaceAssignment, Person } from '../../types';
import { personName } from '../people/faces';

/*
 * Who a face is: a dialog with a choice of the owner's people (`GET /people`, the first 100, most faces first) and
 * "New person…", which asks for a name. Used by "Who is this?", "Someone else…" and a drawn face (people.tsx,
 * face-drawing.tsx); `onPick` sends the choice, and a refusal is said in the dialog, which stays open.
 */

/** The people the picker offers: one page, as many as `GET /people` gives at once. */
const PICKER_LIMIT = '100';
const NEW_PERSON = '';

export function FacePicker(props: {
  /** The dialog's heading, e.g. "Who is this?". */
  title: string;
  /** A person the face is in now, not offered again. */
  current?: string;
  onPick: (target: FaceAssignment) => Promise<void>;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [people, setPeople] = useState<Person[]>();
  const [choice, setChoice] = useState<string>();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    dialog.current?.showModal();
    const controller = new AbortController();
    api
      .listPeople({ limit: PICKER_LIMIT }, controller.signal)
      .then((page) => {
        const offered = page.items.filter((person) => person.personId !== props.current);
        setPeople(offered);
        setChoice((chosen) => chosen ?? offered[0]?.personId ?? NEW_PERSON);
      })
      .catch((error) => {
        if (!controller.signal.aborted) setProblem(`Could not list your people: ${errorMessage(error)}`);
      });
    return () => controller.abort();
  }, []);

  const chosen = choice ?? NEW_PERSON;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (chosen === NEW_PERSON && name.trim() === '') {
      setProblem('Give the new person a name.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      await props.onPick(chosen === NEW_PERSON ? { name } : { personId: chosen });
      dialog.current?.close();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} aria-labelledby="face-picker-title" class="face-picker" onClose={props.onClose}>
      <form method="dialog" onSubmit={submit}>
        <h2 id="face-picker-title">{props.title}</h2>
        <label>
          Person
          <select
            value={chosen}
            disabled={people === undefined}
            onChange={(event) => setChoice(event.currentTarget.value)}
          >
            {(people ?? []).map((person) => (
              <option key={person.personId} value={person.personId}>
                {personName(person.name)} ({person.faceCount})
              </option>
            ))}
            <option value={NEW_PERSON}>New person…</option>
          </select>
        </label>
        {chosen === NEW_PERSON && (
          <label>
            Name
            <input type="text" value={name} maxLength={64} onInput={(event) => setName(event.currentTarget.value)} />
          </label>
        )}
        <DialogFormEnd dialog={dialog} problem={problem} busy={busy}>
          Save
        </DialogFormEnd>
      </form>
    </dialog>
  );
}
