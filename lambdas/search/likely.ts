import type { Box } from '../core/vision-schema';
import type { ImageItem } from '../store/image-item';
import { labelsOf, MIN_WORD_LENGTH, normalizeName, prefixOf } from '../store/labels';
import { CALIBRATION, type Calibration, foundThresholdOf } from '../vision/calibration';
import { bandOf, LIKELY_BANDS, likelyTerm, term } from './vocabulary';

/*
 * The likely rule: which of an image's vision candidates a search finds as likely matches (scored at or above their
 * class's retrieval threshold, never a class the image is shown with or its owner spoke of), the terms they are
 * posted under and the bands a search walks. The photo's page, the CLI and the index all decide by it.
 */

/** Likely matches an image is posted under at most: its strongest, objects and derived labels together. */
export const MAX_LIKELY = 10;

/** A candidate a search finds: a class the image is not shown with, scored from its retrieval threshold up. */
export interface LikelyMatch {
  field: 'object' | 'label';
  /** Normalised, as its term (`dining table`). */
  name: string;
  score: number;
  /** The class as the model names it (`dining table`, `Vegetation`): what the photo's page shows, and confirms. */
  modelName: string;
  /** An object's box: its strongest candidate's. Labels have none. */
  box?: Box;
}

/** What the likely rule reads of a record: the API's records and the CLI's `analyze` records alike. */
export type LikelySource = Pick<ImageItem, 'status' | 'vision' | 'labelCorrections'>;

/**
 * The vision candidates (the offline provider's; Rekognition keeps none) scored at or above their class's retrieval
 * threshold (`foundThresholdOf`), each class once at its best score, strongest first: what a search could find.
 */
function foundCandidatesOf(item: LikelySource, calibration: Calibration): LikelyMatch[] {
  const candidates = item.vision?.candidates;
  if (item.status !== 'PROCESSED' || !candidates) return [];
  const best = new Map<string, LikelyMatch>();
  const sources = [
    ['object', 'objects', candidates.objects],
    ['label', 'labels', candidates.labels],
  ] as const;
  for (const [field, source, found] of sources) {
    for (const candidate of found) {
      const name = normalizeName(candidate.name);
      const key = term(field, name);
      if (!name || candidate.confidence < foundThresholdOf(calibration, source, candidate.name)) continue;
      if ((best.get(key)?.score ?? -1) < candidate.confidence) {
        const box = 'box' in candidate ? candidate.box : undefined;
        best.set(key, { field, name, score: candidate.confidence, modelName: candidate.name, ...(box && { box }) });
      }
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score);
}

/** The classes its owner has spoken of (a label added or taken away), normalised. */
function ownerSaid(item: LikelySource): Set<string> {
  const { added = [], removed = [] } = item.labelCorrections ?? {};
  return new Set([...added, ...removed].map((label) => normalizeName(label.name)));
}

/**
 * The likely matches of an image: its candidates found from their class's retrieval threshold (foundCandidatesOf)
 * whose class the image is not shown with (a second, weaker cat beside a shown one adds nothing) and its owner has
 * not spoken of: a label they added is sure, one they took away is not there, as a label or as an object (the
 * photo's page confirms or dismisses a likely object as a label, `PATCH /images/{id}/labels`); the MAX_LIKELY
 * strongest. The search's postings, `GET /images/{id}`'s `likely` and the CLI all read them from here.
 */
export function likelyMatchesOf(item: LikelySource, calibration: Calibration = CALIBRATION): LikelyMatch[] {
  const sure = new Set([
    ...labelsOf(item).map((label) => term('label', normalizeName(label.name))),
    ...(item.vision?.objects ?? []).map((object) => term('object', normalizeName(object.name))),
  ]);
  const said = ownerSaid(item);
  return foundCandidatesOf(item, calibration)
    .filter((match) => !sure.has(term(match.field, match.name)) && !said.has(match.name))
    .slice(0, MAX_LIKELY);
}

/**
 * A likely match as `GET /images/{id}` (`likely`) and `image-intel analyze` answer it: the class as the model names
 * it, which is what a confirmation adds as a label, with its score and an object's box.
 */
export interface LikelyResult {
  field: 'object' | 'label';
  name: string;
  confidence: number;
  box?: Box;
}

export function likelyResultsOf(item: LikelySource, calibration: Calibration = CALIBRATION): LikelyResult[] {
  return likelyMatchesOf(item, calibration).map(({ field, modelName, score, box }) => ({
    field,
    name: modelName,
    confidence: score,
    ...(box && { box }),
  }));
}

/**
 * The likely objects its owner confirmed: found candidates of a class they added as a label. Posted as sure
 * `object=` terms (termsOf), so `object=horse` finds a photo whose likely horse was confirmed as surely as `label=`
 * and `q=` do, and not only until the confirmation took its likely posting away.
 */
export function confirmedObjectsOf(item: LikelySource, calibration: Calibration = CALIBRATION): LikelyMatch[] {
  const added = new Set((item.labelCorrections?.added ?? []).map((label) => normalizeName(label.name)));
  return foundCandidatesOf(item, calibration).filter((match) => match.field === 'object' && added.has(match.name));
}

/**
 * The terms of an image's likely matches: each under its band (`likely5:object=cat`, an object as a label too:
 * `likely5:label=cat`) and each of its words' prefixes under the same band (`likely5:prefix=cat`), so `object=`,
 * `label=` and `q=` find it after the sure matches. At most MAX_LIKELY classes of at most a few words each: about
 * 30 postings at the very most (a COCO name has one or two words).
 */
export function likelyTermsOf(item: ImageItem, calibration: Calibration = CALIBRATION): string[] {
  const terms = new Set<string>();
  for (const { field, name, score } of likelyMatchesOf(item, calibration)) {
    const band = bandOf(score);
    terms.add(likelyTerm(band, field, name));
    // A shown object is a label too (deriveLabels): a likely one is a likely label, so `label=cat` finds it.
    if (field === 'object') terms.add(likelyTerm(band, 'label', name));
    for (const word of name.split(' '))
      if (word.length >= MIN_WORD_LENGTH) terms.add(likelyTerm(band, 'prefix', prefixOf(word)));
  }
  return [...terms];
}

/**
 * The bands a search walks for its likely matches, strongest first: from the top one down to that of the lowest
 * retrieval threshold of `calibration` (no candidate under it is posted). Images indexed under a calibration that
 * found from lower scores keep their postings in bands below it until they are indexed again.
 */
export function likelyBands(calibration: Calibration = CALIBRATION): number[] {
  const { objects, labels } = calibration.found;
  const lowest = Math.min(
    // What a class is found from: its own threshold, else the rare classes' (the pooled one when there is none).
    ...[objects, labels].flatMap((one) => [one.rare ?? one.pooled, ...Object.values(one.classes)]),
  );
  const bottom = bandOf(lowest);
  return Array.from({ length: LIKELY_BANDS - bottom }, (_, i) => LIKELY_BANDS - 1 - i);
}
