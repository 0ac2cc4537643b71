/**
 * The C2PA reader's worker thread (c2pa-reader.ts starts it): c2pa-rs's module, instantiated from the compiled module
 * its first message brings (compiled once per process, while the thread starts), then reading one file per message. A trap, a hang or a runaway allocation of c2pa-rs ends
 * this thread, never the process: the reader sees it, records that file's read as failed and starts another thread.
 *
 * Written to run as it is: the sources are run by Node, which strips its types (jest), or by tsx (`npm start`), the
 * CLI runs it from dist/ and the processor as its own esbuild bundle in its asset (lib/constructs/
 * provenance-bundling.ts). So no relative import, only types TypeScript can erase, and `require` rather than
 * `import`: Node reads the stripped file as CommonJS, with no warning, as tsc and esbuild write it.
 */
const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
const { initSync, WasmReader } = require('@contentauth/c2pa-wasm') as typeof import('@contentauth/c2pa-wasm');

/** What the reader posts first: c2pa-rs's module, compiled. */
export interface Init {
  module: WebAssembly.Module;
}

/** What the reader posts then: one file to read. */
export interface ReadRequest {
  mediaType: string;
  bytes: Uint8Array;
  /** c2pa-rs's settings, JSON. */
  context: string;
}

/** What this thread posts: that it is ready, then one answer per request. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'store'; json: string }
  /** c2pa-rs's own error for the file (no manifest, a broken one), or a trap in its synchronous part. */
  | { kind: 'error'; name: string; message: string };

const port = parentPort;
if (port === null) throw new Error('c2pa-worker runs as a worker thread (c2pa-reader.ts)');

const read = async ({ mediaType, bytes, context }: ReadRequest): Promise<void> => {
  let reader: Awaited<ReturnType<typeof WasmReader.fromBytes>> | undefined;
  let answer: WorkerMessage;
  try {
    reader = await WasmReader.fromBytes(mediaType, bytes, context);
    answer = { kind: 'store', json: reader.json() };
  } catch (error) {
    answer = {
      kind: 'error',
      name: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    reader?.free();
  }
  port.postMessage(answer);
};

port.once('message', ({ module }: Init) => {
  initSync({ module });
  port.on('message', read);
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
});
