import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export type Split = 'tune' | 'eval';

/** What a person says is in one photo (bench/accuracy/README.md says how each field is scored). */
const TruthSchema = z.object({
  from: z.string(),
  licence: z.string(),
  objects: z.array(z.string()).default([]),
  maybeObjects: z.array(z.string()).default([]),
  faces: z.number().int().min(0).default(0),
  maybeFaces: z.number().int().min(0).default(0),
  labels: z.array(z.string()).default([]),
  quality: z.array(z.string()).default([]),
  moderation: z.array(z.string()).default([]),
  /**
   * What a broader query word asks for that no COCO class names, labelled on the evaluation half: `animal` for an
   * animal of no COCO class (a goat, a crab, a rabbit), `vehicle` for a vehicle of none (an armoured car). The query
   * bench counts them as right answers to `animal` and `vehicle`, and as missed when not found.
   */
  kinds: z.array(z.enum(['animal', 'vehicle'])).default([]),
});
export type Truth = z.infer<typeof TruthSchema>;

/** `labels.json`: each photo, by `<split>/<name>.jpg`, with what a person says is in it. */
export const LabelledSetSchema = z.object({ images: z.record(z.string(), TruthSchema) });
export type LabelledSet = z.infer<typeof LabelledSetSchema>;

export function readSet(setDir: string): LabelledSet {
  return LabelledSetSchema.parse(JSON.parse(readFileSync(path.join(setDir, 'labels.json'), 'utf8')));
}

export const splitOf = (name: string): Split => (name.startsWith('tune/') ? 'tune' : 'eval');
