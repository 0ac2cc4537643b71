import { api } from '../../api';
import { percent } from '../../format';
import type { ImageDetail } from '../../types';
import { editProblem } from './edit-problem';
import { Section } from './panels';
import { useSend } from './sending';

/*
 * What the models may have seen: the image's likely matches (GET /images/{id} `likely`, the search's own rule), each
 * with its confidence, a button that confirms it and one that dismisses it. Both are label corrections (PATCH
 * /images/{id}/labels): confirmed, it is the owner's label, shown and found as sure; dismissed, it is taken away,
 * and no search finds it as likely again.
 */

export type LikelyMatch = NonNullable<ImageDetail['likely']>[number];

/** `cat 57.4%`: a likely match as a box's caption and the viewer's details say it. */
export function likelyInWords(match: LikelyMatch): string {
  return `${match.name} ${percent(match.confidence)}`;
}

export function PossiblyPanel({ record, onChange }: { record: ImageDetail; onChange: () => void }) {
  const likely = record.likely ?? [];
  const { busy, problem, run } = useSend(onChange, editProblem);
  if (likely.length === 0) return null;
  const send = (body: { add?: string[]; remove?: string[] }) => void run(() => api.correctLabels(record.imageId, body));
  return (
    <Section title="Possibly">
      <p class="muted">Under the score the models show them at; a search finds them after the sure ones.</p>
      <ul class="labels-list possibly-list" aria-label="Possibly">
        {likely.map((match) => (
          <li key={`${match.field}-${match.name}`} data-likely={match.name} data-field={match.field}>
            <span class="label-name">{match.name}</span>
            <span class="muted">{percent(match.confidence)}</span>
            <span class="source likely">{match.field}</span>
            <span class="possibly-actions">
              <button
                type="button"
                class="small"
                aria-label={`Confirm ${match.name}`}
                disabled={busy}
                onClick={() => send({ add: [match.name] })}
              >
                Confirm
              </button>
              <button
                type="button"
                class="small secondary"
                aria-label={`Dismiss ${match.name}`}
                disabled={busy}
                onClick={() => send({ remove: [match.name] })}
              >
                Dismiss
              </button>
            </span>
          </li>
        ))}
      </ul>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </Section>
  );
}
