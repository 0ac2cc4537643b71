import { MODERATION_CATEGORIES, type ModerationAction } from '../core/moderation';
import { categoryScores, type ModerationLabel } from './categories';
import type { ModerationRule } from './contract';
import { defaultThresholds, type PolicyDefaults } from './defaults';

/**
 * The policy of an owner without one of their own: flag every category at its default threshold, which is what a
 * deployment did before owners had policies (one `moderationThreshold`).
 */
export function defaultRules(settings: PolicyDefaults): ModerationRule[] {
  const thresholds = defaultThresholds(settings);
  return MODERATION_CATEGORIES.map((category) => ({ category, threshold: thresholds[category], action: 'flag' }));
}

/** A rule that acted, with the category's confidence: what the record keeps. */
export type TriggeredRule = ModerationRule & { confidence: number };

export interface PolicyDecision {
  triggered: TriggeredRule[];
  flagged: boolean;
  blur: boolean;
  reject: boolean;
}

/**
 * The rules the moderation labels trigger: each rule whose category's strongest label (categories.ts) reaches its
 * threshold. Moderation that did not run (`checked: false`) triggers nothing.
 */
export function decide(
  rules: readonly ModerationRule[],
  moderation: { checked: boolean; labels: readonly ModerationLabel[] },
): PolicyDecision {
  const scores = moderation.checked ? categoryScores(moderation.labels) : new Map();
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
