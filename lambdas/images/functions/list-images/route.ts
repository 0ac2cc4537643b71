import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import { type ApiRouteFactory, withFieldMeta } from '../../../api/route';
import { pageLimitParameter } from '../../../api/schemas';
import { UnlockCheckEnvShape, type UnlockCheckWiring, unlockCheckEnvironment } from '../../../locked/wiring';
import { PERSON_ID_PATTERN } from '../../../people/contract';
import { PeopleTableEnvShape, type PeopleWiring, peopleTableEnvironment } from '../../../people/wiring';
import {
  FILTER_NAMES,
  type FilterName,
  type FilterValue,
  MAX_NAMES,
  MAX_TEXT_WORDS_QUERIED,
  NAME_PATTERN,
  SEARCH_FILTERS,
  type SearchFilter,
} from '../../../search/filters';
import { MeaningEnvShape, type MeaningWiring, meaningEnvironment } from '../../../search/meaning/contract';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { S3EnvSchema } from '../../../shared/contract';
import { SearchResultSchema } from '../../../store/image-view';
import { normalizeName, wordsOf } from '../../../store/labels';
import { OwnerSchema } from '../../../store/owner';

/**
 * What a search or a plain page of images reads, as `GET /images` runs it: also a smart album's page (the albums
 * room's reads), which lists no locked folder and no partner's photos.
 */
export const SearchListEnvSchema = ApiEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The search index table: filtered lists read its postings. */
  SEARCH_TABLE_NAME: z.string().min(1),
  /** The bucket of the thumbnails a page links to. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
  /** The sizes a processed image's thumbnails have, for the links of a plain list's items. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  /** With face grouping on: `person=` reads the person's ids (it and those merged into it) from the people table. */
  ...PeopleTableEnvShape,
  /** With search by meaning on: `q=` also finds the images nearest its meaning. */
  ...MeaningEnvShape,
});

/** `GET /images`: every variable it reads. */
export const ListImagesEnvSchema = SearchListEnvSchema.extend({
  /** `locked=true` checks the unlock token: the PINs' table and the signing keys (lambdas/locked/wiring.ts). */
  ...UnlockCheckEnvShape,
  /** `partner=`, `partners=all`: the grants (lambdas/partners/table-design.ts), read by key before a partner's page. */
  PARTNERS_TABLE: z.string().min(1),
  /** A partner's page of a grant of albums reads them in their taken order. */
  ALBUMS_TABLE: z.string().min(1),
});
export type ListImagesEnv = z.output<typeof ListImagesEnvSchema>;

export interface ListImagesWiring extends ApiWiring, UnlockCheckWiring {
  readonly searchTableName: string;
  readonly bucketName: string;
  /** The people table, with `faceGrouping` on. @default - none: face grouping is off */
  readonly people?: PeopleWiring;
  /** The vector index and its model, with `searchByMeaning` on. */
  readonly meaning?: MeaningWiring;
  /** The partners' and the albums' tables (their rooms' declarations), which every deployment has. */
  readonly partners?: { readonly tableName: string };
  readonly albums?: { readonly tableName: string };
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth' | 'downloadUrlTtlSeconds' | 'thumbnailSizes'>;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListImagesWiring): FunctionEnvironment {
  return {
    ...searchListEnvironment(wiring),
    ...unlockCheckEnvironment(wiring),
    PARTNERS_TABLE: tableOf(wiring.partners, 'partners'),
    ALBUMS_TABLE: tableOf(wiring.albums, 'albums'),
  };
}

/** The variables of SearchListEnvSchema, for a function that runs `GET /images`'s searches and pages alone. */
export function searchListEnvironment(wiring: Omit<ListImagesWiring, keyof UnlockCheckWiring>): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    SEARCH_TABLE_NAME: wiring.searchTableName,
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
    THUMBNAIL_SIZES: wiring.settings.thumbnailSizes.join(','),
    ...peopleTableEnvironment(wiring.people),
    ...meaningEnvironment(wiring.meaning),
  };
}

/** A declared table's name from the wiring, which every deployment's has. */
export function tableOf(part: { readonly tableName: string } | undefined, name: string): string {
  if (!part) throw new Error(`the wiring has no ${name} table: lambdas/${name}/table-design.ts declares it`);
  return part.tableName;
}

/*
 * The query string: one parser per kind of search filter (search/filters.ts), the filters made of them, then the
 * list's own parameters.
 */

const name = z
  .string()
  .regex(NAME_PATTERN, "must be a name: letters, digits, spaces and ' . - (at most 64 characters)")
  .transform(normalizeName);
/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`, as EXIF dates are kept (the camera's local time). */
const date = (endOfDay: boolean) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/, 'must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS')
    .refine((value) => {
      // Round-tripped, so 2024-02-30 (which Date would roll over to March) is refused.
      const full = value.length === 10 ? `${value}T00:00:00` : value;
      const parsed = new Date(`${full}Z`);
      return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === full;
    }, 'is not a real date')
    .transform((value) => (value.length === 10 ? `${value}T${endOfDay ? '23:59:59' : '00:00:00'}` : value));
const oneOf = <T extends string>(values: readonly T[]) =>
  z.enum(values as [T, ...T[]], {
    error: `must be ${values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`}`,
  });

/** The one parser of each kind of filter (search/filters.ts), the value's description for the OpenAPI document. */
function parserOf(filter: SearchFilter) {
  const parser = (() => {
    switch (filter.kind) {
      case 'names':
        return z.array(name).max(MAX_NAMES, `at most ${MAX_NAMES} ${filter.title.toLowerCase()}s`);
      case 'name':
        return name;
      case 'words':
      case 'query':
        return z
          .string()
          .max(200, 'must be at most 200 characters')
          .refine((text) => !/[\p{Cc}#"]/u.test(text), 'must not contain control characters, # or "')
          .transform((text) => wordsOf(text))
          .refine((words) => words.length > 0, 'must have a word of two letters or digits')
          .refine((words) => words.length <= MAX_TEXT_WORDS_QUERIED, `at most ${MAX_TEXT_WORDS_QUERIED} words`);
      case 'choice':
        return oneOf(filter.values ?? []);
      case 'count':
        return z
          .string()
          .regex(/^[0-9]{1,3}$/, `must be a whole number from 0 to ${filter.max}`)
          .transform(Number)
          .pipe(z.number().max(filter.max ?? 0, `must be at most ${filter.max}`));
      case 'flag':
        return oneOf(['true', 'false']).transform((value) => value === 'true');
      case 'date':
        return date(filter.bound === 'before');
      case 'id':
        return z.string().regex(PERSON_ID_PATTERN, 'must be a person id (letters and digits, at most 64)');
    }
  })();
  return parser.optional().meta({ description: filter.description });
}

type Parsers = { [K in FilterName]: z.ZodType<FilterValue<(typeof SEARCH_FILTERS)[K]> | undefined, unknown> };

/**
 * The search filters of `GET /images`, all optional, ANDed, one per entry of SEARCH_FILTERS but `status` (a list
 * parameter too: ListQuerySchema). Values are checked (a `#`, a quote, a control character or 10 KB is a 400 naming
 * the parameter), then normalised as the index is.
 */
const { status: statusParser, ...filterParsers } = Object.fromEntries(
  FILTER_NAMES.map((filterName) => [filterName, parserOf(SEARCH_FILTERS[filterName])]),
) as unknown as Parsers;
export const FilterShape = filterParsers;
export const StatusParameter = statusParser;

export const DEFAULT_LIMIT = 20;
/** The orders of a plain list: by upload (image ids) or by date taken (the owner's timeline, timeline-list.ts). */
export const SORTS = ['uploaded', 'taken'] as const;
/** Larger requests are served this many, not refused: a client asking for "everything" still gets pages. */
export const MAX_LIMIT = 100;

/** `GET /images` query string: the list's parameters and the search filters (FilterShape); nothing else. */
export const ListQuerySchema = z.strictObject(
  {
    status: StatusParameter,
    limit: pageLimitParameter(MAX_LIMIT, DEFAULT_LIMIT),
    /** Admins: one owner's images (without it, everyone's). Others may name only themselves. */
    owner: OwnerSchema.optional(),
    cursor: z.string().min(1, 'must not be empty').max(1024, 'is not one this API returned').optional(),
    /** `uploaded` (newest upload first, the default) or `taken` (one owner's timeline, newest date taken first). */
    sort: z.enum(SORTS, { error: `must be ${SORTS.join(' or ')}` }).default('uploaded'),
    /** `true`: the owner's archive (`PUT /images/{id}/archived`) instead of their list; `false`, the default: not. */
    archived: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional(),
    /** `true`: the caller's locked folder, with an `X-Unlock-Token` (lambdas/locked); `false`, the default: not. */
    locked: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional(),
    /**
     * `expand`: every frame of a stack (lambdas/stacks), not its primary alone, in one owner's list or timeline (not
     * the archive, the locked folder, a status list or a search).
     */
    stacked: z.enum(['expand'], { error: 'must be expand' }).optional(),
    /** A partner's list: the photos this owner shares with the caller (docs/api.md#partners). */
    partner: OwnerSchema.optional(),
    /**
     * `all`: the photos of every owner who shares with the caller, merged; `include`: those merged into the caller's
     * own timeline.
     */
    partners: z.enum(['all', 'include'], { error: 'must be all or include' }).optional(),
    ...FilterShape,
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.slice(0, 5).join(', ')}${issue.keys.length > 5 ? ', ...' : ''}`
        : 'must be a query string',
  },
);
export type ListQuery = z.output<typeof ListQuerySchema>;

/** `GET /images` → 200: one page of summaries, newest first. */
export const ImagePageSchema = z
  .object({
    items: z
      .array(SearchResultSchema.meta({ id: 'ImageSummary' }))
      .meta({ description: 'A summary per image; `GET /images/{id}` has the rest' }),
    cursor: z.string().optional().meta({
      description: 'Present while more items may follow: pass it back, with the same filters, for the next page',
    }),
  })
  .meta({ id: 'ImagePage' });

/** `GET /images`: every field of the handler's query schema is a query parameter. */
export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/images',
  operationId: 'list-images',
  access: 'read',
  summary: "List the caller's images, newest first",
  description:
    "Only the caller's own images; an admin's list holds every owner's unless `owner` narrows it. Follow " +
    '`cursor` for the next page. `sort=taken` is the timeline: newest date taken first (EXIF, else the upload ' +
    "time), each item with its `takenAt`; it reads one owner (an admin's own, or the one `owner` names) and takes " +
    'no search filter or status. An archived image is in neither: `archived=true` lists the archive instead (one ' +
    "owner's, in either order, with no search filter or status), while searches find archived images too. A locked " +
    'image is in none of them, nor in any search: `locked=true` lists the caller’s locked folder (by status or not, ' +
    'in either order), with an unlock token in `X-Unlock-Token` (`POST /locked/unlock`). ' +
    "`partner=<owner>` lists that owner's photos their grant to the caller covers, newest taken first, and " +
    '`partners=all` those of every owner who shares with the caller, merged, and `partners=include` the caller’s ' +
    'own timeline with them merged in (docs/api.md#partners): none takes `owner` or `archived`; `partner=` with ' +
    "search filters searches that owner's library within the grant. A stack (a burst, a RAW+JPEG pair, one its owner " +
    'made: `POST /stacks`) is listed once, as its primary with `stack: {id, count}`; `stacked=expand` lists every ' +
    'frame. A search shows a stack once too, as its primary, found by any of its frames (`matchedFrame` names the ' +
    'frame when the primary itself did not match): a page may hold fewer items than `limit` while a cursor follows.',
  request: {
    query: withFieldMeta(ListQuerySchema, {
      limit: { description: `Items per page: default ${DEFAULT_LIMIT}; more than ${MAX_LIMIT} is served ${MAX_LIMIT}` },
      owner: { description: "Admins only: this owner's images (anyone else may name only themselves)" },
      cursor: { description: 'From the previous page, with the same filters (opaque)' },
      sort: {
        description: '`uploaded` (default): newest upload first; `taken`: newest date taken first, one owner only',
      },
      archived: { description: "`true`: the archived images (one owner's) instead; `false` (default): the others" },
      locked: {
        description: "`true`: the caller's locked folder instead, with `X-Unlock-Token`; `false` (default): the others",
      },
      stacked: {
        description:
          "`expand`: every frame of a stack, each with `stack: {id}`; absent (default): a stack's primary alone, " +
          'with `stack: {id, count}` (a search too). One owner, no archive, locked folder or partner; a status only ' +
          'in a search',
      },
      partner: {
        description:
          'The photos this owner shares with the caller (`POST /partners`), newest taken first; 404 without a grant',
      },
      partners: {
        description:
          '`all`: the photos of every owner who shares with the caller (the first 10 grants), merged; `include`: ' +
          "the caller's own timeline with those merged in, newest taken first",
      },
    }),
  },
  answers: { 200: { description: 'One page of image summaries', body: ImagePageSchema } },
  errors: {
    400:
      'A bad limit, status, owner or sort (`sort=taken` with a search filter or a status), `archived=true` with a ' +
      'search filter or a status, ' +
      'a cursor this API did not return for the same list and filters, or a search too broad to read within its ' +
      'allowance (every word or filter standing for more than 12 index terms: docs/search.md), `partner` or ' +
      '`partners` with `owner` or `archived`, `partners=all` or `include` with a search filter, a search of a grant of albums, or `locked=true` with `partner` or `partners`, ' +
      '`stacked=expand` with `archived`, `locked`, a partner, or a status outside a search',
    403:
      '`owner` names another owner and the caller is not an admin; `locked=true` without a valid `X-Unlock-Token` ' +
      "(none, expired, another owner's, or made under an earlier PIN), or naming another owner",
    404: '`partner` names an owner who has not shared their library with the caller',
  },
});
