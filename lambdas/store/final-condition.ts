import type { ImageItem } from './image-item';
import { appliedValue, otherThan, REANALYSING_EDITS, sameAs } from './reanalysing-edit';

/** What a processing run asks of its write beyond a new version of the object (ImageStore.finalise). */
export interface FinaliseAsked {
  /** A re-analysis: a final state of the same version made by an older ANALYSIS_VERSION is replaced too. */
  reanalyse?: boolean;
  /**
   * A re-cluster, whose faces were grouped afresh: a final state of the same version is replaced too, unless the same
   * `run` wrote it (a duplicate delivery that analysed it at the same time as the first).
   */
  regroup?: boolean;
  /** The backfill run re-analysing it, recorded as `reprocessedBy`. */
  run?: string;
  /**
   * With search by meaning on, a re-analysis's vector space: a final state of the same version whose record has no
   * vector of it (none, or another model's) is replaced too, so a library is embedded by the current model.
   */
  embedding?: { model: string; dimension: number };
  /**
   * The run found a record (`existing`): it replaces one only while there is one, so a run that read the record before
   * a permanent delete cannot write it back after (and index an image whose objects are gone).
   */
  existed?: boolean;
  /** A re-own (a backfill's `reown`): any state of a record under another owner, or none, which `item.owner` replaces. */
  reown?: boolean;
}

/**
 * When finalise's write replaces the record, as a ConditionExpression (its names and values added to the maps):
 *
 * - The owner: a record keeps the owner its first write gave it, so the write names that one (or, for a record with
 *   none yet, any); a caller that could not read it must not guess. Only a re-own writes another.
 * - A final state (PROCESSED, REJECTED) of this same version is never overwritten; anything else (new, PENDING,
 *   FAILED, another version) is. Without a known ETag, as when the object could not be read, only "not final" is
 *   required.
 * - A re-analysis also replaces a final state of the same version made by an older analysis (or, with search by
 *   meaning, one without a vector of the current model), and only that: of two at once, the second finds the first's
 *   version and writes nothing. So does one whose pixels were turned otherwise than this run's, while its owner asks
 *   for this run's turn and crop (`rotation`, `rotationApplied`, `crop`, `cropApplied`). A re-cluster replaces any state but one its
 *   own run wrote.
 * - A re-own replaces a record until it has the new owner: of two at once, the second finds it and writes nothing.
 * - A run that found a record writes only while there is one (`existed`): a delete meanwhile is final.
 * - The archive as the run read it (`archived`): the list keys it writes file the image accordingly, so an archive or
 *   its undoing between the run's read and its write fails it (the processor tries again from the record); so does
 *   the locked folder as the run read it (`locked`), whose keys it writes too, and a stack's frame behind its
 *   primary (`stackedIn`, lambdas/stacks).
 * - A TRASHED record is never replaced: a late upload event, a retried message or a backfill's re-analysis must not
 *   bring an image back from the trash (only a restore does, store/image-trash.ts); the purge deletes it as it is.
 */
export function finalCondition(
  item: Pick<
    ImageItem,
    'owner' | 'etag' | 'analysisVersion' | 'rotationApplied' | 'cropApplied' | 'archived' | 'locked' | 'stackedIn'
  >,
  asked: FinaliseAsked,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string {
  Object.assign(names, { '#status': 'status', '#owner': 'owner' });
  Object.assign(values, { ':processed': 'PROCESSED', ':rejected': 'REJECTED', ':trashed': 'TRASHED' });
  const notTrashed = asked.existed
    ? '(attribute_exists(#status) AND #status <> :trashed)'
    : '(attribute_not_exists(#status) OR #status <> :trashed)';
  if (item.owner !== undefined) values[':owner'] = item.owner;
  const reown = asked.reown === true && item.owner !== undefined;
  const sameOwner =
    item.owner === undefined ? 'attribute_not_exists(#owner)' : '(attribute_not_exists(#owner) OR #owner = :owner)';
  let replaces = 'NOT (#status IN (:processed, :rejected))';
  if (item.etag !== undefined) {
    names['#etag'] = 'etag';
    values[':etag'] = item.etag;
    replaces = `attribute_not_exists(#etag) OR #etag <> :etag OR ${replaces}`;
  }
  if (asked.regroup && asked.run !== undefined) {
    Object.assign(names, { '#by': 'reprocessedBy' });
    values[':run'] = asked.run;
    replaces += ' OR (attribute_exists(#status) AND (attribute_not_exists(#by) OR #by <> :run))';
  } else if (asked.regroup) {
    replaces += ' OR attribute_exists(#status)';
  } else if (asked.reanalyse && item.analysisVersion !== undefined) {
    names['#analysisVersion'] = 'analysisVersion';
    values[':analysisVersion'] = item.analysisVersion;
    replaces += ' OR attribute_not_exists(#analysisVersion) OR #analysisVersion <> :analysisVersion';
    replaces += ` OR ${otherEdit(item, names, values)}`;
    if (asked.embedding) {
      Object.assign(names, { '#embedding': 'embedding', '#model': 'model', '#dimension': 'dimension' });
      Object.assign(values, { ':model': asked.embedding.model, ':dimension': asked.embedding.dimension });
      replaces +=
        ' OR attribute_not_exists(#embedding) OR #embedding.#model <> :model OR #embedding.#dimension <> :dimension';
    }
  }
  names['#archived'] = 'archived';
  values[':archivedTrue'] = true;
  const sameArchive =
    item.archived === true
      ? '#archived = :archivedTrue'
      : '(attribute_not_exists(#archived) OR #archived <> :archivedTrue)';
  names['#locked'] = 'locked';
  values[':lockedTrue'] = true;
  const sameLock =
    item.locked === true ? '#locked = :lockedTrue' : '(attribute_not_exists(#locked) OR #locked <> :lockedTrue)';
  names['#stackedIn'] = 'stackedIn';
  let sameStacking = 'attribute_not_exists(#stackedIn)';
  if (item.stackedIn !== undefined) {
    values[':stackedIn'] = item.stackedIn;
    sameStacking = '#stackedIn = :stackedIn';
  }
  const filed = `${sameArchive} AND ${sameLock} AND ${sameStacking}`;
  if (reown) {
    return `${notTrashed} AND (${replaces} OR attribute_not_exists(#owner) OR #owner <> :owner) AND ${filed}`;
  }
  return `${notTrashed} AND ${sameOwner} AND (${replaces}) AND ${filed}`;
}

/**
 * The record's pixels were made otherwise than with the values of this run's (`item`'s applied ones: not turned, not
 * cut when absent), and its owner asks for those values: a run that read an earlier rotation or crop writes nothing
 * over one that made the newer (the newer's message makes it again). Each side spelled for a record without the
 * attribute, whatever DynamoDB makes of `<>` on none.
 */
function otherEdit(
  item: Partial<Pick<ImageItem, 'rotationApplied' | 'cropApplied'>>,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string {
  const asked: string[] = [];
  const madeOtherwise: string[] = [];
  for (const edit of REANALYSING_EDITS) {
    const made = appliedValue(edit, item);
    const [value, applied, placeholder] = [`#${edit.name}`, `#${edit.applied}`, `:${edit.applied}`];
    Object.assign(names, { [value]: edit.name, [applied]: edit.applied });
    values[placeholder] = made;
    asked.push(sameAs(edit, value, made, placeholder));
    madeOtherwise.push(otherThan(edit, applied, made, placeholder));
  }
  return `(${asked.join(' AND ')} AND (${madeOtherwise.join(' OR ')}))`;
}
