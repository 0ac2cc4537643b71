import type { ModerationCategory, ProvenanceCategory } from '../core/moderation';
import type { Provenance } from '../core/provenance';

/**
 * Rekognition's top-level names, of the current taxonomy (model 7) and of the one before it (model 6), each under
 * the policy's category. Model 7 split model 6's `Suggestive` into two top-level categories and renamed `Explicit
 * Nudity` to `Explicit`; model 6 had `Drugs` and `Tobacco` apart.
 */
const TOP_LEVEL_NAMES: Readonly<Record<string, ModerationCategory>> = {
  Explicit: 'Explicit Nudity',
  'Explicit Nudity': 'Explicit Nudity',
  'Non-Explicit Nudity of Intimate parts and Kissing': 'Suggestive',
  'Swimwear or Underwear': 'Suggestive',
  Suggestive: 'Suggestive',
  Violence: 'Violence',
  'Visually Disturbing': 'Visually Disturbing',
  'Drugs & Tobacco': 'Drugs & Tobacco',
  Drugs: 'Drugs & Tobacco',
  Tobacco: 'Drugs & Tobacco',
  Alcohol: 'Alcohol',
  'Rude Gestures': 'Rude Gestures',
  Gambling: 'Gambling',
  'Hate Symbols': 'Hate Symbols',
};

/** A moderation label as the vision record keeps it: Rekognition's name its parent's (L2, L3), offline none. */
export interface ModerationLabel {
  name: string;
  confidence: number;
  parent?: string;
}

/**
 * The strongest confidence of each category among the labels: each label counts for the category of its top-level
 * ancestor (followed through the labels' parents; a parent the answer does not list is taken as the top). A label
 * whose top level is none of the categories (a category Rekognition adds later) counts for none: it stays in the
 * record, and no rule acts on it.
 */
export function categoryScores(labels: readonly ModerationLabel[]): Map<ModerationCategory, number> {
  const parentOf = new Map(labels.map(({ name, parent }) => [name, parent]));
  const scores = new Map<ModerationCategory, number>();
  for (const label of labels) {
    let top = label.name;
    let parent = label.parent;
    // At most three levels; the bound also stops a cycle in a malformed answer.
    for (let depth = 0; parent && depth < 3; depth++) {
      top = parent;
      parent = parentOf.get(parent);
    }
    const category = TOP_LEVEL_NAMES[top];
    if (category) scores.set(category, Math.max(scores.get(category) ?? 0, label.confidence));
  }
  return scores;
}

/** The confidence `AI Generated` has for each summary that claims a generative model (core/moderation.ts). */
const AI_CONFIDENCE: Readonly<Partial<Record<Provenance['summary'], number>>> = { 'ai-generated': 1, 'ai-edited': 0.5 };

/**
 * The confidence of each provenance category the record's provenance has (core/moderation.ts): `AI Generated` from
 * its summary, `Tampered Credentials` from its credentials' check. A category it has no evidence of is absent, so a
 * rule at threshold 0 triggers on no plain photo.
 */
export function provenanceScores(
  provenance: Pick<Provenance, 'summary' | 'credentials'> | undefined,
): Map<ProvenanceCategory, number> {
  const scores = new Map<ProvenanceCategory, number>();
  const ai = provenance && AI_CONFIDENCE[provenance.summary];
  if (ai !== undefined) scores.set('AI Generated', ai);
  if (provenance?.credentials?.validation === 'invalid') scores.set('Tampered Credentials', 1);
  return scores;
}
