import type { Vision } from '../core/vision-schema';
import {
  brightConfidence,
  darkConfidence,
  documentConfidence,
  ILLUSTRATION_SCORE,
  MIN_LABEL_CONFIDENCE,
  monochromeConfidence,
  textConfidence,
  vegetationConfidence,
} from './label-rules';
import type { PictureStats } from './picture-stats';
import { textEvidence } from './text-evidence';

type Label = Vision['labels'][number];

/** What the labels are derived from besides the models' detections. */
export interface LabelEvidence {
  /** Colour, brightness and texture statistics of the raster (`pictureStats`): Monochrome, Vegetation, Bright, Dark. */
  picture?: PictureStats;
  /** The core's brightness, when the record has one: Dark then follows the record's own number. */
  brightness?: { value: number };
  /** The moderation model's Drawing score: Illustration. */
  drawing?: number;
}

/** The score a derived label must reach to be given: today's defaults unless a calibration says otherwise. */
export type LabelThreshold = (name: string) => number;

/** The rules' own defaults: MIN_LABEL_CONFIDENCE, and the Drawing score ILLUSTRATION_SCORE for Illustration. */
export const DEFAULT_LABEL_THRESHOLD: LabelThreshold = (name) =>
  name === 'Illustration' ? ILLUSTRATION_SCORE : MIN_LABEL_CONFIDENCE;

/**
 * Labels derived honestly from what ran, each naming its source: no ImageNet classifier ships with the
 * project, so there are no scene or concept labels beyond these.
 * - objects: each detected class, at its most confident instance;
 * - faces: Person and Face;
 * - text, moderation and colour: the rules' labels (`derivedScores`) that reach `threshold`.
 * Objects and faces are taken as given: pass only those to be shown.
 */
export function deriveLabels(
  vision: Pick<Vision, 'objects' | 'faces' | 'text'>,
  evidence: LabelEvidence = {},
  threshold: LabelThreshold = DEFAULT_LABEL_THRESHOLD,
  /** The rules' scores, when the caller has them already (the offline provider keeps them as candidates too). */
  scores: Label[] = derivedScores(vision, evidence),
): Label[] {
  const labels = new Map<string, Label>();
  const add = ({ name, confidence, source }: Label) => {
    const existing = labels.get(name);
    if (!existing || existing.confidence < confidence) labels.set(name, { name, confidence, source });
  };
  for (const object of vision.objects)
    add({ name: titleCase(object.name), confidence: object.confidence, source: 'objects' });
  const strongestFace = Math.max(0, ...vision.faces.map((f) => f.confidence));
  if (vision.faces.length > 0) {
    add({ name: 'Person', confidence: strongestFace, source: 'faces' });
    add({ name: 'Face', confidence: strongestFace, source: 'faces' });
  }
  for (const label of scores) if (label.confidence >= threshold(label.name)) add(label);
  return [...labels.values()].sort((a, b) => b.confidence - a.confidence);
}

/**
 * Every rule's label with its confidence before any threshold (none at 0):
 * - text: Text, from the words read (dictionary words count fully); Document when many words cover much of the image;
 * - moderation: Illustration, from the moderation model's Drawing class;
 * - colour: Monochrome (no colour and real structure, so not noise), Vegetation (textured leaf green), Bright (most
 *   of the picture pale), Dark (low mean luma).
 * The confidences follow their evidence (see label-rules.ts).
 */
export function derivedScores(vision: Pick<Vision, 'text'>, evidence: LabelEvidence = {}): Label[] {
  const scores: Label[] = [];
  const add = (name: string, confidence: number, source: Label['source']) => {
    if (confidence > 0) scores.push({ name, confidence, source });
  };
  if (vision.text.lines.length > 0) {
    const text = textEvidence(vision.text.lines);
    add('Text', textConfidence(text), 'text');
    add('Document', documentConfidence(text), 'text');
  }
  const { drawing, picture } = evidence;
  if (drawing !== undefined) add('Illustration', drawing, 'moderation');
  if (picture) {
    add('Monochrome', monochromeConfidence(picture), 'colour');
    add('Vegetation', vegetationConfidence(picture), 'colour');
    add('Bright', brightConfidence(picture), 'colour');
  }
  const luma = evidence.brightness?.value ?? picture?.luma;
  if (luma !== undefined) add('Dark', darkConfidence(luma), 'colour');
  return scores.sort((a, b) => b.confidence - a.confidence);
}

const titleCase = (name: string) => name.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
