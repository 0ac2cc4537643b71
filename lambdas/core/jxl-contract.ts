/**
 * libjxl's WebAssembly decoder's path inside a function's asset, relative to its bundle: copied there by
 * lib/constructs/jxl-bundling.ts (esbuild bundles @jsquash/jxl's JavaScript, not the binary it loads). Elsewhere
 * (sources, tsx, jest, the CLI) it is read from node_modules.
 */
export const JXL_WASM_ASSET_PATH = 'jxl/jxl_dec.wasm';
