import { useState } from 'preact/hooks';
import { api, errorMessage } from '../../api';
import { normalizeName, percent } from '../../format';
import type { ImageDetail } from '../../types';

import { Section } from './panels';

/* The image's labels with their confidence and source, and people's corrections (PATCH /images/{id}/labels). */

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

export function Labels({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const labels = labelsOf(record);
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const change = async (body: { add?: string[]; remove?: string[] }) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await api.correctLabels(record.imageId, body);
      setAdding('');
      onChange();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
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
              <button
                type="button"
                class="small secondary"
                disabled={busy}
                onClick={() => change({ remove: [label.name] })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          const name = adding.trim();
          if (name) void change({ add: [name] });
        }}
      >
        <label for="new-label">New label</label>
        <input
          id="new-label"
          type="text"
          maxLength={64}
          required
          autocomplete="off"
          value={adding}
          onInput={(event) => setAdding(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Add label
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </Section>
  );
}
