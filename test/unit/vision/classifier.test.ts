import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Raster } from '../../../lambdas/core/analysis/raster';
import { classify, softmax } from '../../../lambdas/vision/classifier';
import { writeTinyClassifier } from '../../support/tiny-classifier';

const flat = (r: number, g: number, b: number, width = 40, height = 30): Raster => {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set([r, g, b], i);
  return { data, width, height, channels: 3 };
};

describe('classify (bring your own ONNX classifier)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'classifier-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['NCHW', 'NHWC'] as const)(
    'names the dominant colour with a %s model, probabilities from logits',
    async (layout) => {
      const model = await writeTinyClassifier(dir, layout);
      const result = await classify(flat(230, 20, 20), { ...model, layout, inputSize: [8, 8] });
      expect(result[0]?.name).toBe('red');
      expect(result[0]?.confidence).toBeGreaterThan(0.9);
      expect(result.reduce((sum, c) => sum + c.confidence, 0)).toBeLessThanOrEqual(1.0001);
    },
  );

  it('feeds BGR when told to, so the same model sees blue where red is', async () => {
    const model = await writeTinyClassifier(dir, 'NCHW');
    const result = await classify(flat(20, 20, 230), { ...model, channelOrder: 'BGR', inputSize: [8, 8] });
    expect(result[0]?.name).toBe('red');
  });

  it('applies mean and std: with a mean that cancels red, green wins', async () => {
    const model = await writeTinyClassifier(dir, 'NCHW');
    const result = await classify(flat(255, 200, 0), {
      ...model,
      inputSize: [8, 8],
      mean: [1, 0, 0],
      std: [1, 1, 1],
    });
    expect(result[0]?.name).toBe('green');
  });

  it('keeps the top K over the threshold', async () => {
    const model = await writeTinyClassifier(dir, 'NCHW', 1);
    const result = await classify(flat(128, 128, 128), { ...model, inputSize: [8, 8], topK: 2, minConfidence: 0 });
    expect(result).toHaveLength(2);
    const none = await classify(flat(128, 128, 128), { ...model, inputSize: [8, 8], minConfidence: 0.9 });
    expect(none).toEqual([]);
  });

  it('says so when the labels file does not match the model', async () => {
    const model = await writeTinyClassifier(dir, 'NCHW');
    const labelsPath = join(dir, 'two-labels.txt');
    await writeFile(labelsPath, 'a\nb\n');
    await expect(classify(flat(1, 2, 3), { ...model, labelsPath, inputSize: [8, 8] })).rejects.toThrow(
      'classifier outputs 3 classes but',
    );
  });

  it('rejects a config without a model', async () => {
    await expect(classify(flat(1, 2, 3), { modelPath: '', labelsPath: 'x' })).rejects.toThrow();
  });
});

describe('softmax', () => {
  it('turns logits into probabilities that add up to 1', () => {
    const p = softmax([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(p[2]).toBeGreaterThan(p[1] as number);
  });
});
