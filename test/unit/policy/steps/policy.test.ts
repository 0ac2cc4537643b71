import { flaggedOf } from '../../../../lambdas/core/moderation';
import type { Provenance } from '../../../../lambdas/core/provenance';
import { eventForItem } from '../../../../lambdas/ingest/functions/processor/steps/publish';
import type { Decoded, StepContext } from '../../../../lambdas/kit/processor-step';
import type { ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import type { ModerationRule } from '../../../../lambdas/policy/contract';
import { policyStep } from '../../../../lambdas/policy/steps/policy';
import { termsOf } from '../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { imageItem, processedAnalysis } from '../../../support/items';

/**
 * The processor's policy step on the image's provenance: its categories decide with vision and without it
 * (`inference=none`), and the record says the image is flagged either way.
 */

const GENERATED: Provenance = {
  summary: 'ai-generated',
  basis: 'c2pa',
  generator: 'Imagine 3.1',
  credentials: { validation: 'untrusted', failures: [], actions: [], ingredients: [] },
};
const TAMPERED: Provenance = {
  ...GENERATED,
  credentials: {
    validation: 'invalid',
    failures: [{ code: 'assertion.dataHash.mismatch' }],
    actions: [],
    ingredients: [],
  },
};
const VISION = {
  labels: [],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [],
  moderation: { checked: true, flagged: false, threshold: 0.8, labels: [{ name: 'Suggestive', confidence: 0.1 }] },
} as unknown as ImageItem['vision'];

/** The step with the owner's rules (none: the default policy), counting the policy reads. */
function step(rules?: ModerationRule[]) {
  const reads: string[] = [];
  const deps = {
    policies: {
      store: {
        get: async (owner: string) => {
          reads.push(owner);
          return rules && { owner, rules, updatedAt: '2026-11-28T00:00:00.000Z', updatedBy: owner };
        },
      },
      defaults: { moderationThreshold: 0.8 },
    },
  } as unknown as ProcessorDeps;
  const run = async (item: ImageItem) => {
    const part = await policyStep.run({ deps } as unknown as StepContext<ProcessorDeps>, {
      item,
      decoded: {} as Decoded,
    });
    return { part, item: { ...item, ...part.item } as ImageItem };
  };
  return { run, reads };
}

describe('the policy step without vision (inference none)', () => {
  it("rejects an AI-generated image its owner's policy rejects, naming the category", async () => {
    const { run } = step([{ category: 'AI Generated', threshold: 1, action: 'reject' }]);
    const { part, item } = await run(imageItem({ provenance: GENERATED }));
    expect(item.status).toBe('REJECTED');
    expect(item.rejection).toEqual({
      code: 'MODERATION_POLICY',
      message: "refused by its owner's moderation policy: AI Generated 1 >= 1",
    });
    expect(item.moderationPolicy).toEqual({
      source: 'owner',
      triggered: [{ category: 'AI Generated', threshold: 1, action: 'reject', confidence: 1 }],
      blurred: true,
    });
    expect(part.blurred).toBe(true);
    expect('vision' in (part.item ?? {})).toBe(false);
  });

  it('flags an AI-generated image a flag rule names, and it reads as flagged with no vision', async () => {
    const { run } = step([{ category: 'AI Generated', threshold: 0.5, action: 'flag' }]);
    const { part, item } = await run(imageItem({ provenance: GENERATED }));
    expect(item.status).toBe('PROCESSED');
    expect(part.blurred).toBe(false);
    expect(item.moderationPolicy?.triggered.map((rule) => rule.category)).toEqual(['AI Generated']);
    expect(flaggedOf(item)).toBe(true);
  });

  it('flags tampered credentials under the default policy, and not an AI-generated image', async () => {
    const { run } = step();
    const tampered = await run(imageItem({ provenance: TAMPERED }));
    expect(tampered.item.moderationPolicy).toEqual({
      source: 'default',
      triggered: [{ category: 'Tampered Credentials', threshold: 1, action: 'flag', confidence: 1 }],
      blurred: false,
    });
    expect(flaggedOf(tampered.item)).toBe(true);
    const generated = await run(imageItem({ provenance: GENERATED }));
    expect(generated.item.moderationPolicy).toEqual({ source: 'default', triggered: [], blurred: false });
    expect(flaggedOf(generated.item)).toBeUndefined();
  });

  it('reads no policy for a photo whose provenance claims nothing a rule acts on', async () => {
    const { run, reads } = step([{ category: 'AI Generated', threshold: 0, action: 'reject' }]);
    const camera: Provenance = { summary: 'camera', basis: 'xmp', digitalSourceType: 'digitalCapture' };
    for (const provenance of [camera, { summary: 'unknown', basis: 'none' } as const, undefined]) {
      expect(await run(imageItem({ provenance }))).toMatchObject({ part: {} });
    }
    expect(reads).toEqual([]);
  });
});

describe('the policy step with vision', () => {
  it("sets vision's flag from a provenance rule, its labels as they were", async () => {
    const { run } = step([
      { category: 'AI Generated', threshold: 1, action: 'blur' },
      { category: 'Suggestive', threshold: 0.5, action: 'reject' },
    ]);
    const { part, item } = await run(imageItem({ provenance: GENERATED, vision: VISION }));
    expect(item.status).toBe('PROCESSED');
    expect(part.blurred).toBe(true);
    expect(item.vision?.moderation).toEqual({ ...VISION?.moderation, flagged: true });
    expect(item.moderationPolicy?.triggered.map((rule) => rule.category)).toEqual(['AI Generated']);
  });

  it('decides on vision alone, as before, for a photo with no provenance claim', async () => {
    const { run, reads } = step();
    const { item } = await run(imageItem({ vision: VISION }));
    expect(item.moderationPolicy).toEqual({ source: 'default', triggered: [], blurred: false });
    expect(item.vision?.moderation.flagged).toBe(false);
    expect(flaggedOf(item)).toBe(false);
    expect(reads).toHaveLength(1);
  });
});

describe("a provenance-flagged image without vision, as the record's readers see it", () => {
  /** The `flagged=` terms the search posts it under, and the `Image Processed` event's `moderationFlagged`. */
  async function seen(provenance: Provenance) {
    const { item } = await step().run(imageItem({ provenance, analysis: processedAnalysis({ width: 4, height: 3 }) }));
    const event = eventForItem(item)?.detail as { summary: { moderationFlagged?: boolean } };
    return {
      terms: termsOf(item).terms.filter((term) => term.startsWith('flagged=')),
      moderationFlagged: event.summary.moderationFlagged,
    };
  }

  it('is found by flagged=true and its event says moderationFlagged, when its credentials are tampered', async () => {
    expect(await seen(TAMPERED)).toEqual({ terms: ['flagged=true'], moderationFlagged: true });
  });

  it('is neither flagged nor not flagged when nothing flagged it: no vision checked it', async () => {
    expect(await seen(GENERATED)).toEqual({ terms: [], moderationFlagged: undefined });
  });
});
