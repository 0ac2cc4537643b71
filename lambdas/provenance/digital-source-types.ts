import type { ProvenanceSummary } from '../core/vocabulary';

/** The IPTC NewsCodes vocabulary a digital source type is a term of: C2PA actions and XMP name one by its URI. */
export const DIGITAL_SOURCE_TYPE_PREFIX = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/**
 * What each IPTC digital source type says of a picture's origin, in the summary's words (IPTC's definitions:
 * cv.iptc.org/newscodes/digitalsourcetype). A model trained on data made it (`trainedAlgorithmicMedia`) or part of
 * it (`compositeWithTrainedAlgorithmicMedia`); a sensor captured it, film or print included; any other making or
 * changing is `edited`. A code IPTC adds later says nothing (`unknown`) until it is listed here.
 */
const SUMMARY_OF: Readonly<Record<string, ProvenanceSummary>> = {
  trainedAlgorithmicMedia: 'ai-generated',
  compositeWithTrainedAlgorithmicMedia: 'ai-edited',
  digitalCapture: 'camera',
  computationalCapture: 'camera',
  negativeFilm: 'camera',
  positiveFilm: 'camera',
  print: 'camera',
  minorHumanEdits: 'camera',
  humanEdits: 'edited',
  compositeCapture: 'edited',
  algorithmicallyEnhanced: 'edited',
  compositeSynthetic: 'edited',
  algorithmicMedia: 'edited',
  dataDrivenMedia: 'edited',
  digitalArt: 'edited',
  virtualRecording: 'edited',
  screenCapture: 'edited',
  // Retired codes, still written by older tools.
  digitalCreation: 'edited',
  softwareImage: 'edited',
};

/** The term's short code: `trainedAlgorithmicMedia` of its URI (or of itself, as some tools write it). */
export function shortCode(digitalSourceType: string): string {
  const trimmed = digitalSourceType.trim();
  return trimmed.startsWith(DIGITAL_SOURCE_TYPE_PREFIX) ? trimmed.slice(DIGITAL_SOURCE_TYPE_PREFIX.length) : trimmed;
}

/** What a digital source type (URI or short code) says, `unknown` for a term not in IPTC's list. */
export function summaryOfSourceType(digitalSourceType: string): ProvenanceSummary {
  const code = shortCode(digitalSourceType);
  return Object.hasOwn(SUMMARY_OF, code) ? (SUMMARY_OF[code] as ProvenanceSummary) : 'unknown';
}

/**
 * The URI a rendition declares for a record's digital source type (`renditionsKeepDigitalSourceType`): only a term of
 * IPTC's list above, so no other text of an uploader's is ever written out; none for any other.
 */
export function digitalSourceTypeUri(digitalSourceType: string | undefined): string | undefined {
  if (digitalSourceType === undefined) return undefined;
  const code = shortCode(digitalSourceType);
  return Object.hasOwn(SUMMARY_OF, code) ? DIGITAL_SOURCE_TYPE_PREFIX + code : undefined;
}

/** Whether the summary says a generative model made some of the picture. */
export function isAi(summary: ProvenanceSummary | undefined): boolean {
  return summary === 'ai-generated' || summary === 'ai-edited';
}
