/**
 * The search-scale bench's synthetic library: N images, deterministic for a seed.
 *
 * 1. Plan every image in upload order (cheap, kept in typed arrays): its owner (one heavy owner holding
 *    HEAVY_SHARE of the images, the rest spread over TAIL_OWNERS small owners by Zipf), its kind (an original, a
 *    near-duplicate of one of the owner's earlier originals, or an exact copy of one of the owner's earlier images),
 *    its picture (photo, screenshot, document page) and its final status (mostly PROCESSED, some REJECTED, FAILED).
 * 2. Make each image's content from its own seeded stream (content.ts); a duplicate makes its source's
 *    content again from the source's index, so nothing but the plan is kept.
 * 3. Assemble the two records the pipeline writes: the PENDING item create-upload puts, and the final item the
 *    processor writes (what `finalise` is given before the search terms are added).
 */

import { ulid } from 'ulid';
import { FORMAT_MEDIA_TYPES } from '../../lambdas/core/vocabulary';
import type { UploadContentType } from '../../lambdas/settings';
import type { ImageItem } from '../../lambdas/store/image-item';
import { uploadKey } from '../../lambdas/store/keys';
import { IMAGE_ENTITY } from '../../lambdas/store/table-design';
import { rngFor } from '../../test/fuzz/prng';
import { type Content, nearContent, originalContent, type Picture, sceneFor } from './content';
import { type Block, newLayout } from './raster';
import { filenameOf, processedItem, rejectedItem } from './records';
import { type Vocabulary, vocabularyFor, zipf } from './vocabulary';

export const HEAVY_OWNER = 'studio';
/** Share of the images the heavy owner holds (an agency's or a shop's account among many people's). */
export const HEAVY_SHARE = 0.8;
export const TAIL_OWNERS = 400;
export const NEAR_SHARE = 0.1;
export const EXACT_SHARE = 0.02;
export const SCREEN_SHARE = 0.03;
export const PAGE_SHARE = 0.01;
export const REJECTED_SHARE = 0.03;
export const FAILED_SHARE = 0.01;
/** App screens and document templates: screenshots of one app look alike. */
const LAYOUTS = 30;
/** Uploads spread over two years, in order. */
const START_MS = Date.parse('2024-01-01T00:00:00Z');
const SPAN_MS = 730 * 86_400_000;
export const BUCKET = 'search-scale-images';

const KINDS = ['original', 'near', 'exact'] as const;
export type ImageKind = (typeof KINDS)[number];
const PICTURES: readonly Picture[] = ['photo', 'screen', 'page'];
const STATUSES = ['PROCESSED', 'REJECTED', 'FAILED'] as const;

export interface SyntheticImage {
  index: number;
  /** What create-upload puts. */
  pending: ImageItem;
  /** What the processor writes, before `withTerms` adds the search terms. */
  final: ImageItem;
  kind: ImageKind;
  picture: Picture;
  /** The image a near or exact duplicate copies. */
  of?: string;
  content?: Content;
}

/** The plan of a library: one entry per image, in upload order. */
export interface Plan {
  images: number;
  seed: number;
  owners: string[];
  owner: Uint16Array;
  kind: Uint8Array;
  picture: Uint8Array;
  status: Uint8Array;
  /** Index of the copied image, or -1. */
  of: Int32Array;
  layout: Uint8Array;
}

/** Streams of the seed, one per purpose, so that adding draws to one changes no other. */
const STREAM = { plan: 1, vocabulary: 2, layouts: 3, content: 1_000_000, scene: 3_000_000, id: 5_000_000 };

export function planLibrary(images: number, seed: number): Plan {
  const rng = rngFor(seed, STREAM.plan);
  const owners = [HEAVY_OWNER, ...Array.from({ length: TAIL_OWNERS }, (_, i) => `user-${String(i).padStart(3, '0')}`)];
  const tail = zipf(TAIL_OWNERS, 1.0);
  const plan: Plan = {
    images,
    seed,
    owners,
    owner: new Uint16Array(images),
    kind: new Uint8Array(images),
    picture: new Uint8Array(images),
    status: new Uint8Array(images),
    of: new Int32Array(images).fill(-1),
    layout: new Uint8Array(images),
  };
  // Per owner, earlier PROCESSED originals (near-duplicate sources) and earlier PROCESSED images (copy sources).
  const originals = owners.map(() => [] as number[]);
  const processed = owners.map(() => [] as number[]);
  for (let i = 0; i < images; i++) {
    const owner = rng.chance(HEAVY_SHARE) ? 0 : 1 + tail(rng);
    plan.owner[i] = owner;
    const roll = rng.next();
    const kind: ImageKind =
      roll < EXACT_SHARE && processed[owner]?.length
        ? 'exact'
        : roll < EXACT_SHARE + NEAR_SHARE && originals[owner]?.length
          ? 'near'
          : 'original';
    plan.kind[i] = KINDS.indexOf(kind);
    const sources = kind === 'exact' ? processed[owner] : originals[owner];
    const of = sources ? (sources[rng.int(sources.length)] ?? -1) : -1;
    if (kind !== 'original') {
      plan.of[i] = of;
      plan.picture[i] = plan.picture[of] as number;
      plan.layout[i] = plan.layout[of] as number;
    } else {
      const picture = rng.next();
      plan.picture[i] = picture < PAGE_SHARE ? 2 : picture < PAGE_SHARE + SCREEN_SHARE ? 1 : 0;
      plan.layout[i] = rng.int(LAYOUTS);
    }
    const status = rng.next();
    plan.status[i] =
      kind === 'exact' ? 0 : status < REJECTED_SHARE ? 1 : status < REJECTED_SHARE + FAILED_SHARE ? 2 : 0;
    if (plan.status[i] === 0) {
      processed[owner]?.push(i);
      if (kind === 'original') originals[owner]?.push(i);
    }
  }
  return plan;
}

/** When image `index` was uploaded: evenly over two years, strictly increasing. */
export function createdAtOf(plan: Plan, index: number): number {
  const jitter = rngFor(plan.seed, STREAM.id + index).next();
  return START_MS + Math.floor(((index + 0.9 * jitter) * SPAN_MS) / plan.images);
}

/** The image's ULID, from its upload time and its own stream. */
export function imageIdOf(plan: Plan, index: number): string {
  const rng = rngFor(plan.seed, STREAM.id + index);
  rng.next();
  return ulid(createdAtOf(plan, index), () => rng.next());
}

/** The library: its plan and a generator of its images in upload order. */
export class Library {
  readonly plan: Plan;
  private readonly vocabulary: Vocabulary;
  private readonly layouts: Block[][];

  constructor(images: number, seed: number) {
    this.plan = planLibrary(images, seed);
    this.vocabulary = vocabularyFor(rngFor(seed, STREAM.vocabulary));
    const layouts = rngFor(seed, STREAM.layouts);
    this.layouts = Array.from({ length: LAYOUTS }, () => newLayout(layouts));
  }

  ownerOf(index: number): string {
    return this.plan.owners[this.plan.owner[index] as number] as string;
  }

  kindOf(index: number): ImageKind {
    return KINDS[this.plan.kind[index] as number] as ImageKind;
  }

  *images(): Generator<SyntheticImage> {
    for (let index = 0; index < this.plan.images; index++) yield this.image(index);
  }

  /** Image `index`, made again from its plan and its streams. */
  image(index: number): SyntheticImage {
    const { plan } = this;
    const imageId = imageIdOf(plan, index);
    const createdAt = new Date(createdAtOf(plan, index)).toISOString();
    const picture = PICTURES[plan.picture[index] as number] as Picture;
    const kind = this.kindOf(index);
    const of = plan.of[index] as number;
    const content = this.contentOf(index);
    const rng = rngFor(plan.seed, STREAM.content + plan.images + index);
    const contentType: UploadContentType = content.format === 'svg' ? 'image/png' : FORMAT_MEDIA_TYPES[content.format];
    const filename = filenameOf(picture, createdAt, rng);
    const pending: ImageItem = {
      imageId,
      entity: IMAGE_ENTITY,
      status: 'PENDING',
      createdAt,
      updatedAt: createdAt,
      owner: this.ownerOf(index),
      bucket: BUCKET,
      key: uploadKey(imageId, contentType),
      contentType,
      filename,
      ...(index % 10 < 3 && { tags: tagsOf(index) }),
      expiresAt: Math.floor(Date.parse(createdAt) / 1000) + 86_400,
    };
    const status = STATUSES[plan.status[index] as number] as (typeof STATUSES)[number];
    const updatedAt = new Date(Date.parse(createdAt) + 2000 + rng.int(8000)).toISOString();
    const base: ImageItem = {
      ...pending,
      status,
      updatedAt,
      expiresAt: undefined,
      etag: `"${content.sha256.slice(0, 32)}"`,
      attempts: 1,
    };
    const final =
      status === 'PROCESSED'
        ? processedItem(base, content, kind === 'exact' ? imageIdOf(plan, this.rootOf(index)) : undefined, rng)
        : status === 'REJECTED'
          ? rejectedItem(base, content, rng)
          : { ...base, attempts: 5, error: { code: 'TimeoutError', message: 'the vision function timed out' } };
    return { index, pending, final, kind, picture, of: of >= 0 ? imageIdOf(plan, of) : undefined, content };
  }

  /** The oldest image with the same bytes: what the processor's duplicate lookup names. */
  private rootOf(index: number): number {
    let root = index;
    while (this.kindOf(root) === 'exact') root = this.plan.of[root] as number;
    return root;
  }

  private contentOf(index: number): Content {
    const { plan } = this;
    const kind = this.kindOf(index);
    const of = plan.of[index] as number;
    if (kind === 'exact') return this.contentOf(of);
    const rng = rngFor(plan.seed, STREAM.content + index);
    if (kind === 'near') return nearContent(this.contentOf(of), this.sceneOf(of), this.vocabulary, rng);
    const picture = PICTURES[plan.picture[index] as number] as Picture;
    const createdAt = new Date(createdAtOf(plan, index)).toISOString();
    return originalContent(picture, createdAt, this.vocabulary, this.sceneOf(index), rng);
  }

  private sceneOf(index: number) {
    const picture = PICTURES[this.plan.picture[index] as number] as Picture;
    return sceneFor(
      picture,
      this.layouts[this.plan.layout[index] as number],
      rngFor(this.plan.seed, STREAM.scene + index),
    );
  }
}

/** The library in a few lines: who holds what, statuses, kinds and pictures. */
export function librarySummary(library: Library): Record<string, number | string> {
  const { plan } = library;
  const tally = (values: ArrayLike<number>, of: number) =>
    Array.prototype.filter.call(values, (v: number) => v === of).length;
  return {
    images: plan.images,
    owners: `${HEAVY_OWNER} holds ${tally(plan.owner, 0)} (${HEAVY_SHARE * 100} % drawn); ${TAIL_OWNERS} others by Zipf (s = 1) hold the rest, the largest ${tally(plan.owner, 1)}`,
    'PROCESSED / REJECTED / FAILED': `${tally(plan.status, 0)} / ${tally(plan.status, 1)} / ${tally(plan.status, 2)}`,
    'originals / near-duplicates / exact copies': `${tally(plan.kind, 0)} / ${tally(plan.kind, 1)} / ${tally(plan.kind, 2)}`,
    'photos / screenshots / document pages': `${tally(plan.picture, 0)} / ${tally(plan.picture, 1)} / ${tally(plan.picture, 2)}`,
  };
}

/** Albums a client tags uploads with, as people name them (accents, a hash sign, two words). */
const ALBUMS = ['Holiday 2024', '#family', 'Été au lac', 'Wedding', 'Garden', 'Receipts', 'Hiking trip', 'Kids'];

/**
 * The tags of a tagged upload (3 in 10 are): one or two albums, from the index alone so that no draw of the image's
 * streams moves (the same seed makes the same images as before tags were added, but for the tags).
 */
function tagsOf(index: number): string[] {
  const first = ALBUMS[(index * 7919) % ALBUMS.length] as string;
  const second = ALBUMS[(index * 104_729 + 3) % ALBUMS.length] as string;
  return index % 3 === 0 && second !== first ? [first, second] : [first];
}
