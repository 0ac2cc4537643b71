import { createHash } from 'node:crypto';
import { type Crop, isFullFrame } from '../core/crop';
import type { Position } from '../core/place';
import type { OutputFormat, RenditionSpec, RequestedFormat } from '../core/render/rendition';
import {
  PARAM_ENTRIES,
  type ParamName,
  queryNameOf,
  RENDITION_PARAMS,
  type RenditionParam,
  SPEC_FIELDS,
} from '../core/render/rendition-params';
import { RENDITION_DEFAULTS, type RenditionLimits } from '../core/render/rendition-spec';
import { quoted, REGION_TEXT, regionFromText } from '../core/render/rendition-values';
import type { RenditionPresets } from '../settings/renditions';
import { BadRequestError } from '../shared/errors';
import { RENDITION_PREFIX } from '../store/keys';
import { resolveSpec } from './spec';

/*
 * The URL side of renditions: the query grammar (a name per row of core/render/rendition-params.ts, read as the row's kind)
 * into a checked spec through the same schema and messages as the JSON body, its one canonical spelling, the output
 * format an `auto` request gets, and where each rendition is stored.
 */

/** A query longer than this is refused unparsed; a canonical query with every parameter is under 400. */
export const MAX_QUERY_CHARS = 1024;

/** Every parameter of the grammar in canonical order (the edge function admits these; the cache key holds them). */
export const RENDITION_QUERY_NAMES: readonly string[] = PARAM_ENTRIES.map(([field]) => queryNameOf(field));
/** The signature's parameters (signing.ts), which the spec parser skips. */
export const SIGNATURE_QUERY_NAMES = ['exp', 'kid', 'sig'] as const;
/**
 * What a URL signs after the spec (signing.ts): `lk` for a photo in the locked folder; a share link's (share-scope.ts)
 * link, and `download`.
 */
export const SCOPE_QUERY_NAMES = ['lk', 'share', 'download'] as const;

/**
 * A rendition URL's query (the string after `?`, or its parameters) as a checked spec. A `preset` is expanded
 * first and every other parameter overrides its value (`preset=card&format=avif` is the card in AVIF). The
 * signature's parameters are skipped: verifying them is signing.ts's.
 */
export function specFromQuery(
  params: string | URLSearchParams,
  limits: RenditionLimits,
  presets: RenditionPresets = {},
): RenditionSpec {
  if (typeof params === 'string' && params.length > MAX_QUERY_CHARS) {
    throw new BadRequestError(`query: ${params.length} characters, over the ${MAX_QUERY_CHARS} a rendition takes`);
  }
  const search = typeof params === 'string' ? new URLSearchParams(params.replace(/^\?/, '')) : params;
  return resolveSpec(queryInput(search), limits, presets, queryNameOf);
}

const FIELD_OF = new Map(PARAM_ENTRIES.map(([field]) => [queryNameOf(field), field]));
const SKIPPED = new Set<string>(SIGNATURE_QUERY_NAMES);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Query parameters as the JSON spec's fields and types, so both go through one schema and one set of messages. */
function queryInput(search: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [param, value] of search) {
    if (SKIPPED.has(param)) continue;
    const field = FIELD_OF.get(param);
    if (field === undefined) {
      problems.push(`${quoted(param)}: unknown parameter (known: ${RENDITION_QUERY_NAMES.join(', ')})`);
      if (problems.length > 5) break;
      continue;
    }
    if (seen.has(param)) problems.push(`${param}: given more than once`);
    seen.add(param);
    const converted = queryValue(field, value);
    if (typeof converted === 'object' && converted !== null && 'problem' in converted) {
      problems.push(`${param}: ${converted.problem}, got ${quoted(value)}`);
    } else input[field] = converted;
  }
  if (problems.length > 0) throw new BadRequestError(problems.join('; '));
  return input;
}

/** A parameter's text as its row's kind reads it, for the schema to check, or what the text must be. */
function queryValue(field: ParamName, value: string): unknown {
  switch (RENDITION_PARAMS[field].kind) {
    case 'flag':
      if (value === '' || value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return { problem: 'must be given bare, or as true, false, 1 or 0' };
    case 'text':
      return value;
    case 'region':
      return regionFromText(value) ?? { problem: REGION_TEXT };
    case 'number':
      return NUMBER.test(value) ? Number(value) : { problem: 'must be a number' };
  }
}

/**
 * The spec in one spelling: parameters in a fixed order, defaults left out, numbers as `String(n)` writes them
 * (the shortest text that reads back as the same number). Two URLs for one rendition give one string, so one
 * signature, one cache entry and one stored object; `specFromQuery` reads it back to the same spec.
 */
export function canonicalQuery(spec: RenditionSpec): string {
  const parts: string[] = [];
  const defaults: Record<string, unknown> = RENDITION_DEFAULTS;
  for (const field of SPEC_FIELDS) {
    const value = spec[field];
    const { kind, needs } = RENDITION_PARAMS[field] as RenditionParam;
    if (value === undefined || value === defaults[field]) continue;
    if (needs && (spec as Record<string, unknown>)[needs.field] === undefined) continue;
    const param = queryNameOf(field);
    if (kind === 'flag') parts.push(param);
    else if (typeof value === 'object') parts.push(`${param}=${value.x},${value.y},${value.w},${value.h}`);
    else parts.push(`${param}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

const ALPHA_ORDER: readonly OutputFormat[] = ['avif', 'webp', 'png', 'jpeg'];
const OPAQUE_ORDER: readonly OutputFormat[] = ['avif', 'webp', 'jpeg', 'png'];
const NEEDS_ACCEPT = new Set<OutputFormat>(['avif', 'webp']);

/**
 * The format of an `auto` request: AVIF if the client names `image/avif` with q > 0 and the deployment allows it,
 * else WebP likewise, else JPEG, which every client decodes. Only an explicit type counts, not `image/*` or
 * `*\/*`: curl and old browsers send those and cannot decode AVIF (Serverless Image Handler's auto-WebP and
 * imgproxy read Accept the same way). A source with alpha falls back to PNG before JPEG: JPEG would flatten a
 * transparent logo onto a box, and a correct larger file beats a wrong smaller one.
 */
export function negotiateFormat(
  requested: RequestedFormat,
  acceptHeader: string | undefined,
  allowedFormats: readonly OutputFormat[],
  hasAlpha = false,
): OutputFormat {
  if (requested !== 'auto') return requested;
  const accepted = acceptedTypes(acceptHeader ?? '');
  const order = hasAlpha ? ALPHA_ORDER : OPAQUE_ORDER;
  const allowed = order.filter((format) => allowedFormats.includes(format));
  const best = allowed.find((format) => !NEEDS_ACCEPT.has(format) || accepted.has(`image/${format}`));
  return best ?? allowed[0] ?? 'jpeg';
}

/** Media types named in an Accept header with a non-zero q (a header is short; a long one is read to 2 KB). */
function acceptedTypes(header: string): Set<string> {
  const types = new Set<string>();
  for (const range of header.slice(0, 2048).split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) types.add(type);
  }
  return types;
}

/** Each format's file extension, in a stored rendition's key and a public preset's URL: one spelling each. */
export const RENDITION_EXTENSIONS: Readonly<Record<OutputFormat, string>> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};

/** Where every rendition of an image is stored: deleting the image deletes this prefix. */
export function renditionPrefix(imageId: string): string {
  return `${RENDITION_PREFIX}${imageId}/`;
}

/**
 * What a rendition is made from: the original's bytes (their SHA-256) and the analysis its `gravity=smart` frames
 * with (the ANALYSIS_VERSION that made it). Hashed into every rendition's key, so a new upload under the same id,
 * or a re-analysis, gets new keys, and no rendition of the earlier picture or analysis is ever served for it.
 * `blurred` (its owner's moderation policy blurs it, lambdas/policy) is part of it too, so a blurred image never
 * shares a key with an unblurred rendition of the same bytes. `gps`, the position a rendition carries
 * (`renditionsKeepGps`), too: turning the setting on or off, or the owner correcting the position, gives new keys,
 * so no rendition made with a position is served once it should carry none or another one. `rotation`, the turn the
 * record's pixels were made with (`rotationApplied`), too: a URL signed before its owner turned the photo names
 * another key once the turn is applied, so the earlier orientation is not served from the bucket or (past its
 * `ETag`'s revalidation) from CloudFront. `crop`, the crop they were made with (`cropApplied`), likewise. `digitalSourceType`, the IPTC URI a rendition declares in its XMP
 * (`renditionsKeepDigitalSourceType`), too, for the same reason: turning the setting on or off gives an image that
 * has one new keys, and its renditions made under the other setting are not served again.
 */
export function renditionVersion(source: {
  sha256: string;
  analysisVersion: string;
  blurred?: boolean;
  gps?: Position;
  rotation?: number;
  crop?: Crop;
  digitalSourceType?: string;
}): string {
  const { gps, rotation, crop, digitalSourceType } = source;
  const position =
    gps && `/gps:${gps.latitude},${gps.longitude}${gps.altitude === undefined ? '' : `,${gps.altitude}`}`;
  // No turn adds nothing, so the keys of every image never turned stay as they were.
  const turn = rotation ? `/rotate:${rotation}` : '';
  // Likewise no crop, or the whole picture.
  const cut = crop && !isFullFrame(crop) ? `/crop:${crop.left},${crop.top},${crop.width},${crop.height}` : '';
  // Likewise no source type: the keys of every rendition without one stay as they were.
  const declared = digitalSourceType ? `/dst:${digitalSourceType}` : '';
  return `${source.sha256}/${source.analysisVersion}${source.blurred ? '/blurred' : ''}${position ?? ''}${turn}${cut}${declared}`;
}

/**
 * `renditions/<imageId>/<16 hex>.<ext>`: the first 64 bits of the SHA-256 of the canonical query with the
 * negotiated format in place of the requested one, so `format=auto` served as WebP and `format=webp` share one
 * stored object, and every edge location's miss finds it. `version` (renditionVersion) is hashed in too.
 */
export function renditionKey(imageId: string, spec: RenditionSpec, format: OutputFormat, version?: string): string {
  const hash = createHash('sha256')
    .update(canonicalQuery({ ...spec, format }))
    .update(version === undefined ? '' : `\n${version}`)
    .digest('hex')
    .slice(0, 16);
  return `${renditionPrefix(imageId)}${hash}.${RENDITION_EXTENSIONS[format]}`;
}
