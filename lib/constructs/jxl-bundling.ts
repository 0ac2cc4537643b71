import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { JXL_WASM_ASSET_PATH } from '../../lambdas/core/jxl-contract';
import { REPO_ROOT } from './node-function';
import { withCopy } from './watermark-bundling';

/** libjxl's WebAssembly decoder, as @jsquash/jxl ships it (830 KB). */
export const JXL_WASM_FILE = path.join(REPO_ROOT, 'node_modules/@jsquash/jxl/codec/dec/jxl_dec.wasm');

/**
 * A function that decodes originals (the processor, the render function) decodes JPEG XL with libjxl's WASM build,
 * from the file beside its bundle at `JXL_WASM_ASSET_PATH` (esbuild bundles @jsquash/jxl's JavaScript, not the binary
 * it loads). After whatever else `hooks` do.
 */
export function withJxlDecoder(hooks: ICommandHooks | undefined): ICommandHooks {
  return withCopy(hooks, JXL_WASM_FILE, JXL_WASM_ASSET_PATH);
}
