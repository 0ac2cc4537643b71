import { api } from '../../api';
import type { TagChange } from '../../types';
import { editProblem } from './edit-problem';
import { type EditablePanelProps, Section } from './panels';
import { useAddRemove } from './sending';

/*
 * The image's tags, its owner's to change after upload (PATCH /images/{id}/tags): each a chip with a button that
 * takes it away, and a field whose Enter adds one. `tag=` finds the image by them at once.
 */

export function TagsPanel({ record, onChange, readOnly = false }: EditablePanelProps) {
  const tags = record.tags ?? [];
  const { adding, setAdding, busy, problem, change } = useAddRemove(
    (body: TagChange) => api.editTags(record.imageId, body),
    onChange,
    editProblem,
  );
  return (
    <Section title="Tags">
      {tags.length === 0 ? (
        <p class="muted">No tags.</p>
      ) : (
        <ul class="chips tag-chips" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} class="chip" data-tag={tag}>
              <span>{tag}</span>
              {!readOnly && (
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`Remove the tag ${tag}`}
                  title="Remove"
                  disabled={busy}
                  onClick={() => void change({ remove: [tag] })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <>
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              const tag = adding.trim();
              if (tag) void change({ add: [tag] });
            }}
          >
            <label for="new-tag">New tag</label>
            <input
              id="new-tag"
              type="text"
              autocomplete="off"
              enterkeyhint="enter"
              value={adding}
              onInput={(event) => setAdding(event.currentTarget.value)}
            />
            <button type="submit" disabled={busy || adding.trim() === ''}>
              Add tag
            </button>
          </form>
          {problem && (
            <p class="error" role="alert">
              {problem}
            </p>
          )}
        </>
      )}
    </Section>
  );
}
