import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';

/* What the ONNX graph tests share: a model's operators, and its output for a fixed input. */

/** Smooth values in [-scale, scale], the same every run: weights and inputs of the test graphs. */
export const ramp = (n: number, scale: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * scale);

/** The model's operators in graph order, its Constant nodes left out. */
export const ops = (model: Uint8Array) =>
  (onnx.ModelProto.decode(model).graph?.node ?? []).map((n) => n.opType ?? '').filter((op) => op !== 'Constant');

/** The model's first output for a ramp of the given shape as its first input. */
export async function run(model: Uint8Array, shape: number[]): Promise<Float32Array> {
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

export const maxDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
