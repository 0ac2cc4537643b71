import { useState } from 'preact/hooks';
import { ApiError, api, errorMessage } from '../../api';
import type { Person } from '../../types';

/*
 * Name a person (`PATCH /people/{id}`): an empty name clears it. The API checks the name (1 to 64 characters, no
 * control characters) and its 400 message is shown at the field.
 */

export function RenameForm({ person, onRenamed }: { person: Person; onRenamed: (person: Person) => void }) {
  const [name, setName] = useState(person.name ?? '');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string>();

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setSaved(undefined);
    try {
      const trimmed = name.trim();
      const renamed = await api.renamePerson(person.personId, { name: trimmed === '' ? null : trimmed });
      setName(renamed.name ?? '');
      setSaved(renamed.name ? `Saved: ${renamed.name}.` : 'Name cleared.');
      onRenamed(renamed);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 400 ? error.message : `Not saved: ${errorMessage(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="inline-form rename" onSubmit={save} noValidate>
      <label for="person-name">Name</label>
      <input
        id="person-name"
        type="text"
        autocomplete="off"
        placeholder="Unnamed"
        value={name}
        aria-invalid={problem ? 'true' : undefined}
        aria-describedby={problem ? 'person-name-problem' : undefined}
        onInput={(event) => {
          setName(event.currentTarget.value);
          setProblem(undefined);
          setSaved(undefined);
        }}
      />
      <button type="submit" disabled={busy} aria-busy={busy}>
        Save
      </button>
      {problem && (
        <p id="person-name-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      {saved && (
        <p class="muted" role="status">
          {saved}
        </p>
      )}
    </form>
  );
}
