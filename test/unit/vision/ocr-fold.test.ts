import { onnx } from 'onnx-proto';
import { foldAffineChains } from '../../../lambdas/vision/onnx-fold';
import { maxDifference, ops, ramp, run } from '../../support/onnx-graphs';

// The fold of the real PP-OCRv4 models, and the build step that makes them: test/models/vision/ocr-fold.test.ts.

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** A Constant node, as paddle2onnx writes weights and scalars. */
const constant = (name: string, dims: number[], values: number[]): onnx.INodeProto => ({
  opType: 'Constant',
  output: [name],
  attribute: [
    { name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: { dims, dataType: FLOAT, floatData: values } },
  ],
});

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
});
