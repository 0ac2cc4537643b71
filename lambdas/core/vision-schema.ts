import { z } from 'zod';

/** Confidence is 0-1 everywhere, whichever provider produced it (Rekognition's 0-100 is divided by 100). */
const confidence = z.number().min(0).max(1);
const unit = z.number().min(0).max(1);
const percent = z.number().min(0).max(100);

/** Normalised to the oriented image: left/top/width/height are fractions of its width and height. */
export const BoxSchema = z.object({ left: unit, top: unit, width: unit, height: unit });

export const LabelSourceSchema = z.enum([
  'rekognition',
  'objects',
  'faces',
  'text',
  'moderation',
  'colour',
  'classifier',
]);

const LabelSchema = z.object({ name: z.string(), confidence, source: LabelSourceSchema });
const ObjectSchema = z.object({ name: z.string(), confidence, box: BoxSchema });
const FaceSchema = z.object({ confidence, box: BoxSchema });

export const VisionSchema = z.object({
  /** What the picture shows, each with the model or fact it came from. */
  labels: z.array(LabelSchema),
  objects: z.array(ObjectSchema),
  text: z.object({
    fullText: z.string(),
    lines: z.array(z.object({ text: z.string(), confidence, box: BoxSchema })),
  }),
  faces: z.array(FaceSchema),
  /**
   * What the offline models found under the thresholds `labels`, `objects` and `faces` are shown at
   * (lambdas/vision/calibration.json): kept for their scores, strongest first and at most ten of each, and never
   * shown or sent in events. A search finds an object or label among them from its class's retrieval threshold, as
   * a likely match (lambdas/search/terms.ts). Added to version 1 as an optional field; absent from Rekognition's
   * results and from records made before it.
   */
  candidates: z
    .object({ labels: z.array(LabelSchema), objects: z.array(ObjectSchema), faces: z.array(FaceSchema) })
    .optional(),
  /**
   * How far the picture looks turned: the clockwise quarter turn (90, 180 or 270) that would put it upright, as the
   * offline models judged it. Only for a photo with no EXIF orientation and no turn from its owner whose first look
   * was weak, when its objects or text were clearly stronger turned (lambdas/vision/quarter-turns.ts, docs/vision.md):
   * `objects` and `text` are then that look's, their boxes in the stored picture's frame. Absent: the picture was
   * judged as stored. Added to version 1 as an optional field; the turn its owner may apply
   * (`PUT /images/{id}/rotation`) takes the same values.
   */
  turn: z.literal([90, 180, 270]).optional(),
  /**
   * The picture the provider looked at was scaled into the 80-10,000 px a side its models take
   * (lambdas/vision/vision-limits.ts): a panorama made smaller, a tiny picture larger, its shape kept. Boxes are
   * fractions of the picture either way. Absent: looked at as it was. Added to version 1 as an optional field.
   */
  scaled: z
    .object({
      from: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
      to: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    })
    .optional(),
  moderation: z.object({
    /** False when no moderation model or API ran: then `flagged: false` means "not checked", not "clean". */
    checked: z.boolean(),
    /** True when any moderation label reaches its threshold (`thresholds`, else `threshold`). */
    flagged: z.boolean(),
    /** The flag threshold; with per-class `thresholds`, the lowest of them. */
    threshold: confidence,
    /** Per-class flag thresholds, by label name, when they differ by class (the offline models' calibrated ones). */
    thresholds: z.record(z.string(), confidence).optional(),
    /**
     * `parent`: Rekognition's label of the level above (its taxonomy has three); the offline model's labels are
     * top-level already and have none. A policy acts on each label's top-level category (lambdas/policy).
     */
    labels: z.array(z.object({ name: z.string(), confidence, parent: z.string().optional() })),
  }),
  /**
   * Rekognition's own image quality (DetectLabels' IMAGE_PROPERTIES), 0-100 as it gives them, higher is brighter,
   * sharper, more contrasted. Kept beside the core's `analysis.quality`, never mixed into it: the two are measured
   * differently and neither is calibrated against the other. Only with `inference=rekognition`.
   */
  imageQuality: z
    .object({ source: z.literal('rekognition'), brightness: percent, sharpness: percent, contrast: percent })
    .optional(),
  inference: z.object({
    provider: z.enum(['rekognition', 'onnx']),
    /** Model (or API) name to its version. */
    models: z.record(z.string(), z.string()),
    durationMs: z.number().min(0),
    /** What the calls cost at list price, for providers that bill per call. */
    costUsd: z.number().min(0).optional(),
  }),
});

export type Vision = z.infer<typeof VisionSchema>;
export type Box = z.infer<typeof BoxSchema>;

/** Clamp a box to the image: providers return boxes that spill over the edges for objects cut by the frame. */
export function clampBox(box: { left: number; top: number; width: number; height: number }): Box {
  const clamp = (n: number) => Math.min(1, Math.max(0, n));
  const left = clamp(box.left);
  const top = clamp(box.top);
  const round = (n: number) => Math.round(n * 10000) / 10000;
  return {
    left: round(left),
    top: round(top),
    width: round(clamp(box.left + box.width) - left),
    height: round(clamp(box.top + box.height) - top),
  };
}
