import { percent } from '../../format';
import type { ImageDetail } from '../../types';
import { Section } from './panels';

/*
 * What moderation and the owner's policy said of the image (docs/vision.md#moderation-a-policy-per-owner): vision's
 * labels when it ran, and each rule of the policy that acted. Provenance's categories (AI Generated, Tampered
 * Credentials) flag an image with no vision too, so the panel is there whenever either has something to say.
 */

export function ModerationPanel({ record }: { record: ImageDetail }) {
  const moderation = record.vision?.moderation;
  const triggered = record.moderationPolicy?.triggered ?? [];
  if (!moderation && triggered.length === 0) return null;
  const threshold = moderation ? ` (threshold ${percent(moderation.threshold)})` : '';
  return (
    <Section title="Moderation">
      <p>
        {triggered.length > 0 || moderation?.flagged
          ? `Flagged${moderation?.checked ? threshold : ''}.`
          : moderation?.checked
            ? `Not flagged${threshold}.`
            : 'Not checked.'}
      </p>
      {moderation && moderation.labels.length > 0 && (
        <ul class="plain">
          {moderation.labels.map((label) => (
            <li key={label.name}>
              {label.name} <span class="muted">{percent(label.confidence)}</span>
            </li>
          ))}
        </ul>
      )}
      {triggered.length > 0 && (
        <ul class="plain" aria-label="Policy rules that acted">
          {triggered.map((rule) => (
            <li key={`${rule.category}/${rule.action}`}>
              {rule.category}{' '}
              <span class="muted">
                {rule.action} at {percent(rule.threshold)} ({percent(rule.confidence)})
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
