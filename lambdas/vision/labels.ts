import type { ProcessedRecord } from '../core';
import type { Vision } from './schema';

/** Lines covering more than this share of the image make it a document rather than a picture with some text. */
const DOCUMENT_TEXT_COVERAGE = 0.15;
/** The moderation model's Drawing score above which the picture is an illustration. */
const ILLUSTRATION_SCORE = 0.5;
/** Mean palette chroma (max channel minus min channel, 0-255) under which a picture is monochrome. */
const MONOCHROME_CHROMA = 16;

type Label = Vision['labels'][number];
type Colour = Pick<ProcessedRecord, 'palette' | 'brightness'>;

/**
 * Labels derived honestly from what ran, each naming its source: no ImageNet classifier ships with the
 * project, so there are no scene or concept labels beyond these.
 * - objects: each detected class, at its most confident instance;
 * - faces: Person and Face;
 * - text: Text, and Document when the lines cover much of the image;
 * - moderation: Illustration, from the moderation model's Drawing class;
 * - colour: Monochrome, Dark, Bright from the core's palette and brightness.
 */
export function deriveLabels(
  vision: Pick<Vision, 'objects' | 'faces' | 'text'>,
  colour?: Colour,
  drawing?: number,
): Label[] {
  const labels = new Map<string, Label>();
  const add = (name: string, confidence: number, source: Label['source']) => {
    const existing = labels.get(name);
    if (!existing || existing.confidence < confidence) labels.set(name, { name, confidence, source });
  };
  for (const object of vision.objects) add(titleCase(object.name), object.confidence, 'objects');
  const strongestFace = Math.max(0, ...vision.faces.map((f) => f.confidence));
  if (vision.faces.length > 0) {
    add('Person', strongestFace, 'faces');
    add('Face', strongestFace, 'faces');
  }
  if (vision.text.lines.length > 0) {
    add('Text', Math.max(...vision.text.lines.map((l) => l.confidence)), 'text');
    const coverage = vision.text.lines.reduce((sum, l) => sum + l.box.width * l.box.height, 0);
    if (coverage >= DOCUMENT_TEXT_COVERAGE)
      add('Document', Math.min(1, round(coverage / DOCUMENT_TEXT_COVERAGE / 2 + 0.5)), 'text');
  }
  if (drawing !== undefined && drawing >= ILLUSTRATION_SCORE) add('Illustration', drawing, 'moderation');
  if (colour) {
    const chroma = colour.palette.reduce(
      (sum, { rgb: { r, g, b }, proportion }) => sum + (Math.max(r, g, b) - Math.min(r, g, b)) * proportion,
      0,
    );
    if (chroma < MONOCHROME_CHROMA) add('Monochrome', round(1 - chroma / MONOCHROME_CHROMA / 2), 'colour');
    if (colour.brightness.class === 'dark') add('Dark', 1, 'colour');
    if (colour.brightness.class === 'bright') add('Bright', 1, 'colour');
  }
  return [...labels.values()].sort((a, b) => b.confidence - a.confidence);
}

const round = (n: number) => Math.round(n * 10000) / 10000;
const titleCase = (name: string) => name.replace(/(^|\s)\S/g, (c) => c.toUpperCase());
