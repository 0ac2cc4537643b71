import { hammingDistance } from '../core/analysis/phash';
import type { ImageItem } from '../store/image-item';
import type { BurstPosting, PairPosting, PostingPort, StackItem, StackKind } from './stack-store';
import { framesOf, newStackId, refusal, roles, type StacksDeps, stackOf } from './stacks';
import { MAX_STACK_FRAMES } from './table-design';

/*
 * Stacks made as photos arrive (the `stack` processor step, steps/stack.ts):
 * - a burst: the same camera (EXIF make and model), taken at most BURST_WINDOW_MS apart (EXIF DateTimeOriginal and
 *   SubSecTimeOriginal), near-duplicates (perceptual hashes at most BURST_MAX_DISTANCE bits apart);
 * - a pair: the same base file name (`IMG_0001.CR3`, `IMG_0001.JPG`) taken in the same second, of any two formats.
 * The neighbours are found by key, never by a scan: each photo posts itself under its camera and second and under
 * its base name and second (stack-store.ts), then reads the postings of its second and the seconds either side,
 * each read bounded. It posts before it reads, so of two frames processed at once at least one finds the other; both
 * may, and the transactions (conditional on every frame's record) let one make the stack and the other join it.
 */

/** Frames of a burst are at most this far apart, frame to frame. */
export const BURST_WINDOW_MS = 1000;
/** The most bits two frames' perceptual hashes may differ by (of 64): a burst's frames are near-duplicates. */
export const BURST_MAX_DISTANCE = 12;
/** Postings read per second of a camera: more frames than any camera shoots in a second (bounded reads). */
const BURST_READ_LIMIT = 60;
/** Files read per base name and second: the formats of one shot. */
const PAIR_READ_LIMIT = 10;
/** Tries of a stack made or joined that finds a frame changed since it was read. */
const ATTEMPTS = 4;

export interface AutoStackDeps extends StacksDeps {
  postings: PostingPort;
}

/** What a photo posts, from its record: nothing without an owner, a date taken or (a burst) a camera and a hash. */
export function postingsOf(record: ImageItem): { burst?: BurstPosting; pair?: PairPosting } {
  const owner = record.owner;
  const analysis = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
  const exif = analysis?.metadata.exif;
  if (owner === undefined || exif?.takenAt === undefined) return {};
  const second = exif.takenAt;
  const camera = exif.make !== undefined || exif.model !== undefined ? cameraOf(exif.make, exif.model) : undefined;
  const phash = analysis?.hashes.phash;
  const base = record.filename === undefined ? undefined : baseName(record.filename);
  return {
    ...(camera !== undefined &&
      phash !== undefined && {
        burst: { owner, camera, second, ms: exif.takenAtMs ?? 0, imageId: record.imageId, phash },
      }),
    ...(base !== undefined && { pair: { owner, base, second, imageId: record.imageId } }),
  };
}

/** One key part for a camera: make and model, lower case, URI-encoded (no `#`). */
export function cameraOf(make: string | undefined, model: string | undefined): string {
  return encodeURIComponent(`${make ?? ''}|${model ?? ''}`.toLowerCase());
}

/** `IMG_0001.CR3` and `img_0001.jpg` are one shot's: the name without its folder and last extension, lower case. */
export function baseName(filename: string): string | undefined {
  const name = filename.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  const base = (dot > 0 ? name.slice(0, dot) : name).trim().toLowerCase();
  return base === '' ? undefined : encodeURIComponent(base);
}

/** `YYYY-MM-DDTHH:MM:SS` moved by whole seconds (read as UTC: EXIF's local time has no zone). */
function shifted(second: string, by: number): string {
  return new Date(Date.parse(`${second}Z`) + by * 1000).toISOString().slice(0, 19);
}

/** Milliseconds since the epoch of a posting's moment, to compare frames. */
const momentOf = (second: string, ms: number) => Date.parse(`${second}Z`) + ms;

/** The photos this one belongs with, by its postings: burst neighbours and other formats, not itself. */
export async function neighboursOf(
  own: { burst?: BurstPosting; pair?: PairPosting },
  postings: PostingPort,
): Promise<{ ids: string[]; kind: StackKind } | undefined> {
  const ids = new Set<string>();
  let kind: StackKind = 'burst';
  const { burst, pair } = own;
  if (burst) {
    const seconds = [shifted(burst.second, -1), burst.second, shifted(burst.second, 1)];
    const near = await postings.burstsIn(burst.owner, burst.camera, seconds, BURST_READ_LIMIT);
    const at = momentOf(burst.second, burst.ms);
    for (const other of near) {
      if (other.imageId === burst.imageId) continue;
      if (Math.abs(momentOf(other.second, other.ms) - at) > BURST_WINDOW_MS) continue;
      if (hammingDistance(other.phash, burst.phash) > BURST_MAX_DISTANCE) continue;
      ids.add(other.imageId);
    }
  }
  if (pair && ids.size === 0) {
    const others = await postings.pairsOf(pair.owner, pair.base, pair.second, PAIR_READ_LIMIT);
    for (const other of others) if (other.imageId !== pair.imageId) ids.add(other.imageId);
    kind = 'pair';
  }
  return ids.size === 0 ? undefined : { ids: [...ids].sort(), kind };
}

/** A browser shows these formats: of frames taken at once (a pair), the primary is one of them. */
const SHOWN_FORMATS = new Set(['jpeg', 'png', 'webp', 'avif', 'gif']);

/** The frames in the order a stack keeps them: the primary first (the earliest taken, a shown format first), then by time. */
export function framesInOrder(records: readonly ImageItem[]): ImageItem[] {
  const key = (record: ImageItem) => {
    const metadata = record.analysis?.status === 'PROCESSED' ? record.analysis.metadata : undefined;
    const exif = metadata?.exif;
    const moment = exif?.takenAt ? momentOf(exif.takenAt, exif.takenAtMs ?? 0) : Number.MAX_SAFE_INTEGER;
    return { moment, hidden: metadata && SHOWN_FORMATS.has(metadata.format) ? 0 : 1, id: record.imageId };
  };
  return [...records].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x.moment - y.moment || x.hidden - y.hidden || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  });
}

/**
 * A stack's frames: `first`, then `behind` in time order, then any frame of the stack whose record was not read (as
 * it was: a frame is never dropped by a join).
 */
function inTimeOrder(first: ImageItem, behind: ImageItem[], stack: StackItem): string[] {
  const ids = [first.imageId, ...framesInOrder(behind).map((frame) => frame.imageId)];
  return [...ids, ...stack.frames.filter((id) => !ids.includes(id))];
}

export type AutoStacked = 'alone' | 'made' | 'joined' | 'refused';

/**
 * Stack an arriving photo with its neighbours:
 * 1. refused (no owner, not PROCESSED, locked, archived, already stacked): nothing;
 * 2. post it, then read its neighbours' postings (neighboursOf): none, `alone`;
 * 3. read its neighbours' records: one already in a stack (with room in it) is joined (`joined`), the photo behind its
 *    primary, the primary's count raised (or, taken before the primary of a stack made automatically, as its primary);
 *    else a stack of it and every neighbour free to join is made (`made`);
 * 4. a record changed meanwhile (another frame's processor made the stack first) starts step 3 again.
 */
export async function autoStack(stored: ImageItem, deps: AutoStackDeps): Promise<AutoStacked> {
  if (stored.owner === undefined || refusal(stored)) return 'refused';
  const own = postingsOf(stored);
  if (!own.burst && !own.pair) return 'alone';
  await deps.postings.post(own);
  const found = await neighboursOf(own, deps.postings);
  if (!found) return 'alone';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [me, ...others] = await deps.stacks.records([stored.imageId, ...found.ids]);
    if (me?.imageId !== stored.imageId) return 'refused';
    // Another frame's processor stacked it meanwhile.
    if (stackOf(me) !== undefined) return 'joined';
    if (refusal(me)) return 'refused';
    const mine = others.filter((other) => other.owner === me.owner && other.locked !== true);
    const stackIds = [...new Set(mine.map(stackOf).filter((id): id is string => id !== undefined))].sort();
    const now = (deps.now?.() ?? new Date()).toISOString();
    let joined: StackItem | undefined;
    for (const stackId of stackIds) {
      const stack = await deps.stacks.stack(stackId);
      if (stack && stack.owner === me.owner && stack.frames.length < MAX_STACK_FRAMES) joined = stack;
      if (joined) break;
    }
    if (joined) {
      const [primary] = await deps.stacks.records([joined.primary]);
      if (!primary) continue;
      // A frame taken before the primary of a stack made automatically leads it (frames of a burst arrive in any
      // order on parallel processors); a primary the owner chose stays.
      const leads = joined.kind !== 'manual' && framesInOrder([primary, me])[0]?.imageId === me.imageId;
      // Behind the primary the frames stay in time order: the photo takes its place among them, wherever it is.
      const held = await framesOf(joined, deps);
      const first = leads ? me : primary;
      const behind = [...held, me].filter((frame) => frame.imageId !== first.imageId);
      const next = { ...joined, primary: first.imageId, frames: inTimeOrder(first, behind, joined), updatedAt: now };
      // A new primary is recorded on every frame (stackPrimary); else the primary's count and the photo change.
      const changed = leads ? [...held, me] : [primary, me];
      const write = { stack: { replace: next, seen: joined.updatedAt }, frames: roles(next, changed), at: now };
      if (await deps.stacks.commit(write)) return 'joined';
      continue;
    }
    const free = mine.filter((other) => refusal(other) === undefined);
    if (free.length === 0) return 'alone';
    const frames = framesInOrder([me, ...free]).slice(0, MAX_STACK_FRAMES);
    const ids = frames.map((frame) => frame.imageId);
    const stack: StackItem = {
      stackId: newStackId(),
      owner: me.owner as string,
      primary: ids[0] as string,
      frames: ids,
      kind: found.kind,
      createdAt: now,
      updatedAt: now,
    };
    if (await deps.stacks.commit({ stack: { put: stack }, frames: roles(stack, frames), at: now })) return 'made';
  }
  throw new Error(`image ${stored.imageId}: its neighbours kept changing while it was being stacked`);
}
