import type { ImageItem } from '../store/image-item';
import { tileOf } from '../store/image-view';
import { normalizeName } from '../store/labels';
import { takenAtOf } from '../store/timeline-key';
import type { PostingAttributes } from './postings-design';
import { termsOf } from './terms';
import { parseLikely } from './vocabulary';

/*
 * An image's postings, kept in step with its record by every writer (the processor, label corrections): the record
 * says which terms it is indexed under and which earlier ones are still to be removed, and the postings index
 * (index-table.ts) makes the index say the same. Both are puts and deletes of whole postings, so repeating them
 * changes nothing.
 */

/**
 * The item with the terms it is to be indexed under, and those of the record it replaces that it no longer has
 * (kept on the record until their postings are removed). An image without an owner is in no one's search.
 */
export function withTerms(item: ImageItem, previous: ImageItem | undefined): ImageItem {
  const indexed = item.owner === undefined ? [] : termsOf(item).terms;
  const stale = (previous ? postedTerms(previous) : []).filter((term) => !indexed.includes(term));
  return {
    ...item,
    indexedTerms: indexed.length > 0 ? indexed : undefined,
    unindexTerms: stale.length > 0 ? stale : undefined,
  };
}

/** Every term a record may have postings under: those it is indexed under, and an earlier version's not yet removed. */
export function postedTerms(item: ImageItem): string[] {
  return [...new Set([...(item.indexedTerms ?? []), ...(item.unindexTerms ?? [])])];
}

/** What a posting carries to be checked without the record: the image's other terms, its hashes, faces, date. */
export function postingOf(item: ImageItem): PostingAttributes {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  const facets = (item.indexedTerms ?? []).filter(
    (term) =>
      !term.startsWith('phash') &&
      !term.startsWith('sha256=') &&
      !term.startsWith('prefix=') &&
      !term.startsWith('placePath=') &&
      parseLikely(term)?.term.startsWith('prefix=') !== true,
  );
  const scores = likelyScoresOf(item, facets);
  return {
    // The words a `q=` search checks are read from the facets and the filename, not from the prefixes (sure or
    // likely); the place path is counted (place-counts.ts), never checked: its names are facets of their own.
    facets,
    ...(scores && { scores }),
    phash: analysis?.hashes.phash,
    sha256: analysis?.hashes.sha256,
    faces: item.vision?.faces.length,
    // Its owner's date taken, else the EXIF one: what the date filters compare.
    takenAt: takenAtOf(item),
    summary: {
      status: item.status,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      filename: item.filename,
      contentType: item.contentType,
      size: item.size,
      ...tileOf(item),
    },
  };
}

/**
 * The score of each likely match among `facets` (`object=cat` to 0.56, floored to hundredths), from the record's
 * candidates: what a search answers of why it found the image. Undefined when it has none.
 */
function likelyScoresOf(item: ImageItem, facets: readonly string[]): Record<string, number> | undefined {
  const candidates = item.vision?.candidates;
  const scores: Record<string, number> = {};
  for (const one of facets) {
    const likely = parseLikely(one)?.term;
    if (likely === undefined || !candidates) continue;
    const [field, name] = likely.split('=') as [string, string];
    // A likely label may be an object's: a shown object is a label too (`label=cat` finds a shown cat).
    const list = field === 'object' ? candidates.objects : [...candidates.labels, ...candidates.objects];
    const best = Math.max(...list.filter((c) => normalizeName(c.name) === name).map((c) => c.confidence));
    // Floored, not rounded, so the score keeps its tenth: the band it is listed in (0.599 is 0.59, not 0.6).
    if (Number.isFinite(best)) scores[likely] = Math.floor(best * 100 + 1e-9) / 100;
  }
  return Object.keys(scores).length > 0 ? scores : undefined;
}
