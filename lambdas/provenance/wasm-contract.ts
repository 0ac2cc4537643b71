/**
 * c2pa-rs's WebAssembly module's path inside a function's asset, relative to its bundle: copied there by
 * lib/constructs/provenance-bundling.ts. Elsewhere (sources, tsx, jest, the CLI) it is read from node_modules.
 */
export const C2PA_WASM_ASSET_PATH = 'c2pa/c2pa_bg.wasm';
