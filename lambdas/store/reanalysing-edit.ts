import { type Crop, FULL_FRAME, sameCrop } from '../core/crop';
import type { Rotation } from '../core/options';
import type { ImageItem } from './image-item';

/** The edits that re-analyse an image, by the record's attribute of each. */
export type EditName = 'rotation' | 'crop';

/**
 * An owner's edit of the upright picture that changes its pixels (a rotation, a crop), as the record keeps it: the
 * value asked (`rotation`), the one the analysis, thumbnails and renditions were made with (`rotationApplied`, behind
 * it until the processor has run; renditions are keyed by it), and the mark of the message that sent the image to be
 * analysed again (`rotationSent`). Each is written by one conditional update (edit-ask.ts); a processing run makes the
 * pixels of every one (final-condition.ts, the processor's decode step). A new such edit is one more of these, in
 * REANALYSING_EDITS, with its three attributes on the record.
 */
export interface ReanalysingEdit<V, N extends EditName = EditName> {
  /** The record's attribute its owner's value is kept in; also its name in `Image Updated`'s `changed`. */
  readonly name: N;
  /** The attribute of the value the pixels were made with. */
  readonly applied: 'rotationApplied' | 'cropApplied';
  /** The attribute of the mark of the message that last sent the image to be made again with `name`'s value. */
  readonly sent: 'rotationSent' | 'cropSent';
  /** The value of a record without the attribute: no edit (no turn, the whole picture). */
  readonly none: V;
  /** The value an attribute held (absent: `none`) is `value`. */
  same(held: V | undefined, value: V): boolean;
  /**
   * The edits whose picture this one's value is of (a crop is of the picture after its turn): the write requires
   * them as the request read them.
   */
  readonly after?: readonly ReanalysingEdit<unknown>[];
}

/** Clockwise quarter turns after the EXIF orientation (`PUT /images/{id}/rotation`). */
export const ROTATION_EDIT: ReanalysingEdit<Rotation, 'rotation'> = {
  name: 'rotation',
  applied: 'rotationApplied',
  sent: 'rotationSent',
  none: 0,
  same: (held, turn) => (held ?? 0) === turn,
};

/**
 * The part of the picture kept (`PUT`, `DELETE /images/{id}/crop`), of the picture before its owner's turn
 * (core/crop.ts). DynamoDB compares maps whole; a crop's numbers are normalised, so the same crop is the same map.
 */
export const CROP_EDIT: ReanalysingEdit<Crop, 'crop'> = {
  name: 'crop',
  applied: 'cropApplied',
  sent: 'cropSent',
  none: FULL_FRAME,
  same: (held, crop) => sameCrop(held, crop),
  after: [ROTATION_EDIT],
};

/** Every edit a processing run makes the pixels of, in the order the pixels are made (turned, then cut). */
export const REANALYSING_EDITS: readonly ReanalysingEdit<unknown>[] = [
  ROTATION_EDIT,
  CROP_EDIT,
] as readonly ReanalysingEdit<unknown>[];

/** The edit's value on the record (absent: none). */
export function editValue<V>(edit: ReanalysingEdit<V>, item: Partial<Pick<ImageItem, EditName>>): V {
  return (item[edit.name] as V | undefined) ?? edit.none;
}

/** The value the record's pixels were made with (absent: none). */
export function appliedValue<V>(
  edit: ReanalysingEdit<V>,
  item: Partial<Pick<ImageItem, ReanalysingEdit<V>['applied']>>,
): V {
  return (item[edit.applied] as V | undefined) ?? edit.none;
}

/** Its owner asked for another value of the edit than the pixels were made with: the image is to be made again. */
export function editPending<V>(
  edit: ReanalysingEdit<V>,
  item: Partial<Pick<ImageItem, EditName | ReanalysingEdit<V>['applied']>>,
): boolean {
  return !edit.same(item[edit.name] as V | undefined, appliedValue(edit, item));
}

/**
 * The attribute holds another value than the one at `placeholder`, an absent one being none: spelled for each side,
 * whatever DynamoDB makes of `<>` on an attribute that is not there.
 */
export function otherThan<V>(edit: ReanalysingEdit<V>, attribute: string, value: V, placeholder: string): string {
  return edit.same(undefined, value)
    ? `(attribute_exists(${attribute}) AND ${attribute} <> ${placeholder})`
    : `(attribute_not_exists(${attribute}) OR ${attribute} <> ${placeholder})`;
}

/** The attribute holds the value at `placeholder`, an absent one being none. */
export function sameAs<V>(edit: ReanalysingEdit<V>, attribute: string, value: V, placeholder: string): string {
  return edit.same(undefined, value)
    ? `(attribute_not_exists(${attribute}) OR ${attribute} = ${placeholder})`
    : `${attribute} = ${placeholder}`;
}
