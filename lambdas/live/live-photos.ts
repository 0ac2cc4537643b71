import type { Motion } from '../core/record';
import { baseName } from '../stacks/auto-stack';
import type { ImageItem } from '../store/image-item';

/*
 * Live Photos: an iPhone's still (IMG_1234.HEIC or .JPG) and its MOV (IMG_1234.MOV), uploaded as two files, paired
 * into one item as they arrive, in either order (the stacks room's RAW+JPEG pairing, by owner and base name, without
 * its second: a MOV has no EXIF date). Each posts itself under its owner's base name, then reads that name's
 * postings (one bounded query): of two arriving at once at least one finds the other, and both write the same pair.
 * When both carry Apple's content identifier (the still's MakerNote 17, the MOV's QuickTime metadata), they pair only
 * if it is the same.
 *
 * The MOV is no image: its upload's record is deleted once the MOV is kept here (the `V#` item), so no list, search,
 * timeline, count or trash ever meets it. The still's record names it (`analysis.metadata.motion`, kind
 * `live-photo`, with its key). A MOV whose still has not come stays kept, unpaired, and pairs when the still comes.
 */

/** A still's and a MOV's postings under their owner's base name read at most. */
const POSTINGS_READ_LIMIT = 20;

/** A MOV kept as a Live Photo's video. */
export interface LiveVideo {
  /** The id of its upload (`POST /uploads`), whose record is deleted once this is kept. */
  imageId: string;
  owner: string;
  /** The file name's base (stacks' baseName): absent when the upload named no file (it can then never pair). */
  base?: string;
  bucket: string;
  key: string;
  bytes: number;
  durationSeconds?: number;
  contentIdentifier?: string;
  createdAt: string;
  /** The still it is paired with. */
  still?: string;
}

/** A still's or a MOV's posting under its owner's base name. */
export interface LivePosting {
  owner: string;
  base: string;
  role: 'still' | 'video';
  imageId: string;
  contentIdentifier?: string;
  /** A MOV's facts, so that a still that finds it needs no second read. */
  video?: Pick<LiveVideo, 'key' | 'bytes' | 'durationSeconds'>;
}

/** The Live Photos table, and the two writes it makes to the results table. */
export interface LivePort {
  /** Keep the MOV (its `V#` item); false, writing nothing, when it is already kept (a duplicate delivery). */
  keepVideo(video: LiveVideo): Promise<boolean>;
  video(imageId: string): Promise<LiveVideo | undefined>;
  post(posting: LivePosting): Promise<void>;
  postings(owner: string, base: string, limit: number): Promise<LivePosting[]>;
  unpost(posting: Pick<LivePosting, 'owner' | 'base' | 'role' | 'imageId'>): Promise<void>;
  /** Record on the MOV's item which still it moves. */
  pairVideo(videoId: string, stillId: string): Promise<void>;
  /**
   * Set the still's `analysis.metadata.motion`, if the record is its owner's and PROCESSED (not trashed, not
   * another's): false when it is not.
   */
  setMotion(stillId: string, owner: string, motion: Motion): Promise<boolean>;
  /** Delete the MOV's upload record, if it is still PENDING (the MOV is kept here instead). */
  forgetUpload(imageId: string): Promise<void>;
  /** Delete the MOV for good: its object, its posting and its item. */
  removeVideo(video: LiveVideo): Promise<void>;
}

export interface LiveDeps {
  live: LivePort;
  now?: () => Date;
}

/** Still formats a Live Photo has. */
const STILL_FORMATS = new Set(['heic', 'jpeg']);

/** The still's motion once paired with this MOV. */
export function liveMotion(video: Pick<LiveVideo, 'imageId' | 'key' | 'bytes' | 'durationSeconds'>): Motion {
  return {
    kind: 'live-photo',
    format: 'mov',
    bytes: video.bytes,
    ...(video.durationSeconds !== undefined && { durationSeconds: video.durationSeconds }),
    key: video.key,
    imageId: video.imageId,
  };
}

/** Whether a still and a MOV may be one Live Photo: the same content identifier when both have one. */
function matches(a: { contentIdentifier?: string }, b: { contentIdentifier?: string }): boolean {
  return a.contentIdentifier === undefined || b.contentIdentifier === undefined
    ? true
    : a.contentIdentifier === b.contentIdentifier;
}

/** Of the other role's postings that match, the one with the same identifier first, then the latest upload. */
function partnerOf(own: LivePosting, postings: readonly LivePosting[]): LivePosting | undefined {
  const candidates = postings
    .filter((other) => other.role !== own.role && other.owner === own.owner && matches(own, other))
    .sort((a, b) => {
      const sameA = a.contentIdentifier !== undefined && a.contentIdentifier === own.contentIdentifier ? 0 : 1;
      const sameB = b.contentIdentifier !== undefined && b.contentIdentifier === own.contentIdentifier ? 0 : 1;
      return sameA - sameB || (a.imageId < b.imageId ? 1 : a.imageId > b.imageId ? -1 : 0);
    });
  return candidates[0];
}

export type VideoArrived = 'paired' | 'pending';

/**
 * A MOV arrives (the `live-video` step, before any decode):
 * 1. keep it (its `V#` item; a duplicate delivery finds it kept and goes on, as every write below is idempotent);
 * 2. post it under its owner's base name and read that name's postings: a still found gets its motion;
 * 3. delete its upload's record, so it is in no list.
 */
export async function videoArrives(video: LiveVideo, deps: LiveDeps): Promise<VideoArrived> {
  await deps.live.keepVideo(video);
  let outcome: VideoArrived = 'pending';
  if (video.base !== undefined) {
    const own: LivePosting = {
      owner: video.owner,
      base: video.base,
      role: 'video',
      imageId: video.imageId,
      ...(video.contentIdentifier !== undefined && { contentIdentifier: video.contentIdentifier }),
      video: {
        key: video.key,
        bytes: video.bytes,
        ...(video.durationSeconds !== undefined && { durationSeconds: video.durationSeconds }),
      },
    };
    await deps.live.post(own);
    const still = partnerOf(own, await deps.live.postings(video.owner, video.base, POSTINGS_READ_LIMIT));
    if (still && (await deps.live.setMotion(still.imageId, video.owner, liveMotion(video)))) {
      await deps.live.pairVideo(video.imageId, still.imageId);
      outcome = 'paired';
    }
  }
  await deps.live.forgetUpload(video.imageId);
  return outcome;
}

/**
 * The still's posting, from its stored record: none unless it is a PROCESSED HEIC or JPEG with an owner and a name,
 * from an Apple camera (its content identifier, or its EXIF make): the other 100 million photos of a deployment
 * neither post nor read, so Live Photos cost nothing to those who make none.
 */
export function stillPosting(record: ImageItem): LivePosting | undefined {
  const analysis = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
  const base = record.filename === undefined ? undefined : baseName(record.filename);
  if (!analysis || record.owner === undefined || base === undefined) return undefined;
  const { metadata } = analysis;
  // A motion photo carries its own video.
  if (!STILL_FORMATS.has(metadata.format) || metadata.motion?.kind === 'motion-photo') return undefined;
  const apple = metadata.contentIdentifier !== undefined || /^apple/i.test(metadata.exif?.make ?? '');
  if (!apple) return undefined;
  return {
    owner: record.owner,
    base,
    role: 'still',
    imageId: record.imageId,
    ...(metadata.contentIdentifier !== undefined && { contentIdentifier: metadata.contentIdentifier }),
  };
}

/**
 * A still is stored (the `live-still` step, once its event is out): it posts itself under its owner's base name and
 * reads that name's postings; a MOV found moves it (its motion set, the MOV's item told). A re-analysis rewrites the
 * analysis without the motion, and this sets it again.
 */
export async function stillArrives(record: ImageItem, deps: LiveDeps): Promise<'paired' | 'alone' | 'refused'> {
  const own = stillPosting(record);
  if (!own) return 'refused';
  await deps.live.post(own);
  const found = partnerOf(own, await deps.live.postings(own.owner, own.base, POSTINGS_READ_LIMIT));
  if (!found?.video) return 'alone';
  const motion = liveMotion({ imageId: found.imageId, ...found.video });
  if (!(await deps.live.setMotion(record.imageId, own.owner, motion))) return 'refused';
  await deps.live.pairVideo(found.imageId, record.imageId);
  return 'paired';
}

/**
 * A still deleted for good takes its MOV with it (the object, its item and posting), and its own posting, so no later
 * MOV pairs with a still that is gone. Trashing keeps both: a restore brings the Live Photo back whole.
 */
export async function stillRemoved(record: ImageItem, deps: LiveDeps): Promise<void> {
  const analysis = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
  const motion = analysis?.metadata.motion;
  if (motion?.kind === 'live-photo' && motion.imageId !== undefined) {
    const video = await deps.live.video(motion.imageId);
    // Only a MOV that moves this still (a later still of the same name may have taken it).
    const ours = video?.still === undefined || video.still === record.imageId;
    if (video && ours && video.owner === record.owner) await deps.live.removeVideo(video);
  }
  const own = stillPosting(record);
  if (own) await deps.live.unpost(own);
}
