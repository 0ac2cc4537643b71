import type { ModerationPolicyOutcome } from '../../../../core/moderation';
import { decide, defaultRules, rejectionMessage } from '../../../../policy/policy';
import { PolicyStore } from '../../../../policy/policy-store';
import { createDocumentClient } from '../../../../shared/aws-clients';
import { calibratedModeration } from '../../../../vision/calibration';
import type { EnrichmentStep, StepPart } from '../step';

/**
 * The owner's moderation policy (`policy`, lambdas/policy), applied to vision's moderation labels: the owner's own
 * policy, or the default one (every category flagged at the deployment's threshold, as before policies existed).
 * It decides before anything of the image is stored:
 *
 * 1. Record which rules triggered (`moderationPolicy`) and set `vision.moderation.flagged` from them.
 * 2. `blur` or `reject`: `blurred`, so the thumbnails are stored blurred and no eager rendition is stored (they are
 *    rendered on request, blurred, from the record that says so).
 * 3. `reject`: the image is REJECTED (`MODERATION_POLICY`), as the core's refusals are; the original stays where it
 *    was uploaded, no later enrichment (faces) runs on it, and its vector is not indexed.
 */
export const policyStep: EnrichmentStep = {
  name: 'policy',
  when: 'decoded',
  async run({ deps }, { item }) {
    const { policies } = deps;
    const { vision } = item;
    if (!policies || !vision) return {};
    const own = item.owner === undefined ? undefined : await policies.store.get(item.owner);
    const decision = decide(own?.rules ?? defaultRules(policies.defaults), vision.moderation);
    const blurred = decision.blur || decision.reject;
    const moderationPolicy: ModerationPolicyOutcome = {
      source: own ? 'owner' : 'default',
      triggered: decision.triggered,
      blurred,
    };
    const recorded: StepPart['item'] = {
      vision: { ...vision, moderation: { ...vision.moderation, flagged: decision.flagged } },
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
  open: (config, { tracer }) => ({
    policies: {
      store: new PolicyStore(createDocumentClient(tracer), config.POLICY_TABLE),
      defaults: {
        moderationThreshold: config.MODERATION_THRESHOLD,
        ...(config.INFERENCE === 'offline' && { calibrated: calibratedModeration() }),
      },
    },
  }),
};
