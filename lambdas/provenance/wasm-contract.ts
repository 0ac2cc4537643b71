/**
 * c2pa-rs's WebAssembly module's path inside a function's asset, relative to its bundle: copied there by
 * lib/constructs/provenance-bundling.ts. Elsewhere (sources, tsx, jest, the CLI) it is read from node_modules.
 */
export const C2PA_WASM_ASSET_PATH = 'c2pa/c2pa_bg.wasm';

/**
 * The C2PA reader's worker thread's script inside a function's asset, relative to its bundle: bundled there by
 * lib/constructs/provenance-bundling.ts from c2pa-worker.ts (a worker thread runs a file of its own, not a part of
 * the function's bundle). Elsewhere the reader runs the compiled or the TypeScript file beside it.
 */
export const C2PA_WORKER_ASSET_PATH = 'c2pa/c2pa-worker.js';
