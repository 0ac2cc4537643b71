import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { foldOcrModels } from '../../../lambdas/vision/fold-models';
import { OCR_FOLDED, OCR_MODELS } from '../../../lambdas/vision/ocr-models';
import { MODELS_DIR } from '../../../lambdas/vision/onnx';
import { foldAffineChains } from '../../../lambdas/vision/onnx-fold';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** A Constant node, as paddle2onnx writes weights and scalars. */
const constant = (name: string, dims: number[], values: number[]): onnx.INodeProto => ({
  opType: 'Constant',
  output: [name],
  attribute: [
    { name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims, dataType: FLOAT, floatData: values } },
  ],
});

const ramp = (n: number, scale: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * scale);

/**
 * PPLCNetV3's block as paddle2onnx exports it: 3x3 conv, affine block, hard-swish written out, affine block,
 * 1x1 conv, ReLU; then an affine block in front of a padded depthwise conv, which cannot go into that conv
 * (its zero padding would see the shift) and becomes a depthwise 1x1 conv instead.
 */
function paddleBlock(): Uint8Array {
  const value = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 11 }],
    graph: {
      name: 'paddle-block',
      input: [value('x', [1, 2, 6, 6])],
      output: [value('y', [1, 3, 6, 6])],
      node: [
        constant('w1', [2, 2, 3, 3], ramp(36, 0.4)),
        constant('b1', [2], [0.1, -0.2]),
        {
          opType: 'Conv',
          input: ['x', 'w1', 'b1'],
          output: ['c1'],
          attribute: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }],
        },
        constant('s1', [1], [1.3]),
        { opType: 'Mul', input: ['s1', 'c1'], output: ['m1'] },
        constant('o1', [1], [-0.4]),
        { opType: 'Add', input: ['m1', 'o1'], output: ['a1'] },
        constant('three', [], [3]),
        { opType: 'Add', input: ['a1', 'three'], output: ['a3'] },
        constant('zero', [], [0]),
        constant('six', [], [6]),
        { opType: 'Clip', input: ['a3', 'zero', 'six'], output: ['clipped'] },
        { opType: 'Mul', input: ['a1', 'clipped'], output: ['scaled'] },
        constant('sixth', [], [6]),
        { opType: 'Div', input: ['scaled', 'sixth'], output: ['swish'] },
        constant('s2', [1], [0.8]),
        { opType: 'Mul', input: ['s2', 'swish'], output: ['m2'] },
        constant('o2', [1], [0.25]),
        { opType: 'Add', input: ['m2', 'o2'], output: ['a2'] },
        constant('w2', [3, 2, 1, 1], ramp(6, 0.7)),
        constant('b2', [3], [0.05, 0, -0.05]),
        { opType: 'Conv', input: ['a2', 'w2', 'b2'], output: ['c2'] },
        { opType: 'Relu', input: ['c2'], output: ['r2'] },
        constant('s3', [1], [1.1]),
        { opType: 'Mul', input: ['s3', 'r2'], output: ['m3'] },
        constant('o3', [1], [0.3]),
        { opType: 'Add', input: ['m3', 'o3'], output: ['a4'] },
        constant('w3', [3, 1, 3, 3], ramp(27, 0.5)),
        constant('b3', [3], [0, 0.1, 0.2]),
        {
          opType: 'Conv',
          input: ['a4', 'w3', 'b3'],
          output: ['y'],
          attribute: [
            { name: 'pads', type: 7, ints: [1, 1, 1, 1] },
            { name: 'group', type: 2, i: 3 },
          ],
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

const ops = (model: Uint8Array) =>
  (onnx.ModelProto.decode(model).graph?.node ?? []).map((n) => n.opType ?? '').filter((op) => op !== 'Constant');

async function run(model: Uint8Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  const data = Float32Array.from(
    ramp(
      shape.reduce((a, b) => a * b, 1),
      2,
    ),
  );
  const output = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', data, shape) });
  await session.release();
  return output[session.outputNames[0] as string]?.data as Float32Array;
}

const maxDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('foldAffineChains (paddle2onnx element-wise chains into convolutions)', () => {
  it('folds the affine blocks and the written-out hard-swish; the block before a padded conv becomes a 1x1 conv', () => {
    expect(ops(foldAffineChains(paddleBlock()))).toEqual([
      'Conv',
      'HardSigmoid',
      'Mul',
      'Conv',
      'Relu',
      'Conv',
      'Conv',
    ]);
  });

  it('computes what the unfolded block computes', async () => {
    const model = paddleBlock();
    const [before, after] = await Promise.all([run(model, [1, 2, 6, 6]), run(foldAffineChains(model), [1, 2, 6, 6])]);
    expect(before).toHaveLength(108);
    expect(maxDifference(before, after)).toBeLessThan(1e-5);
  });

  it('returns a model with nothing to fold as it is', () => {
    const model = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 7,
        opsetImport: [{ domain: '', version: 11 }],
        graph: { name: 'relu', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] },
      }),
    ).finish();
    expect(foldAffineChains(model)).toBe(model);
  });

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
