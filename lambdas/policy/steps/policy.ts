import type { z } from 'zod';
import type { ModerationPolicyOutcome } from '../../core/moderation';
import type { EnrichmentStep, StepPart } from '../../kit/processor-step';
import { createDocumentClient } from '../../shared/aws-clients';
import { calibratedModeration } from '../../vision/calibration';
import { provenanceScores } from '../categories';
import type { PolicyDefaults } from '../defaults';
import { decide, defaultRules, rejectionMessage } from '../policy';
import { type IPolicyStore, PolicyStore } from '../policy-store';
import type { PolicyEnvShape } from './policy-contract';

/**
 * The policy step's own: the owners' moderation policies and the default one's settings; none: vision's own
 * `flagged` stands.
 */
export interface PolicyDeps {
  policies?: { store: Pick<IPolicyStore, 'get'>; defaults: PolicyDefaults };
}

/**
 * The owner's moderation policy (`policy`, lambdas/policy), applied to vision's moderation labels and to the image's
 * provenance (read beside vision, steps.ts): the owner's own policy, or the default one (every moderation category
 * and tampered credentials flagged, lambdas/policy/defaults.ts). It decides before anything of the image is stored:
 *
 * 1. Record which rules triggered (`moderationPolicy`) and, when there is vision, set `vision.moderation.flagged`
 *    from them, so it says what the policy decided on every category, provenance's included. Without vision
 *    (`inference=none`) provenance's categories still decide, and `moderationPolicy` alone says so (flaggedOf,
 *    core/moderation.ts); with neither vision nor a provenance claim no rule can trigger, and no policy is read.
 * 2. `blur` or `reject`: `blurred`, so the thumbnails are stored blurred and no eager rendition is stored (they are
 *    rendered on request, blurred, from the record that says so).
 * 3. `reject`: the image is REJECTED (`MODERATION_POLICY`), as the core's refusals are; the original stays where it
 *    was uploaded, no later enrichment (faces) runs on it, and its vector is not indexed.
 */
export const policyStep: EnrichmentStep<PolicyDeps> = {
  name: 'policy',
  when: 'decoded',
  async run({ deps }, { item }) {
    const { policies } = deps;
    const { vision, provenance } = item;
    if (!policies || (!vision && provenanceScores(provenance).size === 0)) return {};
    const own = item.owner === undefined ? undefined : await policies.store.get(item.owner);
    const decision = decide(own?.rules ?? defaultRules(policies.defaults), {
      moderation: vision?.moderation,
      provenance,
    });
    const blurred = decision.blur || decision.reject;
    const moderationPolicy: ModerationPolicyOutcome = {
      source: own ? 'owner' : 'default',
      triggered: decision.triggered,
      blurred,
    };
    const recorded: StepPart['item'] = {
      ...(vision && { vision: { ...vision, moderation: { ...vision.moderation, flagged: decision.flagged } } }),
      moderationPolicy,
    };
    if (!decision.reject) return { item: recorded, blurred };
    const rejection = { code: 'MODERATION_POLICY' as const, message: rejectionMessage(decision) };
    return {
      item: { ...recorded, status: 'REJECTED', rejection, embedding: undefined },
      blurred,
      vector: undefined,
      faceDescriptions: undefined,
    };
  },
  open: (config: z.output<z.ZodObject<typeof PolicyEnvShape>>, { tracer }) => ({
    policies: {
      store: new PolicyStore(createDocumentClient(tracer), config.POLICY_TABLE),
      defaults: {
        moderationThreshold: config.MODERATION_THRESHOLD,
        ...(config.INFERENCE === 'offline' && { calibrated: calibratedModeration() }),
      },
    },
  }),
};
