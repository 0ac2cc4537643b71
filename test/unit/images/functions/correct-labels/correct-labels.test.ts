import { correctLabels } from '../../../../../lambdas/images/functions/correct-labels/correct-labels';
import { LabelChangeSchema } from '../../../../../lambdas/images/functions/correct-labels/route';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { CALIBRATION, foundThresholdOf, thresholdOf } from '../../../../../lambdas/vision/calibration';
import { OTHER_USER, TEST_USER } from '../../../../support/identities';
import { IDS, imageItem } from '../../../../support/items';
import { recordedSinks } from '../edit-world';

const vision = {
  labels: [
    { name: 'Cat', confidence: 0.9, source: 'objects' as const },
    { name: 'Dark', confidence: 0.7, source: 'colour' as const },
  ],
  objects: [],
  text: { fullText: '', lines: [] },
  faces: [],
  moderation: { checked: false, flagged: false, threshold: 0.8, labels: [] },
  inference: { provider: 'onnx' as const, models: {}, durationMs: 1 },
};
const caller = { owner: TEST_USER.sub, admin: false };
const change = (add: string[] = [], remove: string[] = []) => LabelChangeSchema.parse({ add, remove });

function world(item: ImageItem | undefined, writes = true) {
  const { calls: sunk, index, publisher } = recordedSinks();
  const calls = { ...sunk, written: [] as Array<Partial<ImageItem>>, cleared: 0 };
  return {
    calls,
    deps: {
      store: {
        get: async () => item,
        correctLabels: async (written: Partial<ImageItem>) => {
          calls.written.push(written);
          return writes;
        },
        clearUnindexTerms: async () => {
          calls.cleared++;
        },
      },
      index,
      publisher,
      now: () => new Date('2026-11-22T10:00:00.000Z'),
    },
  };
}

describe('label corrections', () => {
  const processed = () => {
    const item = imageItem({ vision });
    return { ...item, indexedTerms: termsOf(item).terms };
  };

  it("adds a person's label beside the model's, searchable, and says who and when", async () => {
    const { deps, calls } = world(processed());
    const answer = await correctLabels(IDS.newer, change(['Tabby']), caller, deps);
    expect(answer.labels).toEqual([
      { name: 'Cat', source: 'model' },
      { name: 'Dark', source: 'model' },
      { name: 'Tabby', source: 'user' },
    ]);
    expect(calls.written[0]?.labelCorrections).toEqual({
      added: [{ name: 'Tabby', at: '2026-11-22T10:00:00.000Z', by: TEST_USER.sub }],
      removed: [],
    });
    expect(calls.put[0]).toEqual(expect.arrayContaining(['label=tabby', 'labelSource=user', 'label=cat']));
    expect(calls.events[0]).toMatchObject({
      detailType: 'Image Labels Changed',
      detail: { imageId: IDS.newer, owner: TEST_USER.sub, added: ['Tabby'], removed: [], by: TEST_USER.sub },
    });
  });

  it("takes a model's label away: no longer in the labels nor in the search, and its posting removed", async () => {
    const { deps, calls } = world(processed());
    const answer = await correctLabels(IDS.newer, change([], ['dark']), caller, deps);
    expect(answer.labels).toEqual([{ name: 'Cat', source: 'model' }]);
    expect(calls.put[0]).not.toContain('label=dark');
    // The label's word goes from the search box's prefixes too: no other word of the image begins "dar".
    expect(calls.removed[0]).toEqual(['label=dark', 'prefix=dar']);
    expect(calls.written[0]?.unindexTerms).toEqual(['label=dark', 'prefix=dar']);
    expect(calls.cleared).toBe(1);
  });

  it('keeps corrections as terms when the image is processed again (termsOf reads them)', () => {
    const item = imageItem({
      vision,
      labelCorrections: {
        added: [{ name: 'Tabby', at: '2026-11-22T10:00:00.000Z' }],
        removed: [{ name: 'Dark', at: '2026-11-22T10:00:00.000Z' }],
      },
    });
    const { terms } = termsOf(item);
    expect(terms).toEqual(
      expect.arrayContaining(['label=tabby', 'label=cat', 'labelSource=user', 'labelSource=model']),
    );
    expect(terms).not.toContain('label=dark');
  });

  describe('likely matches', () => {
    // A horse between the score a search finds it from and the one it is shown at: a likely match, not a label.
    const between = (foundThresholdOf(CALIBRATION, 'objects', 'horse') + thresholdOf(CALIBRATION.objects, 'horse')) / 2;
    const box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
    const withLikelyHorse = (labelCorrections?: ImageItem['labelCorrections']) => {
      const candidates = { objects: [{ name: 'horse', confidence: between, box }], labels: [], faces: [] };
      const item = imageItem({ vision: { ...vision, candidates }, ...(labelCorrections && { labelCorrections }) });
      return { ...item, indexedTerms: termsOf(item).terms };
    };
    const band = `likely${Math.floor(between * 10)}`;

    it('confirms one by adding it: the owner’s label, found surely as a label and an object, likely no more', async () => {
      const { deps, calls } = world(withLikelyHorse());
      const answer = await correctLabels(IDS.newer, change(['horse']), caller, deps);
      expect(answer.labels).toContainEqual({ name: 'horse', source: 'user' });
      expect(calls.put[0]).toEqual(expect.arrayContaining(['label=horse', 'object=horse', 'prefix=hor']));
      expect(calls.put[0]?.filter((one) => one.startsWith('likely'))).toEqual([]);
      expect(calls.removed[0]).toEqual([`${band}:label=horse`, `${band}:object=horse`, `${band}:prefix=hor`]);
    });

    it('dismisses one by removing it: recorded as taken away, its likely postings gone, the labels as they were', async () => {
      const { deps, calls } = world(withLikelyHorse());
      const answer = await correctLabels(IDS.newer, change([], ['Horse']), caller, deps);
      expect(answer.labels).toEqual([
        { name: 'Cat', source: 'model' },
        { name: 'Dark', source: 'model' },
      ]);
      expect(calls.written[0]?.labelCorrections?.removed).toEqual([
        { name: 'Horse', at: '2026-11-22T10:00:00.000Z', by: TEST_USER.sub },
      ]);
      expect(calls.put[0]?.filter((one) => one.includes('horse') || one.includes('hor'))).toEqual([]);
      expect(calls.removed[0]).toEqual([`${band}:label=horse`, `${band}:object=horse`, `${band}:prefix=hor`]);
    });

    it('dismisses one its owner had confirmed when they remove it: it does not come back as likely', async () => {
      const confirmed = withLikelyHorse({ added: [{ name: 'horse', at: '2026-11-21T10:00:00.000Z' }], removed: [] });
      const { deps, calls } = world(confirmed);
      await correctLabels(IDS.newer, change([], ['horse']), caller, deps);
      expect(calls.written[0]?.labelCorrections).toMatchObject({ added: [], removed: [{ name: 'horse' }] });
      expect(calls.put[0]?.filter((one) => one.includes('horse') || one.includes('hor'))).toEqual([]);
    });

    it('keeps nothing of a name the image has neither as a label nor as a likely match', async () => {
      const { deps, calls } = world(withLikelyHorse());
      await correctLabels(IDS.newer, change([], ['zebra']), caller, deps);
      expect(calls.written[0]?.labelCorrections).toEqual({ added: [], removed: [] });
    });
  });

  it("answers another owner's image 404 and an unprocessed one 409, writing nothing", async () => {
    const theirs = world({ ...processed(), owner: OTHER_USER.sub });
    await expect(correctLabels(IDS.newer, change(['x']), caller, theirs.deps)).rejects.toMatchObject({
      statusCode: 404,
    });
    const pending = world({ ...processed(), status: 'PENDING' });
    await expect(correctLabels(IDS.newer, change(['x']), caller, pending.deps)).rejects.toMatchObject({
      statusCode: 409,
    });
    expect([...theirs.calls.written, ...pending.calls.written]).toEqual([]);
  });

  it('answers 409 when the image changed between the read and the write, and touches the index not at all', async () => {
    const { deps, calls } = world(processed(), false);
    await expect(correctLabels(IDS.newer, change(['x']), caller, deps)).rejects.toMatchObject({ statusCode: 409 });
    expect(calls.put).toEqual([]);
    expect(calls.events).toEqual([]);
  });

  it('takes a label of exactly 64 characters whole', () => {
    expect(change(['a'.repeat(64)]).add).toEqual(['a'.repeat(64)]);
  });

  it.each([
    [{}, /at least one/],
    [{ add: ['a#b'] }, /^must be a label|label/],
    [{ add: ['a'.repeat(200)] }, /^is 200 characters: a label is at most 64 \(nothing is cut/],
    [{ remove: ['b'.repeat(65)] }, /^is 65 characters: a label is at most 64/],
    [{ add: Array.from({ length: 21 }, (_, i) => `l${i}`) }, /at most 20/],
    [{ add: ['Cat'], remove: ['cat'] }, /both added and removed/],
    [{ add: ['x'], other: 1 }, /./],
  ])('refuses the body %j', (body, message) => {
    const parsed = LabelChangeSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join('; ')).toMatch(message);
  });
});
