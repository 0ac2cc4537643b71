import type { MAX_NAME_CHARS } from '../../../../lambdas/search/filters';
import { api, errorMessage } from '../../api';
import { normalizeName, percent } from '../../format';
import type { ImageDetail } from '../../types';
import { type EditablePanelProps, Section } from './panels';
import { useAddRemove } from './sending';

/* The image's labels with their confidence and source, and people's corrections (PATCH /images/{id}/labels). */

/**
 * The API's longest label, typed as its constant so a change there fails `tsc -p web`. No `maxlength` on the field:
 * a browser cuts a longer paste to it without a word, and the label added would not be the one typed.
 */
const MAX_LABEL_CHARS: typeof MAX_NAME_CHARS = 64;

interface ShownLabel {
  name: string;
  source: 'model' | 'user';
  detail?: string;
  confidence?: number;
}

/** The model's labels not taken away, then people's, as `PATCH /images/{id}/labels` answers them. */
export function labelsOf(record: ImageDetail): ShownLabel[] {
  const removed = new Set((record.labelCorrections?.removed ?? []).map((label) => normalizeName(label.name)));
  const model: ShownLabel[] = (record.vision?.labels ?? [])
    .filter((label) => !removed.has(normalizeName(label.name)))
    .map((label) => ({ name: label.name, source: 'model', detail: label.source, confidence: label.confidence }));
  const user: ShownLabel[] = (record.labelCorrections?.added ?? []).map((label) => ({
    name: label.name,
    source: 'user',
  }));
  return [...model, ...user];
}

export function Labels({ record, onChange, readOnly = false }: EditablePanelProps) {
  const labels = labelsOf(record);
  const { adding, setAdding, busy, problem, change } = useAddRemove(
    (body) => api.correctLabels(record.imageId, body),
    onChange,
    errorMessage,
  );
  const tooLong = [...adding.trim()].length > MAX_LABEL_CHARS;
  return (
    <Section title="Labels">
      {labels.length === 0 ? (
        <p class="muted">No labels.</p>
      ) : (
        <ul class="labels-list" aria-label="Labels">
          {labels.map((label) => (
            <li key={`${label.source}-${label.name}`} data-label={label.name} data-source={label.source}>
              <span class="label-name">{label.name}</span>
              {label.confidence !== undefined && <span class="muted">{percent(label.confidence)}</span>}
              <span class={`source ${label.source}`}>
                {label.source === 'user' ? 'user' : `model${label.detail ? ` (${label.detail})` : ''}`}
              </span>
              {!readOnly && (
                <button
                  type="button"
                  class="small secondary"
                  disabled={busy}
                  onClick={() => change({ remove: [label.name] })}
                >
                  Remove
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
              const name = adding.trim();
              if (name && !tooLong) void change({ add: [name] });
            }}
          >
            <label for="new-label">New label</label>
            <input
              id="new-label"
              type="text"
              required
              autocomplete="off"
              value={adding}
              aria-invalid={tooLong}
              aria-describedby="new-label-hint"
              onInput={(event) => setAdding(event.currentTarget.value)}
            />
            <button type="submit" disabled={busy || tooLong}>
              Add label
            </button>
          </form>
          <p id="new-label-hint" class={tooLong ? 'error' : 'muted'} aria-live="polite">
            {tooLong
              ? `This label is ${[...adding.trim()].length} characters: a label is at most ${MAX_LABEL_CHARS}. Shorten it to add it.`
              : `Letters, digits, spaces and ' . -, at most ${MAX_LABEL_CHARS} characters.`}
          </p>
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
