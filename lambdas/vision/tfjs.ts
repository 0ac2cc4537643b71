import { dirname } from 'node:path';
import { once } from './once';

/**
 * TF.js on its WebAssembly backend, set up once per process: tfjs-node needs a native download that cannot
 * happen offline, and the pure-JS CPU backend is several times slower. The .wasm files come from the package.
 */
export const loadTf = once(async () => {
  const tf = await import('@tensorflow/tfjs-core');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  await tf.setBackend('wasm');
  return tf;
});

/** An ArrayBuffer holding exactly `bytes` (a Node Buffer may be a view into a larger pool). */
export const arrayBufferOf = (bytes: Buffer): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
