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
  /** Colour, brightness and texture statistics of the raster (`pictureStats`): Monochrome, Vegetation, Dark, Bright. */
  picture?: PictureStats;
  /** The core's brightness, when the record has one: Dark and Bright then follow the record's own number. */
  brightness?: { value: number };
  /** The moderation model's Drawing score: Illustration. */
  drawing?: number;
}

/**
 * Labels derived honestly from what ran, each naming its source: no ImageNet classifier ships with the
 * project, so there are no scene or concept labels beyond these.
 * - objects: each detected class, at its most confident instance;
 * - faces: Person and Face;
 * - text: Text, from the words read (dictionary words count fully); Document when many words cover much of the image;
 * - moderation: Illustration, from the moderation model's Drawing class;
 * - colour: Monochrome (no colour and real structure, so not noise), Vegetation (textured leaf green), Dark, Bright.
 * The text and colour labels' confidences follow their evidence (see label-rules.ts) and are dropped under 0.5.
 */
export function deriveLabels(
  vision: Pick<Vision, 'objects' | 'faces' | 'text'>,
  evidence: LabelEvidence = {},
): Label[] {
  const labels = new Map<string, Label>();
  const add = (name: string, confidence: number, source: Label['source']) => {
    const existing = labels.get(name);
    if (!existing || existing.confidence < confidence) labels.set(name, { name, confidence, source });
  };
  const addIfStrong = (name: string, confidence: number, source: Label['source']) => {
    if (confidence >= MIN_LABEL_CONFIDENCE) add(name, confidence, source);
  };
  for (const object of vision.objects) add(titleCase(object.name), object.confidence, 'objects');
  const strongestFace = Math.max(0, ...vision.faces.map((f) => f.confidence));
  if (vision.faces.length > 0) {
    add('Person', strongestFace, 'faces');
    add('Face', strongestFace, 'faces');
  }
  if (vision.text.lines.length > 0) {
    const text = textEvidence(vision.text.lines);
    addIfStrong('Text', textConfidence(text), 'text');
    addIfStrong('Document', documentConfidence(text), 'text');
  }
  const { drawing, picture } = evidence;
  if (drawing !== undefined && drawing >= ILLUSTRATION_SCORE) add('Illustration', drawing, 'moderation');
  if (picture) {
    addIfStrong('Monochrome', monochromeConfidence(picture), 'colour');
    addIfStrong('Vegetation', vegetationConfidence(picture), 'colour');
  }
  const luma = evidence.brightness?.value ?? picture?.luma;
  if (luma !== undefined) {
    addIfStrong('Dark', darkConfidence(luma), 'colour');
    addIfStrong('Bright', brightConfidence(luma), 'colour');
  }
  return [...labels.values()].sort((a, b) => b.confidence - a.confidence);
}

const titleCase = (name: string) => name.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
