import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Writes a tiny ONNX classifier the tests can reason about: the mean of each input channel times `gain`
 * gives one logit per channel, so classes are ['red', 'green', 'blue'] in the model's channel order.
 * No softmax: the output is logits, as many real classifiers export them.
 */
export async function writeTinyClassifier(
  dir: string,
  layout: 'NCHW' | 'NHWC',
  gain = 10,
): Promise<{ modelPath: string; labelsPath: string }> {
  const size = 8;
  const shape = layout === 'NCHW' ? [1, 3, size, size] : [1, size, size, 3];
  const tensorType = (dims: number[]) => ({
    tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } },
  });
  const weights = [gain, 0, 0, 0, gain, 0, 0, 0, gain];
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'image-intel tests',
    graph: {
      name: 'tiny-classifier',
      input: [{ name: 'image', type: tensorType(shape) }],
      output: [{ name: 'logits', type: tensorType([1, 3]) }],
      initializer: [{ name: 'weights', dims: [3, 3], dataType: onnx.TensorProto.DataType.FLOAT, floatData: weights }],
      node: [
        {
          opType: 'ReduceMean',
          input: ['image'],
          output: ['means'],
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: layout === 'NCHW' ? [2, 3] : [1, 2] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
          ],
        },
        { opType: 'MatMul', input: ['means', 'weights'], output: ['logits'] },
      ],
    },
  });
  const modelPath = join(dir, `tiny-${layout.toLowerCase()}.onnx`);
  const labelsPath = join(dir, 'tiny-labels.txt');
  await writeFile(modelPath, onnx.ModelProto.encode(model).finish());
  await writeFile(labelsPath, 'red\ngreen\nblue\n');
  return { modelPath, labelsPath };
}
