import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetImages } from './batch-get';
import type { ImageItem } from './image-item';
import { TILE_ATTRIBUTE_PATHS, type TileDetails, type TileSource, tileOf } from './image-view';
import { LIST_ITEM_ATTRIBUTES, TIMELINE_ITEM_ATTRIBUTES } from './table-design';

/*
 * The image records read in batches of up to 100 by key, each projected to what its caller shows: a gallery's tiles,
 * a page's summaries, where images stand in stacks. The image store answers them (image-store.ts).
 */

/** What a summary says of an image besides its tile, as the record holds it. */
export type SummaryAttributes = Partial<Pick<ImageItem, 'owner' | (typeof LIST_ITEM_ATTRIBUTES)[number]>> & {
  /** Asked for with `taken`: when the photo was taken, as the timeline sorts it (EXIF or its owner's), if known. */
  takenAt?: string;
};

/** Where an image stands in a stack (lambdas/stacks): the primary's `stack`, a frame's `stackedIn` and primary. */
export type Stacking = Pick<ImageItem, 'stack' | 'stackedIn' | 'stackPrimary'>;

/** Rounds of asking again for keys DynamoDB left unprocessed (throttling). */
const GET_ROUNDS = 4;

/**
 * What a gallery tile shows of each of these images beyond the list index's fields (dimensions, dominant colour,
 * top labels, thumbnail keys): one BatchGetItem of up to 100 records, projected to just those attributes. Keys
 * DynamoDB still leaves unprocessed after every retry are left out: a page with fewer details beats no page.
 */
export async function readTiles(
  client: DynamoDBDocumentClient,
  tableName: string,
  imageIds: readonly string[],
): Promise<Map<string, TileDetails>> {
  const found = new Map<string, TileDetails>();
  for (const item of await project(client, tableName, imageIds, []))
    found.set(item.imageId as string, tileOf(item as TileSource));
  return found;
}

/**
 * The same with what a list page's summary says (LIST_ITEM_ATTRIBUTES) and the owner, for images a search found
 * elsewhere than in the postings (by meaning) and an album's members: one BatchGetItem of up to 100, projected;
 * with `taken`, when each was taken too (as the timeline has it). An image that is gone is left out, as one whose
 * key stays unprocessed is.
 */
export async function readSummaries(
  client: DynamoDBDocumentClient,
  tableName: string,
  imageIds: readonly string[],
  { taken = false }: { taken?: boolean } = {},
): Promise<Map<string, TileDetails & SummaryAttributes>> {
  const found = new Map<string, TileDetails & SummaryAttributes>();
  const attributes = ['owner', ...(taken ? TIMELINE_ITEM_ATTRIBUTES : LIST_ITEM_ATTRIBUTES)];
  for (const item of await project(client, tableName, imageIds, attributes)) {
    const summary = Object.fromEntries(
      attributes.flatMap((name) => (item[name] === undefined ? [] : [[name, item[name]]])),
    ) as SummaryAttributes;
    found.set(item.imageId as string, { ...summary, ...tileOf(item as TileSource) });
  }
  return found;
}

/**
 * Where each of these images stands in a stack as its record says now (a search's postings may predate it): one
 * BatchGetItem of up to 100 records, projected to `stack`, `stackedIn` and `stackPrimary` (a read is charged by
 * the item's size all the same). An image in no stack is answered with none of them; one gone, or whose key stays
 * unprocessed, not at all.
 */
export async function readStacking(
  client: DynamoDBDocumentClient,
  tableName: string,
  imageIds: readonly string[],
): Promise<Map<string, Stacking>> {
  const names = {
    '#imageId': 'imageId',
    '#stack': 'stack',
    '#stackedIn': 'stackedIn',
    '#stackPrimary': 'stackPrimary',
  };
  const projection = { expression: Object.keys(names).join(', '), names };
  const found = new Map<string, Stacking>();
  for (const item of await batchGetImages(client, tableName, imageIds, projection, GET_ROUNDS)) {
    const { imageId, ...stacking } = item as Stacking & { imageId: string };
    found.set(imageId, stacking);
  }
  return found;
}

/** The records of these images, projected to the tile's attributes and these top-level ones. */
async function project(
  client: DynamoDBDocumentClient,
  tableName: string,
  imageIds: readonly string[],
  attributes: readonly string[],
): Promise<Record<string, unknown>[]> {
  const paths = [...TILE_ATTRIBUTE_PATHS, ...attributes.map((name) => [name])];
  const names = Object.fromEntries(paths.flat().map((name) => [`#${name}`, name]));
  const projection = {
    expression: ['#imageId', ...paths.map((path) => path.map((name) => `#${name}`).join('.'))].join(', '),
    names: { ...names, '#imageId': 'imageId' },
  };
  return batchGetImages(client, tableName, imageIds, projection, GET_ROUNDS);
}
