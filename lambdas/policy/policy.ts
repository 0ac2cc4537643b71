import { MODERATION_CATEGORIES, type ModerationAction, type PolicyCategory } from '../core/moderation';
import type { Provenance } from '../core/provenance';
import { categoryScores, type ModerationLabel, provenanceScores } from './categories';
import type { ModerationRule } from './contract';
import { DEFAULT_PROVENANCE_FLAGS, defaultThresholds, type PolicyDefaults } from './defaults';

/**
 * The policy of an owner without one of their own: flag every moderation category at its default threshold, which
 * is what a deployment did before owners had policies (one `moderationThreshold`), and flag tampered credentials
 * (defaults.ts: an AI-generated image is left to an owner's policy).
 */
export function defaultRules(settings: PolicyDefaults): ModerationRule[] {
  const thresholds = defaultThresholds(settings);
  return [
    ...MODERATION_CATEGORIES.map((category) => ({
      category,
      threshold: thresholds[category],
      action: 'flag' as const,
    })),
    ...DEFAULT_PROVENANCE_FLAGS.map((rule) => ({ ...rule, action: 'flag' as const })),
  ];
}

/** A rule that acted, with the category's confidence: what the record keeps. */
export type TriggeredRule = ModerationRule & { confidence: number };

export interface PolicyDecision {
  triggered: TriggeredRule[];
  flagged: boolean;
  blur: boolean;
  reject: boolean;
}

/** What a policy decides on: vision's moderation answer (none with `inference=none`) and the image's provenance. */
export interface PolicyEvidence {
  moderation?: { checked: boolean; labels: readonly ModerationLabel[] };
  provenance?: Pick<Provenance, 'summary' | 'credentials'>;
}

/**
 * The rules the evidence triggers: each rule whose category's confidence reaches its threshold, a moderation
 * category's from its strongest label (categories.ts), a provenance one's from the record's provenance. Moderation
 * that did not run (`checked: false`, or no vision) triggers none of its categories; provenance's decide all the same.
 */
export function decide(rules: readonly ModerationRule[], { moderation, provenance }: PolicyEvidence): PolicyDecision {
  const scores = new Map<PolicyCategory, number>([
    ...(moderation?.checked ? categoryScores(moderation.labels) : []),
    ...provenanceScores(provenance),
  ]);
  const triggered = rules.flatMap((rule) => {
    const confidence = scores.get(rule.category);
    return confidence !== undefined && confidence >= rule.threshold ? [{ ...rule, confidence }] : [];
  });
  const has = (action: ModerationAction) => triggered.some((rule) => rule.action === action);
  return { triggered, flagged: triggered.length > 0, blur: has('blur'), reject: has('reject') };
}

/** The rejection's message: which categories reached which rule. */
export function rejectionMessage(decision: PolicyDecision): string {
  const reasons = decision.triggered
    .filter((rule) => rule.action === 'reject')
    .map((rule) => `${rule.category} ${rule.confidence} >= ${rule.threshold}`);
  return `refused by its owner's moderation policy: ${reasons.join(', ')}`;
}
