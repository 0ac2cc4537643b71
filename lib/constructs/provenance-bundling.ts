import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { TRUST_ANCHORS_ASSET_PATH, trustAnchorsProblem } from '../../lambdas/provenance/trust-anchors-contract';
import { C2PA_WASM_ASSET_PATH, C2PA_WORKER_ASSET_PATH } from '../../lambdas/provenance/wasm-contract';
import { REPO_ROOT } from './node-function';
import { withCopy } from './watermark-bundling';

/** c2pa-rs's WebAssembly module, as @contentauth/c2pa-wasm ships it (9 MB). */
export const C2PA_WASM_FILE = path.join(REPO_ROOT, 'node_modules/@contentauth/c2pa-wasm/pkg/c2pa_bg.wasm');

/** The C2PA reader's worker thread's script (lambdas/provenance/c2pa-reader.ts runs it). */
export const C2PA_WORKER_ENTRY = path.join(REPO_ROOT, 'lambdas/provenance/c2pa-worker.ts');

/**
 * A function that reads Content Credentials (the processor's `provenance` step) runs c2pa-rs in a worker thread,
 * from files beside its bundle: the thread's own script at `C2PA_WORKER_ASSET_PATH` (a thread runs a file, not a
 * part of the function's bundle: esbuild bundles it apart, as NodejsFunction bundles the function), and the module it
 * compiles at `C2PA_WASM_ASSET_PATH` (esbuild bundles the module's JavaScript, not the binary it loads). After
 * whatever else `hooks` do.
 */
export function withC2paModule(hooks: ICommandHooks | undefined): ICommandHooks {
  const copied = withCopy(hooks, C2PA_WASM_FILE, C2PA_WASM_ASSET_PATH);
  return {
    ...copied,
    afterBundling: (inputDir, outputDir) => [
      ...copied.afterBundling(inputDir, outputDir),
      workerBundleCommand(path.join(outputDir, C2PA_WORKER_ASSET_PATH)),
    ],
  };
}

/**
 * esbuild, through its JavaScript API with the paths as arguments (so it runs in NodejsFunction's bundling shell on
 * any platform), bundling the worker's script as NodejsFunction bundles a function: CommonJS for Node 22, minified,
 * with a source map.
 */
export function workerBundleCommand(outfile: string): string {
  const script =
    'require(process.argv[1]).buildSync({entryPoints:[process.argv[2]],outfile:process.argv[3],bundle:true,' +
    "platform:'node',format:'cjs',target:'node22',minify:true,sourcemap:true,sourcesContent:false,logLevel:'warning'})";
  const esbuild = path.join(REPO_ROOT, 'node_modules/esbuild');
  return ['node', '-e', `"${script}"`, `"${esbuild}"`, `"${C2PA_WORKER_ENTRY}"`, `"${outfile}"`].join(' ');
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
