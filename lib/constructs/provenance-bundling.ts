import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { C2PA_WASM_ASSET_PATH } from '../../lambdas/provenance/wasm-contract';
import { REPO_ROOT } from './node-function';
import { copyCommand } from './watermark-bundling';

/** c2pa-rs's WebAssembly module, as @contentauth/c2pa-wasm ships it (9 MB). */
export const C2PA_WASM_FILE = path.join(REPO_ROOT, 'node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm');

/**
 * A function that reads Content Credentials (the processor's `provenance` step) compiles c2pa-rs's module from the
 * file beside its bundle, at `C2PA_WASM_ASSET_PATH`: esbuild bundles the module's JavaScript, not the binary it
 * loads, so copy it there after whatever else `hooks` do.
 */
export function withC2paModule(hooks: ICommandHooks | undefined): ICommandHooks {
  return {
    beforeBundling: (inputDir, outputDir) => hooks?.beforeBundling(inputDir, outputDir) ?? [],
    beforeInstall: (inputDir, outputDir) => hooks?.beforeInstall(inputDir, outputDir) ?? [],
    afterBundling: (inputDir, outputDir) => [
      ...(hooks?.afterBundling(inputDir, outputDir) ?? []),
      copyCommand(C2PA_WASM_FILE, path.join(outputDir, C2PA_WASM_ASSET_PATH)),
    ],
  };
}
