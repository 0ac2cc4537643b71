import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { TRUST_ANCHORS_ASSET_PATH, trustAnchorsProblem } from '../../lambdas/provenance/trust-anchors-contract';
import { C2PA_WASM_ASSET_PATH } from '../../lambdas/provenance/wasm-contract';
import { REPO_ROOT } from './node-function';
import { withCopy } from './watermark-bundling';

/** c2pa-rs's WebAssembly module, as @contentauth/c2pa-wasm ships it (9 MB). */
export const C2PA_WASM_FILE = path.join(REPO_ROOT, 'node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm');

/**
 * A function that reads Content Credentials (the processor's `provenance` step) compiles c2pa-rs's module from the
 * file beside its bundle, at `C2PA_WASM_ASSET_PATH`: esbuild bundles the module's JavaScript, not the binary it
 * loads, so copy it there after whatever else `hooks` do.
 */
export function withC2paModule(hooks: ICommandHooks | undefined): ICommandHooks {
  return withCopy(hooks, C2PA_WASM_FILE, C2PA_WASM_ASSET_PATH);
}

/**
 * With `provenanceTrustAnchors`: copy the file into the asset at `TRUST_ANCHORS_ASSET_PATH`, where the provenance
 * step reads it once per container, after whatever else `hooks` do. Checked here, at synth, rather than at bundling
 * (a failed copy) or at the function's start: it must exist and hold at least one PEM certificate.
 */
export function withTrustAnchors(scope: Construct, file: string | undefined, hooks: ICommandHooks): ICommandHooks {
  if (file === undefined) return hooks;
  const source = path.join(REPO_ROOT, file);
  const where = `${scope.node.path}: provenanceTrustAnchors`;
  if (!existsSync(source)) throw new Error(`${where}: no file at ${source}`);
  const problem = trustAnchorsProblem(readFileSync(source, 'utf8'));
  if (problem) throw new Error(`${where}: ${source} ${problem}`);
  return withCopy(hooks, source, TRUST_ANCHORS_ASSET_PATH);
}
