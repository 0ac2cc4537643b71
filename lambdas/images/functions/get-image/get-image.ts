import type { RenditionLimits } from '../../../core/render/rendition-spec';
import type { Box } from '../../../core/vision-schema';
import type { PeoplePort } from '../../../people/ports';
import {
  type PresetRendition,
  presetRenditions,
  type RenditionSigner,
  renderableImage,
} from '../../../renditions/urls';
import { type LikelyResult, likelyResultsOf } from '../../../search/likely';
import type { RenditionPresets } from '../../../settings/renditions';
import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import { type ImageItem, originalOf } from '../../../store/image-item';
import { type IDownloadPresigner, presignEach } from '../../../store/image-objects';
import type { ImageStore } from '../../../store/image-store';
import { type PublicImage, toPublicImage } from '../../../store/image-view';
import { type Caller, mayAccess } from '../../../store/owner';

export interface ImageUrls {
  /** The uploaded object; absent while the image is PENDING (nothing may have arrived yet). */
  original?: string;
  /** The same, answered as a download under the uploaded file's name (or the image id). */
  download?: string;
  /** Thumbnail size (longest side, px) to URL; empty until the processor has written some. */
  thumbnails: Record<string, string>;
}

export type ImageDetail = PublicImage & {
  urls: ImageUrls;
  /** A PROCESSED image's signed rendition URL per configured preset, by preset name (and a public one's stable URL). */
  renditions?: Record<string, PresetRendition>;
  /** With face grouping on, once grouped: the person each described face joined, with its name. */
  people?: ImagePeopleView;
  /** A PROCESSED image's likely matches, strongest first, as a search finds them (search/terms.ts); absent for none. */
  likely?: LikelyResult[];
};

export interface ImagePeopleView {
  faces: Array<{ face: number; personId: string; name: string | null; box?: Box }>;
  skipped: { tooSmall: number; overCap: number };
}

export interface GetImageDeps {
  store: Pick<ImageStore, 'get'>;
  presigner: IDownloadPresigner;
  urlTtlSeconds: number;
  renditions: {
    signer: RenditionSigner;
    presets: RenditionPresets;
    limits: RenditionLimits;
    /** Told why the URLs could not be signed (the key set unreadable): the answer then goes without them. */
    failed(error: unknown): void;
  };
  /** With face grouping on: where the people of the image's faces are read, by their ids. */
  people?: Pick<PeoplePort, 'get'>;
  /**
   * For an image in the locked folder: whether the request's unlock token opens its owner's folder, answering the
   * token's expiry (unix seconds), or a 403 saying what is missing or wrong (lambdas/locked/lock-check.ts).
   */
  unlocked?: (owner: string) => Promise<number>;
  now?: () => Date;
  /**
   * Whether the caller may read another owner's image as their partner (the partners room's partner-reads.ts): a
   * grant from its owner covers it, and it is shown (not in the trash, locked or archived). @default - never
   */
  partners?: { covers(caller: Caller, item: ImageItem): Promise<boolean> };
}

/**
 * One image with short-lived download links:
 * 1. read the item (404 when there is none, or it is another owner's: the same answer, so ids reveal nothing),
 *    unless that owner's grant to the caller covers it (a partner reads it as its owner does, GPS included: the
 *    partner sees it on the map; what they may not do is change it, which every other route's owner check refuses);
 *    one in the locked folder only to its owner with an unlock token (403 without; never to a partner, whose grant
 *    covers no locked photo), its links and rendition URLs (signed `lk`, which the render function asks of a locked
 *    photo) living no longer than the token;
 * 2. presign a GET for the original unless the image is still PENDING, and one per recorded thumbnail;
 * 3. for a PROCESSED image, sign a rendition URL per preset (only such an image has renditions); if the keys
 *    cannot be read, answer without them rather than fail: the record and its links are the route's first job;
 * 4. answer the public view with `urls`, its likely matches (the search's rule, so the page shows what a search
 *    finds as likely) and `renditions`.
 * Presigning and signing are local, no S3 call, so the links are made whether or not the objects exist; the
 * signing keys come from a cache that reads the secret at most every few minutes.
 */
export async function getImage(imageId: string, caller: Caller, deps: GetImageDeps): Promise<ImageDetail> {
  const item = await deps.store.get(imageId);
  const readable = item && (mayAccess(caller, item.owner) || (await deps.partners?.covers(caller, item)));
  if (!item || !readable) throw new NotFoundError(`image ${imageId} not found`);
  const until = item.locked === true ? await unlockedUntil(item, caller, deps) : undefined;
  // A locked photo's links live no longer than the token that opened it.
  const ttl =
    until === undefined ? deps.urlTtlSeconds : Math.max(1, Math.min(deps.urlTtlSeconds, until - nowSeconds(deps)));
  const thumbnails = await presignEach(deps.presigner, item.bucket, item.thumbnails ?? {}, ttl);
  const urls: ImageUrls = { thumbnails };
  if (item.status !== 'PENDING') {
    const original = originalOf(item);
    const name = item.filename ?? `${item.imageId}${extensionOf(original.key)}`;
    [urls.original, urls.download] = await Promise.all([
      deps.presigner.presignDownload(original.bucket, original.key, ttl),
      deps.presigner.presignDownload(original.bucket, original.key, ttl, name),
    ]);
  }
  const people = await peopleOf(item, deps.people);
  const likely = likelyResultsOf(item);
  const view = { ...toPublicImage(item), urls, ...(people && { people }), ...(likely.length > 0 && { likely }) };
  const image = renderableImage(item);
  if (!image) return view;
  const { signer, presets, limits } = deps.renditions;
  try {
    const locked = until === undefined ? undefined : { until };
    return { ...view, renditions: await presetRenditions(image, presets, limits, signer, locked) };
  } catch (error) {
    deps.renditions.failed(error);
    return view;
  }
}

/**
 * A locked image is its owner's alone (anyone else, an admin too, gets the 404 of an unknown id), and theirs only
 * with an unlock token: its expiry, or a 403 that says to send one.
 */
async function unlockedUntil(item: ImageItem, caller: Caller, deps: GetImageDeps): Promise<number> {
  if (item.owner === undefined || item.owner !== caller.owner)
    throw new NotFoundError(`image ${item.imageId} not found`);
  if (!deps.unlocked) throw new ForbiddenError(`image ${item.imageId} is locked: it is not shown here`);
  return deps.unlocked(item.owner);
}

function nowSeconds(deps: Pick<GetImageDeps, 'now'>): number {
  return Math.floor((deps.now?.() ?? new Date()).getTime() / 1000);
}

/**
 * The image's faces with the people they joined as they are now: a person merged since answers under the id it
 * was merged into, with that one's name (one read per distinct person, at most MAX_FACES_PER_IMAGE). A person the
 * store no longer has keeps its id, without a name. None without face grouping, or for an image not grouped.
 */
async function peopleOf(item: ImageItem, people: GetImageDeps['people']): Promise<ImagePeopleView | undefined> {
  if (!people || !item.people || item.owner === undefined) return undefined;
  const owner = item.owner;
  const ids = [...new Set(item.people.faces.map((face) => face.personId))];
  const found = new Map(await Promise.all(ids.map(async (id) => [id, await people.get(owner, id)] as const)));
  return {
    faces: item.people.faces.map(({ face, personId, box }) => {
      const person = found.get(personId);
      return { face, personId: person?.personId ?? personId, name: person?.name ?? null, ...(box && { box }) };
    }),
    skipped: item.people.skipped,
  };
}

/** `.jpg` of `uploads/<id>.jpg`; '' for a key without one. */
function extensionOf(key: string): string {
  return /\.[A-Za-z0-9]{1,5}$/.exec(key)?.[0] ?? '';
}
