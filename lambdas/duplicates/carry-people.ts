import type { Box } from '../core/vision-schema';
import { DRAWN_FACE_FIRST, type FaceAssigned, type FaceTarget } from '../people/face-assignment';
import type { FacesRemoved, FaceWord } from '../people/face-corrections';
import type { PeoplePort } from '../people/ports';
import type { ImageItem } from '../store/image-item';

/*
 * A resolve's people corrections (issue 81): what the owner said of a copy's faces is said of the kept photo's same
 * faces. Only the owner's word is carried, never the grouping's: a face they named or gave to another person (or
 * drew), and a face they took out of a person ("not this person"). Each goes through the people store's own
 * correction (assignFace, drawFace, removeFaces: the owner's word, kept through re-clusters) and the record follows
 * as the face routes make it follow (people/functions/face-records.ts, handed over by the resolve's entry point).
 *
 * Which face of the kept photo is a copy's: the boxes are fractions of each photo, the same for a resized copy but
 * shifted and scaled for a cropped one (a 90 % crop moves a face near the edge by a tenth of the frame, and two boxes
 * of one face no longer overlap by half). So the copy is aligned first, then matched by IoU: each pair of a copy's
 * face and a kept face proposes an alignment (the scale of their sizes, the shift of their centres), and so does the
 * identity (a resized copy); an alignment is plausible when it scales each axis by 0.7 to 1.43 (a crop of 70 % at
 * most) and one frame holds the other, within 5 %; the plausible one under which the most faces overlap by
 * MATCH_IOU or more wins (the identity on a tie, then the one of the most overlap in all), and each copy face is the
 * kept face it overlaps most under it, one to one. An owner's face drawn on the copy that matches none is drawn on
 * the kept photo where the alignment puts it.
 */

/** What the carry does with the people store: an image's faces with the owner's word on them, and the corrections. */
export interface PeopleCarryPort extends Pick<PeoplePort, 'get' | 'assignFace' | 'drawFace' | 'removeFaces'> {
  faceWords(owner: string, imageId: string): Promise<FaceWord[]>;
}

/** The kept photo's record and postings following a correction, as the face routes make them follow. */
export interface FaceFollowing {
  assigned(owner: string, imageId: string, assigned: FaceAssigned, box: Box): Promise<void>;
  removed(owner: string, imageId: string, faces: readonly number[]): Promise<void>;
}

export interface PeopleCarryDeps {
  people: PeopleCarryPort;
  follow: FaceFollowing;
}

/** Two boxes of one face after alignment overlap at least this much (intersection over union). */
export const MATCH_IOU = 0.4;
/** The largest scale an alignment may take on an axis (and its inverse the smallest): a crop keeps 70 % or more. */
const MAX_SCALE = 1 / 0.7;
/** How far a frame may spill past the other's it lies within, as a fraction of it. */
const FRAME_SLACK = 0.05;

/** kept = scale * copy + shift, on each axis, in fractions of each photo. */
export interface Alignment {
  sx: number;
  sy: number;
  tx: number;
  ty: number;
}

export const IDENTITY: Alignment = { sx: 1, sy: 1, tx: 0, ty: 0 };

export function aligned(box: Box, a: Alignment): Box {
  return {
    left: a.sx * box.left + a.tx,
    top: a.sy * box.top + a.ty,
    width: a.sx * box.width,
    height: a.sy * box.height,
  };
}

export function iou(a: Box, b: Box): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** One frame within the other on an axis: the copy's [0, 1] lands at [t, t + s] of the kept photo's. */
function holds(s: number, t: number): boolean {
  if (s < 1 / MAX_SCALE || s > MAX_SCALE) return false;
  const inside = t >= -FRAME_SLACK && t + s <= 1 + FRAME_SLACK;
  const around = t <= FRAME_SLACK && t + s >= 1 - FRAME_SLACK;
  return inside || around;
}

/** The alignment a pair of boxes of one face proposes, if it is plausible. */
function proposed(copy: Box, kept: Box): Alignment | undefined {
  if (copy.width <= 0 || copy.height <= 0) return undefined;
  const sx = kept.width / copy.width;
  const sy = kept.height / copy.height;
  const tx = kept.left + kept.width / 2 - sx * (copy.left + copy.width / 2);
  const ty = kept.top + kept.height / 2 - sy * (copy.top + copy.height / 2);
  return holds(sx, tx) && holds(sy, ty) ? { sx, sy, tx, ty } : undefined;
}

/**
 * Each copy face's kept face (by face index), under the best alignment (see the module's note), one to one, the
 * pairs of most overlap first.
 */
export function matchFaces(
  copy: ReadonlyMap<number, Box>,
  kept: ReadonlyMap<number, Box>,
): { alignment: Alignment; matches: Map<number, number> } {
  let best = { alignment: IDENTITY, matches: new Map<number, number>(), overlap: 0 };
  const candidates = [IDENTITY];
  for (const c of copy.values()) {
    for (const k of kept.values()) {
      const alignment = proposed(c, k);
      if (alignment) candidates.push(alignment);
    }
  }
  for (const alignment of candidates) {
    const pairs: { c: number; k: number; overlap: number }[] = [];
    for (const [c, box] of copy) {
      const moved = aligned(box, alignment);
      for (const [k, other] of kept) {
        const overlap = iou(moved, other);
        if (overlap >= MATCH_IOU) pairs.push({ c, k, overlap });
      }
    }
    pairs.sort((a, b) => b.overlap - a.overlap);
    const matches = new Map<number, number>();
    const taken = new Set<number>();
    let overlap = 0;
    for (const pair of pairs) {
      if (matches.has(pair.c) || taken.has(pair.k)) continue;
      matches.set(pair.c, pair.k);
      taken.add(pair.k);
      overlap += pair.overlap;
    }
    const better =
      matches.size > best.matches.size || (matches.size === best.matches.size && overlap > best.overlap + 1e-9);
    if (better) best = { alignment, matches, overlap };
  }
  return { alignment: best.alignment, matches: best.matches };
}

/** A photo's faces by index: the analysis's (`vision.faces`), and those the people table has (a drawn one too). */
function boxesOf(item: ImageItem, words: readonly FaceWord[]): Map<number, Box> {
  const boxes = new Map<number, Box>();
  for (const [index, face] of (item.vision?.faces ?? []).entries()) boxes.set(index, face.box);
  for (const word of words) boxes.set(word.face, word.box);
  return boxes;
}

const clamp = (value: number) => Math.min(1, Math.max(0, value));

/** A box aligned onto the kept photo, kept within it. */
function onKept(box: Box, alignment: Alignment): Box {
  const moved = aligned(box, alignment);
  const left = clamp(moved.left);
  const top = clamp(moved.top);
  return {
    left,
    top,
    width: clamp(moved.left + moved.width) - left,
    height: clamp(moved.top + moved.height) - top,
  };
}

/**
 * Carry the owner's word on the copies' faces to the kept photo; answers how many of its faces changed. The kept
 * photo must have been grouped into people (its `people`; else nothing is carried). Per copy, in order, per face its
 * owner named, gave or drew (`source: owner`, its person still there) or took out of people:
 * - named: its matched kept face joins the person, unless its owner already said who it is (a kept face named by its
 *   owner is left as it is), said it is not that person, or it is in that person already; a drawn face matching
 *   none is drawn on the kept photo;
 * - taken out: its matched kept face leaves its person if it is one the copy's face is not (grouping put it there),
 *   and stays unassigned.
 * A retry finds the kept faces changed already (the owner's now, or unassigned): nothing is carried twice.
 */
export async function carryPeople(
  kept: ImageItem,
  copies: readonly ImageItem[],
  deps: PeopleCarryDeps,
): Promise<number> {
  const owner = kept.owner;
  if (owner === undefined || kept.people === undefined) return 0;
  const keptWords = new Map((await deps.people.faceWords(owner, kept.imageId)).map((word) => [word.face, word]));
  const keptBoxes = boxesOf(kept, [...keptWords.values()]);
  const personOf = async (personId: string | undefined) =>
    personId === undefined ? undefined : (await deps.people.get(owner, personId))?.personId;
  let carried = 0;
  const assigned = async (box: Box, change: Promise<FaceAssigned>) => {
    const done = await change;
    await deps.follow.assigned(owner, kept.imageId, done, box);
    keptWords.set(done.face, { face: done.face, box, personId: done.person.personId, byOwner: true, notPeople: [] });
    keptBoxes.set(done.face, box);
    carried += 1;
  };
  for (const copy of copies) {
    const words = (await deps.people.faceWords(owner, copy.imageId)).filter(
      (word) => (word.byOwner && word.personId !== undefined) || word.notPeople.length > 0,
    );
    if (words.length === 0) continue;
    const { alignment, matches } = matchFaces(boxesOf(copy, words), keptBoxes);
    for (const word of words) {
      const match = matches.get(word.face);
      const target = match === undefined ? undefined : keptWords.get(match);
      const box = match === undefined ? undefined : keptBoxes.get(match);
      if (word.personId !== undefined) {
        const personId = await personOf(word.personId);
        if (personId === undefined) continue;
        const to: FaceTarget = { personId };
        if (match === undefined || box === undefined) {
          if (word.face < DRAWN_FACE_FIRST) continue;
          const drawn = onKept(word.box, alignment);
          if (drawn.width <= 0 || drawn.height <= 0) continue;
          await assigned(drawn, deps.people.drawFace(owner, kept.imageId, drawn, to));
          continue;
        }
        if (target?.byOwner === true || target?.notPeople.includes(personId)) continue;
        if ((await personOf(target?.personId)) === personId) continue;
        await assigned(box, deps.people.assignFace(owner, kept.imageId, match, to, box));
      } else if (match !== undefined && target?.personId !== undefined && !target.byOwner) {
        const current = await personOf(target.personId);
        const not = new Set(word.notPeople);
        const resolvedNot = await Promise.all(word.notPeople.map(personOf));
        if (!not.has(target.personId) && (current === undefined || !resolvedNot.includes(current))) continue;
        const removed: FacesRemoved = await deps.people.removeFaces(owner, target.personId, kept.imageId, match);
        await deps.follow.removed(owner, kept.imageId, removed.faces);
        keptWords.set(match, { face: match, box: target.box, byOwner: true, notPeople: word.notPeople });
        carried += 1;
      }
    }
  }
  return carried;
}
