import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import type { PeoplePort } from '../../../people/ports';
import type { ISearchIndex } from '../../../search/index-port';
import { BadRequestError, ForbiddenError } from '../../../shared/errors';
import { type ImageStore, InvalidCursorError } from '../../../store/image-store';
import { type ImageSummary, type SearchResult, SearchResultSchema, type TileDetails } from '../../../store/image-view';
import type { Caller } from '../../../store/owner';
import { filtersOf } from './filters';
import { type RankedDeps, rankedPage, searchesByMeaning } from './ranked-page';
import type { ImagePageSchema, ListQuery } from './route';
import { foldStacks } from './stack-fold';

export interface ImagePage {
  /**
   * A summary per image (id, status, times, filename, content type, size, and once final its dimensions, dominant
   * colour, top labels and thumbnails' links); `GET /images/{id}` has the rest.
   */
  items: SearchResult[];
  /** Present while more items may follow; pass it back as `cursor` for the next page. */
  cursor?: string;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<ImagePage, z.output<typeof ImagePageSchema>> = true;

/** Links to the thumbnails of a page's images: the keys a posting recorded, or a processed image's by size. */
export interface ThumbnailLinks {
  sign(keys: Record<string, string>): Promise<Record<string, string>>;
  /** The keys a PROCESSED image has, from its id and the deployment's sizes. */
  keysOf(imageId: string): Record<string, string>;
}

/** What a page is read from: the list indexes and records, or the search. */
export interface ListDeps {
  store: Pick<ImageStore, 'list' | 'timeline' | 'tiles' | 'summaries' | 'stacking'>;
  search: ISearchIndex['search'];
  links: ThumbnailLinks;
  /**
   * With face grouping on: the ids a `person` filter reads (the person's, and those merged into it not re-pointed
   * yet), and for search by meaning every id merged into it (`mergedIdsOf`: a vector keeps the ids it was embedded
   * with).
   */
  people?: Pick<PeoplePort, 'termsOf' | 'named'> & Partial<Pick<PeoplePort, 'mergedIdsOf'>>;
  /** With search by meaning on: a `q=` search is ranked, its words' images fused with its meaning's (ranked-page.ts). */
  meaning?: RankedDeps['meaning'];
  /** Told why a ranked search went without its meaning (ranked-page.ts). */
  meaningFailed?: (error: unknown) => void;
  /**
   * `locked=true`: whether the request's unlock token opens this owner's locked folder (lambdas/locked/lock-check.ts:
   * a 403 saying what is missing or wrong). Without it, the locked folder is never listed.
   */
  unlocked?: (owner: string) => Promise<unknown>;
  /**
   * A partner's pages (`partner=`, `partners=all`): the grant checked, then the grantor's photos it covers, newest
   * taken first (the partners room's partner-reads.ts). @default - none: such a list is refused
   */
  partners?: PartnerPages;
}

/** What a partner's list reads: a page of the photos others share with the caller, each as the timeline has it. */
export interface PartnerPages {
  page(
    caller: Caller,
    asked: { partner?: string; all?: boolean; mine?: boolean; limit: number; cursor?: string },
  ): Promise<{ items: (ImageSummary & { takenAt?: string })[]; cursor?: string }>;
  /** What a search of `grantor`'s library may read as their partner (404 without a grant): from a date on, if so. */
  searchScope(caller: Caller, grantor: string): Promise<{ from?: string }>;
  /** Those of these images (a search's) a partner of `grantor` may see: shown, and still theirs. */
  shown(grantor: string, imageIds: readonly string[]): Promise<Set<string>>;
}

/**
 * One page of images, newest first:
 * 0. `locked=true` is the caller's own locked folder, listed only with an unlock token (`unlocked`), by status or
 *    not, in either order, never searched (a search never finds a locked image);
 *    `archived=true` is the owner's archive: the same lists under its own keys (store/list-shards.ts), so it takes no
 *    search filter or status, and a plain list or timeline (no `archived`) never holds an archived image;
 * 1. with a search filter, a search (searchPage); otherwise decide whose: the caller's own; an admin's, everyone's
 *    or the one `owner` named;
 * 2. query the store (by status when one is asked for) from the cursor on: it merges the list index's shards and
 *    answers a summary of each image, exactly the fields the index projects;
 * 3. add each final image's details and thumbnail links (withDetails);
 * 4. leave `cursor` out of the page when nothing follows.
 * A cursor the store cannot use (forged, truncated, from another list or status filter) is the client's error.
 */
export async function listImages(query: ListQuery, caller: Caller, deps: ListDeps): Promise<ImagePage> {
  const { status: _status, limit: _limit, owner: _owner, cursor: _cursor, sort, archived, locked, ...rest } = query;
  const { partner, partners, stacked, ...asked } = rest;
  const filters = filtersOf(asked);
  const partnered = partner !== undefined || partners !== undefined;
  // A search (its status one more filter) shows a stack once too, and expands it as a list does.
  if (stacked !== undefined && (partnered || archived === true || locked === true || (!filters && query.status))) {
    throw new BadRequestError(
      "stacked: a stack's frames are expanded in one owner's list, timeline or search; leave out status (but in a " +
        'search), archived, locked and partners',
    );
  }
  if (locked === true && partnered) throw new BadRequestError("locked: only the caller's own folder is listed");
  if (locked === true) return lockedPage(query, filters !== undefined, caller, deps);
  if (partner !== undefined && filters) return partnerSearchPage(query, partner, filters, caller, deps);
  if (partnered) return partnerPage(query, filters !== undefined, caller, deps);
  if (archived === true && filters) {
    throw new BadRequestError('archived: the archive is listed, not searched; a search finds archived images too');
  }
  if (archived === true && query.status !== undefined) {
    throw new BadRequestError('archived: the archive is listed without a status; leave status out');
  }
  if (sort === 'taken') return timelinePage(query, filters !== undefined, caller, deps);
  if (filters) return searchPage(query, filters, caller, deps);
  // The archive is one owner's (an admin's own unless `owner` names another), as a search is; so is a list with its
  // stacks expanded (the stacks are each owner's).
  const owner =
    archived === true || stacked !== undefined
      ? (scopeOwner(query.owner, caller) ?? caller.owner)
      : scopeOwner(query.owner, caller);
  try {
    const scope =
      owner === undefined
        ? { owner }
        : { owner, ...(archived === true && { archived: true }), ...(stacked !== undefined && { stacked }) };
    const { items: summaries, cursor } = await deps.store.list({
      scope,
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
    });
    // Everyone's list (an admin's, by status or not) reads the global indexes, which keep a locked photo and a
    // stack's frames (the purge reads them): the tiles' records, read anyway, say which are locked (isShown) or a
    // frame behind a primary, and those are left out, so a stack shows once there too (the page may come back short).
    const everyone = owner === undefined;
    const items = await withDetails(summaries, deps, { hideLocked: everyone, hideFrames: everyone && !stacked });
    return cursor === undefined ? { items } : { items, cursor };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}

/** `locked=true`: the caller's locked folder, with an unlock token only. */
async function lockedPage(
  query: ListQuery,
  filtered: boolean,
  caller: Caller,
  deps: Pick<ListDeps, 'store' | 'links' | 'unlocked'>,
): Promise<ImagePage> {
  if (filtered) throw new BadRequestError('locked: the locked folder is listed, not searched; leave the filters out');
  if (query.archived === true)
    throw new BadRequestError('locked: the locked folder has no archive; leave archived out');
  if (query.owner !== undefined && query.owner !== caller.owner) {
    throw new ForbiddenError("locked: a locked folder is its owner's alone; leave owner out");
  }
  if (query.sort === 'taken' && query.status !== undefined) {
    throw new BadRequestError('sort: taken lists every status; leave status out, or sort=uploaded to filter by it');
  }
  if (!deps.unlocked) throw new ForbiddenError('locked: this deployment lists no locked folder here');
  await deps.unlocked(caller.owner);
  const owner = caller.owner;
  try {
    const page =
      query.sort === 'taken'
        ? await deps.store.timeline({ owner, locked: true, limit: query.limit, cursor: query.cursor })
        : await deps.store.list({
            scope: { owner, locked: true },
            status: query.status,
            limit: query.limit,
            cursor: query.cursor,
          });
    const items = await withDetails(page.items, deps);
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}

/**
 * `sort=taken`: one owner's timeline, newest date taken first (an image without one at its upload time). The index
 * is one owner's (an admin's own unless `owner` names another) and holds every status, so what it cannot answer
 * without reading and dropping items is refused with the way out: a search (which has its own order), a status.
 */
async function timelinePage(
  query: ListQuery,
  filtered: boolean,
  caller: Caller,
  deps: Pick<ListDeps, 'store' | 'links'>,
): Promise<ImagePage> {
  if (filtered) {
    throw new BadRequestError('sort: a search (q=, label= ...) is in its own order; leave sort out to search');
  }
  if (query.status !== undefined) {
    throw new BadRequestError('sort: taken lists every status; leave status out, or sort=uploaded to filter by it');
  }
  // One owner's: an admin who names none gets their own (as a search does); `sort=uploaded` lists every owner's.
  const owner = scopeOwner(query.owner, caller) ?? caller.owner;
  try {
    const archive = query.archived === true ? { archived: true } : {};
    const expand = query.stacked !== undefined ? { stacked: query.stacked } : {};
    const page = await deps.store.timeline({ owner, ...archive, ...expand, limit: query.limit, cursor: query.cursor });
    const items = await withDetails(page.items, deps);
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}

/**
 * A partner's list (`partner=<owner>` or `partners=all`): the photos others share with the caller, in their own
 * order (newest taken first), so it takes nothing that narrows or orders an owner's own list. `partners=include` is
 * the caller's own timeline with them merged in, in the same order.
 */
async function partnerPage(
  query: ListQuery,
  filtered: boolean,
  caller: Caller,
  deps: Pick<ListDeps, 'store' | 'links' | 'partners'>,
): Promise<ImagePage> {
  if (query.partner !== undefined && query.partners !== undefined) {
    throw new BadRequestError(`partner: name one partner, or partners=${query.partners}, not both`);
  }
  const asked = [
    query.owner !== undefined && 'owner',
    query.archived !== undefined && 'archived',
    query.status !== undefined && 'status',
    filtered && 'a search filter',
  ].filter(Boolean);
  if (asked.length > 0) {
    throw new BadRequestError(`partner: a partner's list does not take ${asked.join(', ')}; leave it out`);
  }
  if (!deps.partners) throw new BadRequestError('partner: this deployment has no partners');
  const page = await deps.partners.page(caller, {
    ...(query.partner !== undefined
      ? { partner: query.partner }
      : { all: true, ...(query.partners === 'include' && { mine: true }) }),
    limit: query.limit,
    ...(query.cursor !== undefined && { cursor: query.cursor }),
  });
  const items = await withDetails(page.items, deps);
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}

/**
 * A search of one partner's library (`partner=<owner>` with search filters): the grant checked (a 404 without one;
 * a grant of albums is not searched), then the grantor's search run as theirs, from the grant's date on
 * (`takenAfter`, the later of the two), and what a partner may not see taken out of the page (the archive, which a
 * search finds; locked): a page may be short while a cursor follows.
 */
async function partnerSearchPage(
  query: ListQuery,
  grantor: string,
  filters: NonNullable<ReturnType<typeof filtersOf>>,
  caller: Caller,
  deps: ListDeps,
): Promise<ImagePage> {
  const asked = [query.owner !== undefined && 'owner', query.archived !== undefined && 'archived'].filter(Boolean);
  if (asked.length > 0 || query.partners !== undefined) {
    throw new BadRequestError(`partner: a partner's search does not take ${[...asked, 'partners'].join(', ')}`);
  }
  if (!deps.partners) throw new BadRequestError('partner: this deployment has no partners');
  const { from } = await deps.partners.searchScope(caller, grantor);
  const narrowed = from !== undefined && (filters.takenAfter ?? '') < from ? { ...filters, takenAfter: from } : filters;
  const page = await searchPage({ ...query, owner: undefined }, narrowed, { owner: grantor, admin: false }, deps);
  const shown = await deps.partners.shown(
    grantor,
    page.items.map((item) => item.imageId),
  );
  const items = page.items.filter((item) => shown.has(item.imageId));
  return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
}

/**
 * A plain page's items with what a gallery tile needs besides the list index's fields: dimensions, dominant colour,
 * top labels and thumbnails' links, from the final images' records (one BatchGetItem for the page, projected to
 * those attributes). A PENDING image has none of them yet and is not read.
 */
async function withDetails(
  summaries: readonly (ImageSummary & { takenAt?: string })[],
  { store, links }: Pick<ListDeps, 'store' | 'links'>,
  { hideLocked = false, hideFrames = false }: { hideLocked?: boolean; hideFrames?: boolean } = {},
): Promise<SearchResult[]> {
  const final = summaries.filter((item) => item.status !== 'PENDING').map((item) => item.imageId);
  const tiles = final.length > 0 ? await store.tiles(final) : new Map<string, TileDetails>();
  const hidden = (tile: TileDetails | undefined) =>
    (hideLocked && tile?.locked === true) ||
    (hideFrames && tile?.stack !== undefined && tile.stack.count === undefined);
  const shown = summaries.filter((item) => !hidden(tiles.get(item.imageId)));
  return Promise.all(
    shown.map(async (item) => {
      const { thumbnails, ...tile } = tiles.get(item.imageId) ?? {};
      const result = SearchResultSchema.parse({ ...tile, ...item });
      const keys = thumbnails ?? (item.status === 'PROCESSED' ? links.keysOf(item.imageId) : undefined);
      return keys ? { ...result, thumbnails: await links.sign(keys) } : result;
    }),
  );
}

/** Whose images a list reads: undefined is everyone's, which only an admin gets. */
function scopeOwner(asked: string | undefined, caller: Caller): string | undefined {
  if (caller.admin) return asked;
  if (asked !== undefined && asked !== caller.owner) {
    throw new ForbiddenError("owner: only an admin may list another owner's images");
  }
  return caller.owner;
}

/**
 * A search: only ever one owner's images (the posting lists are per owner): the caller's own, or for an admin the
 * one `owner` names. The status, if any, is one more filter. Each stack is shown once, as its primary, whichever of
 * its frames matched (stack-fold.ts), unless `stacked=expand`.
 */
async function searchPage(
  query: ListQuery,
  filters: NonNullable<ReturnType<typeof filtersOf>>,
  caller: Caller,
  deps: Pick<ListDeps, 'search' | 'links' | 'people' | 'meaning' | 'meaningFailed' | 'store'>,
): Promise<ImagePage> {
  const { search, links, people, meaning, store } = deps;
  const owner = scopeOwner(query.owner, caller) ?? caller.owner;
  const expand = query.stacked === 'expand';
  try {
    // Face grouping off: the id's own postings are read (none: an empty page, as for an unknown label).
    const personIds = filters.person === undefined ? undefined : await people?.termsOf(owner, filters.person);
    // A person its owner deleted has no terms, but its images keep their postings under its id: none are its now.
    if (personIds?.length === 0) return { items: [] };
    // Each word of `q` also finds the images of the people whose name has a word it begins.
    const named =
      people && filters.q.length > 0
        ? Object.fromEntries(await Promise.all(filters.q.map(async (word) => [word, await people.named(owner, word)])))
        : undefined;
    const asked = { ...filters, status: query.status };
    if (meaning && searchesByMeaning(asked)) {
      const vectorPersonIds =
        filters.person === undefined ? undefined : await people?.mergedIdsOf?.(owner, filters.person);
      const ranked = {
        owner,
        filters: asked,
        ...(personIds && { personIds }),
        ...(vectorPersonIds && { vectorPersonIds }),
        ...(named && { named }),
      };
      const failed = deps.meaningFailed ?? (() => undefined);
      const page = await rankedPage(ranked, query, { search, meaning, store, sign: links.sign, failed });
      const items = await foldStacks(page.items, owner, { store, links }, { expand });
      return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
    }
    const page = await search({
      owner,
      filters: asked,
      ...(personIds && { personIds }),
      ...(named && { named }),
      limit: query.limit,
      cursor: query.cursor,
    });
    const found = await Promise.all(
      page.items.map(async (posting) => {
        const { thumbnails, ...summary } = posting.summary ?? {};
        const result = SearchResultSchema.parse({ ...summary, imageId: posting.imageId, matchedBy: posting.matchedBy });
        return thumbnails ? { ...result, thumbnails: await links.sign(thumbnails) } : result;
      }),
    );
    // Each stack once, as its primary, found by any of its frames (a page may shrink; its cursor is the search's).
    const items = await foldStacks(found, owner, { store, links }, { expand });
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new BadRequestError(`cursor: ${error.message}`);
    throw error;
  }
}
