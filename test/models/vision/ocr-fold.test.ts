import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldOcrModels } from '../../../lambdas/vision/fold-models';
import { OCR_FOLDED, OCR_MODELS } from '../../../lambdas/vision/ocr-models';
import { MODELS_DIR } from '../../../lambdas/vision/onnx';
import { foldAffineChains } from '../../../lambdas/vision/onnx-fold';
import { maxDifference, ops, run } from '../../support/onnx-graphs';

// The fold on the real PP-OCRv4 models (megabytes each, run by ONNX Runtime): the fold's rules on a small graph of
// the same shape are the unit layer's (test/unit/vision/ocr-fold.test.ts).

describe('foldAffineChains on the PP-OCRv4 models', () => {
  it.each([
    ['detector', 'detection', [1, 3, 64, 96], 0.45],
    ['recogniser', 'recognition', [1, 3, 48, 96], 0.45],
  ] as const)(
    'the PP-OCRv4 %s the build folded gives the same outputs with far fewer element-wise nodes',
    async (_, model, shape, share) => {
      const original = readFileSync(OCR_MODELS[model]);
      const folded = readFileSync(join(MODELS_DIR, OCR_FOLDED[model]));
      const elementWise = (m: Uint8Array) => ops(m).filter((op) => ['Mul', 'Add', 'Div', 'Clip'].includes(op)).length;
      expect(elementWise(folded)).toBeLessThan(elementWise(original) * share);
      const [before, after] = await Promise.all([run(original, [...shape]), run(folded, [...shape])]);
      expect(maxDifference(before, after)).toBeLessThan(1e-4);
    },
  );
});

describe('foldOcrModels (the build step)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fold-models-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes byte for byte what the build left in MODELS_DIR (deterministic, and that build is current)', () => {
    const written = foldOcrModels(dir);
    expect(written.map((w) => w.file)).toEqual([join(dir, OCR_FOLDED.detection), join(dir, OCR_FOLDED.recognition)]);
    for (const model of ['detection', 'recognition'] as const) {
      const again = readFileSync(join(dir, OCR_FOLDED[model]));
      expect(again.equals(readFileSync(join(MODELS_DIR, OCR_FOLDED[model])))).toBe(true);
      expect(again.equals(Buffer.from(foldAffineChains(readFileSync(OCR_MODELS[model]))))).toBe(true);
    }
  });

  it('folds again only a model older than its source or this code (a second build in one CI run folds nothing)', () => {
    foldOcrModels(dir);
    const detection = join(dir, OCR_FOLDED.detection);
    expect(foldOcrModels(dir).map((w) => w.nodes)).toEqual([undefined, undefined]);
    utimesSync(detection, new Date(0), new Date(0));
    const again = foldOcrModels(dir);
    expect(again[0]?.nodes).toBeGreaterThan(0);
    expect(again[1]?.nodes).toBeUndefined();
    expect(readFileSync(detection).equals(readFileSync(join(MODELS_DIR, OCR_FOLDED.detection)))).toBe(true);
  });
});
