import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { BadRequestError } from '../../../shared/errors';
import { type ShareView, toShareView } from '../../../shares/share';
import type { ShareStore } from '../../../shares/share-store';
import type { Caller } from '../../../store/owner';
import { InvalidCursorError } from '../../../store/page-cursor';
import type { SharePageSchema } from '../share-schemas';

export interface SharePageAnswer {
  items: ShareView[];
  cursor?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<SharePageAnswer, z.output<typeof SharePageSchema>> = true;

/** What the owner's list shows of a shared photo, as its record has it now. */
export interface SharedPhoto {
  filename?: string;
  thumbnailUrl?: string;
  /** In the locked folder: the list says nothing of it (its link answers 410 meanwhile). */
  locked?: boolean;
}

export interface ListSharesDeps {
  shares: Pick<ShareStore, 'listOf'>;
  /** The caller's images of these ids that still have a record (one BatchGetItem a page). */
  photos(owner: string, imageIds: readonly string[]): Promise<Map<string, SharedPhoto>>;
  now?: () => Date;
}

/**
 * The caller's own links, newest first, a page at a time (an admin's too: links are their makers'), each with its
 * shareId, its state now (active, expired or revoked) and its views; never a token or a URL, which only the answer
 * that made a link holds. A cursor not made for this caller's list is a 400.
 * 1. a page of the links;
 * 2. the records of the page's shared photos, read at once: each image's link gets its file name and thumbnail
 *    (none for an image gone since, nor for one in the locked folder: the list is read without an unlock token);
 * 3. the page, each link as its owner sees it.
 */
export async function listShares(
  caller: Caller,
  asked: { limit: number; cursor?: string },
  deps: ListSharesDeps,
): Promise<SharePageAnswer> {
  let page: Awaited<ReturnType<ShareStore['listOf']>>;
  try {
    page = await deps.shares.listOf(caller.owner, asked.limit, asked.cursor);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
  const now = deps.now?.() ?? new Date();
  const imageIds = page.items.flatMap(({ target }) => (target.kind === 'image' ? [target.imageId] : []));
  const photos = imageIds.length === 0 ? new Map() : await deps.photos(caller.owner, [...new Set(imageIds)]);
  const items = page.items.map((share) => {
    const view = toShareView(share, now);
    const photo: SharedPhoto | undefined = view.imageId === undefined ? undefined : photos.get(view.imageId);
    if (!photo || photo.locked === true) return view;
    const { locked: _locked, ...shown } = photo;
    return { ...view, ...shown };
  });
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}
