/**
 * The offline models over a labelled set, every score above the floors: the predictions file the scorer reads.
 *
 * 1. Each photo of the set goes through the core as the processor runs it (`analyzeImage` with the default thumbnail
 *    sizes), and the models run on its largest WebP thumbnail through the vision function's own `analyzeThumbnail`:
 *    the pixels a deployment's models see.
 * 2. Nothing is held back by today's thresholds: objects from 0.05 and faces from 0.3 (the floors the product keeps
 *    candidates at), every derived label's raw confidence, every moderation class. The faces are the face cascade's
 *    (lambdas/vision/face-cascade.ts: BlazeFace, its uncertain faces rescored with FaceBoxes), so the calibration
 *    thresholds the scores the product shows by; it must not go under the cascade's `UNCERTAIN.lower`, where
 *    BlazeFace's faces were never checked.
 * 3. Write `{run, models, input, images}` (the shared format, bench/accuracy/README.md).
 *
 * Usage: `npx tsx bench/accuracy/predict.ts [--set bench/accuracy/set] [--split eval] [--out <file>]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { CALIBRATION, type Calibration, FLOORS } from '../../lambdas/vision/calibration';
import { analyzeThumbnail } from '../../lambdas/vision/functions/vision/analyze-stored-image';
import { OFFLINE_MODELS, type OfflineOptions, type OfflineVision, TURNED } from '../../lambdas/vision/offline';
import type { Turn } from '../../lambdas/vision/quarter-turns';
import { readSet, type Split } from './set';

export interface ImagePrediction {
  objects: { name: string; confidence: number }[];
  faces: { confidence: number }[];
  moderation: Record<string, number>;
  labels: { name: string; confidence: number }[];
  /** The models' time on this image (thumbnail decode included), ms. */
  ms: number;
  /** Present when the models looked at the picture turned (quarter-turns.ts): the turn they kept, if any. */
  turns?: { kept?: Turn };
}

export interface Predictions {
  run: string;
  models: Record<string, string>;
  input: string;
  images: Record<string, ImagePrediction>;
}

export const OFFLINE_RUN = 'centernet+blazeface+nsfwjs-mobilenet_v2';
const INPUT =
  "the pipeline's largest WebP thumbnail (1024 px, made by analyzeImage with the default thumbnail sizes), " +
  "decoded by the vision function's analyzeThumbnail";
/** The sources the derived labels come from (objects' and faces' labels are scored as objects and faces). */
const DERIVED_SOURCES = new Set(['text', 'colour', 'moderation']);

/**
 * Shows every derived label over 0; objects and faces are shown from the floors by the options (`objectConfidence`,
 * `faceConfidence`). The objects' and faces' thresholds stay the product's: whether a first look is weak enough to
 * look at the picture turned is judged by them (quarter-turns.ts).
 */
const SHOW_ALL: Calibration = { ...CALIBRATION, labels: { pooled: 0, classes: {} } };

/**
 * One photo's predictions, from its bytes, on the pipeline's pixels; `options` as the vision function would be given
 * them (whether the photo's up is known comes from its bytes, as the processor tells it).
 */
export async function predictImage(
  bytes: Buffer,
  options: Pick<OfflineOptions, 'quarterTurns'> = {},
): Promise<ImagePrediction> {
  const { record, thumbnails, orientationTagged } = await analyzeImage(bytes, {
    thumbnailSizes: DEFAULT_SETTINGS.thumbnailSizes,
  });
  if (record.status !== 'PROCESSED') throw new Error(`the core did not process it: ${record.status}`);
  const largest = thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
  const started = performance.now();
  const vision = await analyzeThumbnail(
    largest.data,
    { palette: record.palette, brightness: record.brightness },
    {
      calibration: SHOW_ALL,
      objectConfidence: FLOORS.objects,
      faceConfidence: FLOORS.faces,
      orientationKnown: orientationTagged === true,
      ...options,
    },
  );
  const ms = Math.round(performance.now() - started);
  return {
    objects: vision.objects.map(({ name, confidence }) => ({ name, confidence })),
    faces: vision.faces.map(({ confidence }) => ({ confidence })),
    moderation: Object.fromEntries(vision.moderation.labels.map((l) => [l.name, l.confidence])),
    labels: vision.labels
      .filter((l) => DERIVED_SOURCES.has(l.source))
      .map(({ name, confidence }) => ({ name, confidence })),
    ms,
    ...(lookedTurned(vision) ? { turns: vision.turn ? { kept: vision.turn } : {} } : {}),
  };
}

/** Whether the models looked at the picture turned: the record's objects (or text) model says so. */
function lookedTurned(vision: OfflineVision): boolean {
  return Object.values(vision.inference.models).some((version) => version.includes(TURNED));
}

/** Predictions for every photo of the set (or of one split), one at a time, in name order. */
export async function predictSet(
  setDir: string,
  options: { split?: Split; onImage?: (name: string, done: number, total: number) => void } = {},
): Promise<Predictions> {
  const names = Object.keys(readSet(setDir).images)
    .filter((name) => !options.split || name.startsWith(`${options.split}/`))
    .sort();
  const images: Record<string, ImagePrediction> = {};
  for (const [i, name] of names.entries()) {
    images[name] = await predictImage(readFileSync(path.join(setDir, name)));
    options.onImage?.(name, i + 1, names.length);
  }
  return {
    run: OFFLINE_RUN,
    models: {
      objects: Object.values(OFFLINE_MODELS.objects).join(', '),
      faces: Object.values(OFFLINE_MODELS.faces).join(', '),
      moderation: Object.values(OFFLINE_MODELS.moderation).join(', '),
      labels: `derived (lambdas/vision/label-rules.ts), text by ${Object.values(OFFLINE_MODELS.text).join(', ')}`,
    },
    input: INPUT,
    images,
  };
}

if (require.main === module) {
  const options = new Command()
    .option('--set <dir>', 'the labelled set', 'bench/accuracy/set')
    .option('--split <split>', 'tune or eval (default both)')
    .option('--out <file>', 'where to write', `bench/accuracy/predictions/${OFFLINE_RUN}.json`)
    .parse()
    .opts<{ set: string; split?: Split; out: string }>();
  predictSet(options.set, {
    split: options.split,
    onImage: (name, done, total) => process.stderr.write(`${done}/${total} ${name}\n`),
  }).then((predictions) => {
    writeFileSync(options.out, `${JSON.stringify(predictions, null, 1)}\n`);
    process.stderr.write(`wrote ${options.out}\n`);
  });
}
