import {
  flaggedOf,
  MODERATION_CATEGORIES,
  OFFLINE_CATEGORIES,
  POLICY_CATEGORIES,
} from '../../../lambdas/core/moderation';
import type { Provenance } from '../../../lambdas/core/provenance';
import { categoryScores, provenanceScores } from '../../../lambdas/policy/categories';
import { ModerationRulesSchema } from '../../../lambdas/policy/contract';
import { decide, defaultRules, rejectionMessage } from '../../../lambdas/policy/policy';
import { fixture } from '../../fixtures';

describe('categoryScores', () => {
  it("counts Rekognition's lower levels for their top-level category, the strongest label winning", () => {
    const scores = categoryScores([
      { name: 'Swimwear or Underwear', confidence: 0.61 },
      { name: 'Female Swimwear or Underwear', confidence: 0.72, parent: 'Swimwear or Underwear' },
      { name: 'Non-Explicit Nudity', confidence: 0.4, parent: 'Non-Explicit Nudity of Intimate parts and Kissing' },
      { name: 'Implied Nudity', confidence: 0.83, parent: 'Non-Explicit Nudity' },
    ]);
    expect(Object.fromEntries(scores)).toEqual({ Suggestive: 0.83 });
  });

  it("reads Rekognition's recorded answer (model 7) and the offline model's names alike", () => {
    const recorded = JSON.parse(fixture('rekognition/detect-moderation-labels.json').toString()) as {
      ModerationLabels: Array<{ Name: string; Confidence: number; ParentName: string }>;
    };
    const labels = recorded.ModerationLabels.map((m) => ({
      name: m.Name,
      confidence: m.Confidence / 100,
      ...(m.ParentName && { parent: m.ParentName }),
    }));
    expect(Object.fromEntries(categoryScores(labels))).toEqual({ Violence: 0.875 });
    const offline = [
      { name: 'Suggestive', confidence: 0.3 },
      { name: 'Explicit Nudity', confidence: 0.01 },
    ];
    expect(Object.fromEntries(categoryScores(offline))).toEqual({ Suggestive: 0.3, 'Explicit Nudity': 0.01 });
  });

  it("maps model 6's top-level names (Drugs, Tobacco) and leaves a category it does not know out", () => {
    const scores = categoryScores([
      { name: 'Tobacco', confidence: 0.9 },
      { name: 'Drugs', confidence: 0.5 },
      { name: 'Something New', confidence: 0.99 },
    ]);
    expect(Object.fromEntries(scores)).toEqual({ 'Drugs & Tobacco': 0.9 });
  });

  it('the offline categories are policy categories', () => {
    expect(MODERATION_CATEGORIES).toEqual(expect.arrayContaining([...OFFLINE_CATEGORIES]));
  });
});

describe('decide', () => {
  const checked = (labels: Array<{ name: string; confidence: number }>) => ({ moderation: { checked: true, labels } });

  it('with the default rules flags exactly what one deployment threshold flagged', () => {
    const rules = defaultRules({ moderationThreshold: 0.8 });
    const vision = rules.filter((rule) => (MODERATION_CATEGORIES as readonly string[]).includes(rule.category));
    expect(vision.every((rule) => rule.action === 'flag' && rule.threshold === 0.8)).toBe(true);
    expect(vision.map((rule) => rule.category)).toEqual([...MODERATION_CATEGORIES]);
    expect(decide(rules, checked([{ name: 'Suggestive', confidence: 0.79 }]))).toEqual({
      triggered: [],
      flagged: false,
      blur: false,
      reject: false,
    });
    expect(decide(rules, checked([{ name: 'Suggestive', confidence: 0.8 }])).flagged).toBe(true);
  });

  it('blurs at one confidence and rejects at a higher one, recording each rule that acted', () => {
    const rules = ModerationRulesSchema.parse([
      { category: 'Suggestive', threshold: 0.3, action: 'blur' },
      { category: 'Suggestive', threshold: 0.9, action: 'reject' },
      { category: 'Violence', threshold: 0.1, action: 'reject' },
    ]);
    const blurred = decide(rules, checked([{ name: 'Suggestive', confidence: 0.5 }]));
    expect(blurred).toEqual({
      triggered: [{ category: 'Suggestive', threshold: 0.3, action: 'blur', confidence: 0.5 }],
      flagged: true,
      blur: true,
      reject: false,
    });
    const rejected = decide(rules, checked([{ name: 'Suggestive', confidence: 0.95 }]));
    expect(rejected).toMatchObject({ blur: true, reject: true, flagged: true });
    expect(rejectionMessage(rejected)).toBe("refused by its owner's moderation policy: Suggestive 0.95 >= 0.9");
  });

  it('does nothing when moderation did not run', () => {
    const rules = [{ category: 'Suggestive' as const, threshold: 0, action: 'reject' as const }];
    expect(decide(rules, { moderation: { checked: false, labels: [] } }).triggered).toEqual([]);
  });

  it('refuses two rules of one category and action, an unknown category and a threshold past 1', () => {
    const twice = { category: 'Suggestive', threshold: 0.5, action: 'blur' };
    expect(ModerationRulesSchema.safeParse([twice, { ...twice, threshold: 0.6 }]).success).toBe(false);
    expect(ModerationRulesSchema.safeParse([{ ...twice, category: 'Nudity' }]).success).toBe(false);
    expect(ModerationRulesSchema.safeParse([{ ...twice, threshold: 1.2 }]).success).toBe(false);
    expect(ModerationRulesSchema.safeParse([]).success).toBe(true);
  });

  it('refuses a threshold DynamoDB cannot store (in 0-1, but below 1e-130), and takes 0', () => {
    const rule = { category: 'Suggestive', threshold: 1e-200, action: 'blur' };
    const parsed = ModerationRulesSchema.safeParse([rule]);
    expect(parsed.error?.issues.map(({ path, message }) => `${path.join('.')}: ${message}`)).toEqual([
      '0.threshold: must be 0 or of a magnitude from 1e-130 to 9.99e125 (what DynamoDB stores)',
    ]);
    expect(ModerationRulesSchema.safeParse([{ ...rule, threshold: 0 }]).success).toBe(true);
  });
});

describe('the provenance categories', () => {
  const provenance = (summary: Provenance['summary'], validation?: 'valid' | 'untrusted' | 'invalid') => ({
    summary,
    ...(validation && { credentials: { validation, failures: [], actions: [], ingredients: [] } }),
  });
  const rules = ModerationRulesSchema.parse([
    { category: 'AI Generated', threshold: 1, action: 'reject' },
    { category: 'AI Generated', threshold: 0.5, action: 'flag' },
    { category: 'Tampered Credentials', threshold: 1, action: 'blur' },
  ]);

  it('scores AI Generated 1 for ai-generated and 0.5 for ai-edited, and Tampered Credentials 1 for invalid only', () => {
    expect(Object.fromEntries(provenanceScores(provenance('ai-generated', 'untrusted')))).toEqual({
      'AI Generated': 1,
    });
    expect(Object.fromEntries(provenanceScores(provenance('ai-edited')))).toEqual({ 'AI Generated': 0.5 });
    expect(Object.fromEntries(provenanceScores(provenance('ai-generated', 'invalid')))).toEqual({
      'AI Generated': 1,
      'Tampered Credentials': 1,
    });
    for (const summary of ['camera', 'edited', 'unknown'] as const) {
      expect({ summary, scores: provenanceScores(provenance(summary, 'valid')).size }).toEqual({ summary, scores: 0 });
    }
    expect(provenanceScores(undefined).size).toBe(0);
  });

  it('decides without vision: an AI-generated image rejected, an AI-edited one flagged, a camera photo untouched', () => {
    const generated = decide(rules, { provenance: provenance('ai-generated', 'valid') });
    expect(generated).toMatchObject({ flagged: true, blur: false, reject: true });
    expect(rejectionMessage(generated)).toBe("refused by its owner's moderation policy: AI Generated 1 >= 1");
    expect(decide(rules, { provenance: provenance('ai-edited', 'untrusted') })).toEqual({
      triggered: [{ category: 'AI Generated', threshold: 0.5, action: 'flag', confidence: 0.5 }],
      flagged: true,
      blur: false,
      reject: false,
    });
    expect(decide(rules, { provenance: provenance('camera', 'valid') }).triggered).toEqual([]);
  });

  it('decides the same beside vision, whether or not moderation ran', () => {
    const tampered = provenance('unknown', 'invalid');
    const alone = decide(rules, { provenance: tampered });
    expect(alone).toMatchObject({ flagged: true, blur: true, reject: false });
    expect(decide(rules, { provenance: tampered, moderation: { checked: false, labels: [] } })).toEqual(alone);
    const suggestive = { checked: true, labels: [{ name: 'Suggestive', confidence: 0.99 }] };
    expect(decide(rules, { provenance: tampered, moderation: suggestive })).toEqual(alone);
  });

  it('the default policy flags tampered credentials and leaves an AI-generated image to an owner', () => {
    const rules = defaultRules({});
    expect(rules.filter((rule) => !(MODERATION_CATEGORIES as readonly string[]).includes(rule.category))).toEqual([
      { category: 'Tampered Credentials', threshold: 1, action: 'flag' },
    ]);
    expect(decide(rules, { provenance: provenance('ai-generated', 'invalid') }).triggered).toEqual([
      { category: 'Tampered Credentials', threshold: 1, action: 'flag', confidence: 1 },
    ]);
    expect(decide(rules, { provenance: provenance('ai-generated', 'valid') }).flagged).toBe(false);
  });

  it('a rule may name them, once per action, with any threshold; a rule at 0 triggers on no plain photo', () => {
    expect(POLICY_CATEGORIES).toEqual([...MODERATION_CATEGORIES, 'AI Generated', 'Tampered Credentials']);
    const zero = ModerationRulesSchema.parse([{ category: 'AI Generated', threshold: 0, action: 'flag' }]);
    expect(decide(zero, { provenance: provenance('unknown') }).flagged).toBe(false);
    const twice = { category: 'AI Generated', threshold: 0.5, action: 'flag' };
    expect(ModerationRulesSchema.safeParse([twice, { ...twice, threshold: 1 }]).success).toBe(false);
  });
});

describe('flaggedOf', () => {
  const moderation = (checked: boolean, flagged: boolean) => ({ moderation: { checked, flagged } });
  const policy = (...categories: string[]) => ({ triggered: categories.map((category) => ({ category })) });

  it("is vision's flag when there is vision, and unchecked moderation says nothing", () => {
    expect(flaggedOf({ vision: moderation(true, true), moderationPolicy: policy('Suggestive') })).toBe(true);
    expect(flaggedOf({ vision: moderation(true, false), moderationPolicy: policy() })).toBe(false);
    expect(flaggedOf({ vision: moderation(false, false) })).toBeUndefined();
    expect(flaggedOf({})).toBeUndefined();
  });

  it('is the policy when there is no vision, or its moderation did not run', () => {
    expect(flaggedOf({ moderationPolicy: policy('Tampered Credentials') })).toBe(true);
    expect(flaggedOf({ vision: moderation(false, true), moderationPolicy: policy('AI Generated') })).toBe(true);
    // An image the policy read and nothing triggered on, with no moderation: not looked at for vision's categories.
    expect(flaggedOf({ moderationPolicy: policy() })).toBeUndefined();
  });
});
