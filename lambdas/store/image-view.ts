import { z } from 'zod';
import { turnCrop } from '../core/crop';
import { QUALITY_FLAGS, type QualityFlag } from '../core/quality';
import { PROVENANCE_SUMMARIES, type ProvenanceSummary } from '../core/vocabulary';
import { type ImageItem, ImageItemSchema } from './image-item';
import { type LabelSource, topLabelsOf } from './labels';
import { LIST_ITEM_ATTRIBUTES } from './table-design';

/** What the API shows of an item: everything but the bookkeeping the pipeline keeps for itself. */
export type PublicImage = Omit<
  ImageItem,
  | 'entity'
  | 'etag'
  | 'eventPending'
  | 'eventPendingFrom'
  | 'expiresAt'
  | 'indexedTerms'
  | 'unindexTerms'
  | 'renditionSpecs'
  | 'people'
  | 'rotationSent'
  | 'cropSent'
>;

export function toPublicImage(item: ImageItem): PublicImage {
  const {
    entity: _entity,
    etag: _etag,
    eventPending: _eventPending,
    eventPendingFrom: _eventPendingFrom,
    expiresAt: _expiresAt,
    indexedTerms: _indexedTerms,
    unindexTerms: _unindexTerms,
    renditionSpecs: _renditionSpecs,
    rotationSent: _rotationSent,
    cropSent: _cropSent,
    // Person ids: GET /images/{id} answers them with names, when face grouping is on.
    people: _people,
    ...view
  } = item;
  // The record keeps a crop of the picture before its owner's turn; the API speaks of the upright one (core/crop.ts).
  if (view.crop) view.crop = turnCrop(view.crop, view.rotation ?? 0);
  if (view.cropApplied) view.cropApplied = turnCrop(view.cropApplied, view.rotationApplied ?? 0);
  return view;
}

type SummaryField = 'imageId' | (typeof LIST_ITEM_ATTRIBUTES)[number];

/**
 * What a list page shows of an image: its id and the attributes the list indexes project (LIST_ITEM_ATTRIBUTES),
 * nothing more. Parsing an index item with it drops the index keys (`listShard`, `statusShard`).
 */
export const ImageSummarySchema = ImageItemSchema.pick(
  Object.fromEntries(['imageId', ...LIST_ITEM_ATTRIBUTES].map((field) => [field, true])) as Record<SummaryField, true>,
);
export type ImageSummary = z.output<typeof ImageSummarySchema>;

/** Where a search word or a label or object value was found in an image: what `matchedBy` lists. */
export const MATCH_FIELDS = [
  'object',
  'label',
  'tag',
  'filename',
  'word',
  'place',
  'camera',
  'person',
  'provenance',
  'credit',
  'color',
  'keyword',
  'caption',
] as const;

/** Why a search found an image, for one of its words or label or object values. */
export const SearchMatchSchema = z
  .object({
    /** The parameter asked: `q` (a word of the search box), `label` or `object`. */
    asked: z.enum(['q', 'label', 'object']),
    /** The word or value as searched, normalised (lower case, no accents). */
    word: z.string(),
    /**
     * What of the image it matched: a word of its filename, OCR text (`word`), place, camera, tags; a label...; its
     * provenance summary, or a name its Content Credentials give (`credit`: generator, signer, claim generator); a
     * keyword the photo carries in its IPTC or XMP (`keyword`), or a word of its title, headline or caption there
     * (`caption`).
     */
    field: z.enum(MATCH_FIELDS),
    /** The value matched, normalised (`cataluna`, `dining table`); for a person, the person's id. */
    value: z.string(),
    /** A likely match: a vision result under the threshold it is shown at, found from its retrieval threshold. */
    likely: z.literal(true).optional(),
    /** A likely match's score (0-1, two decimals). */
    score: z.number().min(0).max(1).optional(),
    /**
     * How a word of `q` reached it beyond its own letters (docs/search.md "Words, not tokens"): another form of it
     * (`horses`: horse), a broader word (`animal`: dog), a narrower one (`eagle`: bird, a likely match), a colour.
     */
    through: z.enum(['form', 'broader', 'narrower', 'colour']).optional(),
  })
  .meta({ id: 'SearchMatch' });
export type SearchMatch = z.output<typeof SearchMatchSchema>;

/**
 * A search result: the summary, and what a gallery tile needs besides (from the search index's posting, so a page
 * of results reads no record).
 */
export const SearchResultSchema = ImageSummarySchema.extend({
  /**
   * On a `sort=taken` page and an album's page: when the photo was taken (EXIF, the camera's clock, no zone, or its
   * owner's date), when known.
   */
  takenAt: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  dominantColor: z.string().optional(),
  /** Up to three labels as they are now: those people added, then the model's most confident; [] for none. */
  topLabels: z.array(z.string()).optional(),
  /** The core's quality flags; [] for none, absent for an image analysed before quality (1.1.0). */
  qualityFlags: z.array(z.enum(QUALITY_FLAGS)).optional(),
  /** The tags the image was uploaded with, as given. */
  tags: z.array(z.string()).optional(),
  /** `true` when its owner marked it a favourite (`PUT /images/{id}/favourite`): a tile shows a star. */
  favourite: z.boolean().optional(),
  /** Where it comes from, its record's `provenance.summary`; absent when unknown, or not read (before 1.3.0). */
  provenance: z.enum(PROVENANCE_SUMMARIES).optional(),
  /** Presigned GETs of the thumbnails, longest side (`"128"`) to URL: a PROCESSED image's, for a gallery tile. */
  thumbnails: z.record(z.string(), z.string()).optional(),
  /**
   * The stack it shows (`GET /stacks/{id}` has its frames), with how many frames it has when it is the stack's
   * primary; a frame behind it (listed or searched with `stacked=expand`) has the id alone.
   */
  stack: z
    .object({ id: z.string(), count: z.number().int().min(2).optional() })
    .optional()
    .meta({ description: 'The stack (a burst, a RAW+JPEG pair, a stack its owner made) it shows or is a frame of' }),
  /**
   * With search by meaning on, for a `q=` search: why the image is in the answer, `words` (every word begins one of
   * its words), `meaning` (near the query's meaning) or both.
   */
  matched: z.array(z.enum(['words', 'meaning'])).optional(),
  /**
   * For a search with words (`q`) or `label`/`object` values, found by them: for each word and value, what it
   * matched, a sure match where the image has one; a likely one (a vision result not shown, under its class's
   * shown threshold) says so, with its score. Sure matches come first in a page, then likely ones by score.
   */
  matchedBy: z.array(SearchMatchSchema).optional(),
  /**
   * On a search page: the frame behind this stack's primary that the search found, when the primary itself is not
   * among the page's matches (a search shows a stack once, as its primary); `matchedBy` is then the frame's.
   */
  matchedFrame: z
    .string()
    .optional()
    .meta({ description: "The stack's frame the search found, shown as the stack's primary (docs/api.md#stacks)" }),
});
export type SearchResult = z.output<typeof SearchResultSchema>;

/** What a gallery tile shows of a final image beyond the list index's fields. */
export interface TileDetails {
  width?: number;
  height?: number;
  dominantColor?: string;
  /** Up to three labels as they are now: those people added, then the model's most confident; [] for none. */
  topLabels?: string[];
  /** The core's quality flags; [] for none, absent for an image analysed before quality (1.1.0). */
  qualityFlags?: QualityFlag[];
  /** The tags the image was uploaded with, as given. */
  tags?: string[];
  /** Its owner marked it a favourite; absent otherwise. */
  favourite?: boolean;
  /** Its provenance summary; absent when unknown or not read. */
  provenance?: ProvenanceSummary;
  /** Size (longest side) to S3 key. */
  thumbnails?: Record<string, string>;
  /** The stack it is the primary of (with its count), or a frame of. */
  stack?: { id: string; count?: number };
  /**
   * In its owner's locked folder: a page that reads records (an album's, a search by meaning's) asks isShown of it.
   * Never answered (SearchResultSchema has no such field); absent otherwise.
   */
  locked?: true;
}

/** The parts of a record a tile is made from (a whole record, or one read with a projection of just these). */
export interface TileSource extends LabelSource {
  analysis?: {
    status?: string;
    metadata?: { width?: number; height?: number };
    dominantColor?: { hex?: string };
    quality?: { flags?: QualityFlag[] };
  };
  tags?: string[];
  favourite?: boolean;
  provenance?: { summary?: ProvenanceSummary };
  thumbnails?: Record<string, string>;
  locked?: boolean;
  stack?: { id: string; count: number };
  stackedIn?: string;
}

/** The attribute paths `tileOf` reads: a BatchGetItem projects these and nothing else of a record. */
export const TILE_ATTRIBUTE_PATHS = [
  ['analysis', 'status'],
  ['analysis', 'metadata', 'width'],
  ['analysis', 'metadata', 'height'],
  ['analysis', 'dominantColor', 'hex'],
  ['analysis', 'quality', 'flags'],
  ['vision', 'labels'],
  ['labelCorrections'],
  ['tags'],
  ['favourite'],
  ['provenance', 'summary'],
  ['thumbnails'],
  ['stack'],
  ['stackedIn'],
  // Not shown on a tile: read so that a page of records (ImageStore.summaries, tiles) can leave a locked photo out.
  ['locked'],
] as const;

export function tileOf(item: TileSource): TileDetails {
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  const summary = item.provenance?.summary;
  return {
    width: analysis?.metadata?.width,
    height: analysis?.metadata?.height,
    dominantColor: analysis?.dominantColor?.hex,
    topLabels: topLabelsOf(item),
    qualityFlags: analysis?.quality?.flags,
    tags: item.tags,
    ...(item.favourite === true && { favourite: true }),
    ...(summary !== undefined && summary !== 'unknown' && { provenance: summary }),
    thumbnails: item.thumbnails,
    ...(item.stack !== undefined && { stack: { id: item.stack.id, count: item.stack.count } }),
    ...(item.stack === undefined && item.stackedIn !== undefined && { stack: { id: item.stackedIn } }),
    ...(item.locked === true && { locked: true as const }),
  };
}
