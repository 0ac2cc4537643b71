import { along, budgetProblem, type CostedImage, renderCost } from '../../../../lambdas/core/render/render-cost';
import { parseRenditionSpec } from '../../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS } from '../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../lambdas/settings/renditions';

const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const spec = (input: Record<string, unknown>) => parseRenditionSpec(input, LIMITS);
const cost = (input: Record<string, unknown>, image: CostedImage = TWELVE_MP, formats = LIMITS.formats) =>
  renderCost(spec(input), image, formats);

/** A 12 MP JPEG with the processor's three stored copies. */
const TWELVE_MP: CostedImage = {
  width: 4000,
  height: 3000,
  format: 'jpeg',
  bitDepth: 8,
  thumbnails: [
    { size: 128, width: 128, height: 96 },
    { size: 512, width: 512, height: 384 },
    { size: 1024, width: 1024, height: 768 },
  ],
};
const PIER: CostedImage = { width: 1280, height: 800, format: 'jpeg', bitDepth: 8, thumbnails: [] };
/** The review's spec (issue 28). */
const COSTLY = {
  w: 4096,
  h: 4096,
  fit: 'fill',
  enlarge: true,
  blur: 100,
  median: 9,
  sharpen: 10,
  normalize: true,
  kernel: 'edge',
  format: 'avif',
  q: 99,
};

describe('renderCost', () => {
  it("puts the review's spec far over the default budget, the AVIF encode first", () => {
    const estimate = cost(COSTLY, PIER);
    expect(estimate.outputMp).toBeCloseTo(16.78, 2);
    expect(estimate.ms).toBeGreaterThan(3 * DEFAULT_SETTINGS.renditionBudgetMs);
    expect(estimate.parts.map((part) => part.what).slice(0, 2)).toEqual(['AVIF encode at q 99, 16.8 MP', 'median 9']);
  });

  it('keeps the default presets and a full-size JPEG of a 12 MP photo within the default budget', () => {
    for (const input of [{ w: 400, h: 300, format: 'webp' }, { w: 1600 }, { w: 128, h: 128 }, { format: 'jpeg' }]) {
      expect(cost(input).ms).toBeLessThanOrEqual(DEFAULT_SETTINGS.renditionBudgetMs);
    }
  });

  it('grows with the output, the quality and every filter radius', () => {
    const base = { w: 1500, format: 'webp', q: 60 };
    const more: Record<string, unknown>[] = [{ w: 3000 }, { q: 95 }, { blur: 30 }, { median: 7 }, { sharpen: 5 }];
    for (const change of more) expect(cost({ ...base, ...change }).ms).toBeGreaterThan(cost(base).ms);
    expect(cost({ ...base, blur: 50 }).ms).toBeGreaterThan(cost({ ...base, blur: 5 }).ms);
  });

  it('decodes a stored copy for a small output and the original, in full, for a large one', () => {
    expect(cost({ w: 400 }).parts.map((part) => part.what)).toContain('decoding the stored 1024 px copy, 0.8 MP');
    expect(cost({ w: 3000 }).parts.map((part) => part.what)).toContain('decoding the JPEG original, 12.0 MP');
  });

  it('counts a 16-bit source at two and a half times the 8-bit rate', () => {
    const deep = { ...PIER, format: 'png' as const, bitDepth: 16 };
    const decode = (image: CostedImage) =>
      cost({ format: 'jpeg' }, image).parts.find((p) => p.what.startsWith('decoding'));
    expect(decode(deep)?.ms).toBeCloseTo(2.5 * (decode({ ...deep, bitDepth: 8 })?.ms ?? 0), 6);
    expect(decode(deep)?.what).toBe('decoding the PNG original, 1.0 MP, 16-bit');
  });

  it('costs format=auto as the costliest format the deployment allows', () => {
    expect(cost({ w: 2000 }).ms).toBe(cost({ w: 2000, format: 'avif' }).ms);
    expect(cost({ w: 2000 }, TWELVE_MP, ['jpeg', 'webp']).ms).toBe(cost({ w: 2000, format: 'webp' }).ms);
  });

  it('counts the extra passes the documented filter order needs', () => {
    // normalize runs before blur in the documented order, after it in sharp's: a second pass.
    const parts = cost({ w: 1000, normalize: true, blur: 2 }).parts.map((part) => part.what);
    expect(parts).toContain('1 extra pass(es) of raw pixels');
    expect(cost({ w: 1000, blur: 2 }).parts.map((part) => part.what)).not.toContain('1 extra pass(es) of raw pixels');
  });
});

describe('budgetProblem', () => {
  it('names the total, the budget, its setting and the three costliest parts with what lowers each', () => {
    const problem = budgetProblem(cost(COSTLY, PIER), 8000);
    expect(problem).toMatch(
      /^this rendition takes about [\d,]+ ms of render work, over the 8,000 this deployment allows \(renditionBudgetMs\): /,
    );
    expect(problem).toMatch(
      /AVIF encode at q 99, 16\.8 MP: [\d,]+ ms \(lower q, w, h or dpr, or another format\); median 9: [\d,]+ ms \(lower median, w or h\); /,
    );
    expect(problem?.split('; ')).toHaveLength(3);
  });

  it('is undefined within the budget, the budget itself included', () => {
    const estimate = cost({ w: 400 });
    expect(budgetProblem(estimate, estimate.ms)).toBeUndefined();
    expect(budgetProblem(estimate, estimate.ms - 1)).toMatch(/over the/);
  });
});

describe('along', () => {
  const table = [
    [10, 100],
    [20, 300],
  ] as const;
  it('reads straight lines between points, flat past the ends', () => {
    expect([along(table, 0), along(table, 10), along(table, 15), along(table, 20), along(table, 99)]).toEqual([
      100, 100, 200, 300, 300,
    ]);
  });
});
