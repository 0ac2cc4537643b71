import { z } from 'zod';
import { FILTERS, OUTPUT_FORMATS } from '../core/render/rendition';
import {
  checkSpec,
  flag,
  jsonName,
  name,
  presetSpecOf,
  type RenditionLimits,
  SPEC_SHAPE,
  strict,
} from '../core/render/rendition-spec';
import { textWatermarkProblem } from '../core/render/text-fold';
import type { StackSettings } from './stack';
import { int, json, list, PRICE_CLASSES, flag as settingFlag, urlLifetime } from './values';

/*
 * What a deployment configures about renditions (its `renditionPresets`, `watermarks` and limits), checked when
 * the stack is synthesised, and the limits a spec is read against.
 */

const PresetSchema = strict({
  ...SPEC_SHAPE,
  /** Made by the processor at ingest, in the same decode as the thumbnails; needs a fixed format. */
  eager: flag().optional(),
  /**
   * Also served at a stable, unsigned address, `<renditions URL>/<imageId>/<preset>.<ext>`, for as long as the image
   * exists (docs/renditions.md, "Public preset URLs"); needs a fixed format, which the extension names. Default off.
   */
  public: flag().optional(),
});
export type RenditionPreset = z.output<typeof PresetSchema>;
const MAX_PRESETS = 16;

/** Named specs (`renditionPresets`); each gets a signed URL in `GET /images/{id}`, hence the cap. */
export const RenditionPresetsSchema = z
  .record(name('preset'), PresetSchema)
  .refine((presets) => Object.keys(presets).length <= MAX_PRESETS, `at most ${MAX_PRESETS} presets`);
export type RenditionPresets = z.output<typeof RenditionPresetsSchema>;

/**
 * A watermark: a text, or an image file (PNG or WebP, for their alpha) given relative to the project, bundled
 * with the functions. No SVG: the pipeline refuses SVG as unsafe to rasterise, watermarks included.
 */
const WatermarkSchema = strict({
  text: z
    .string({ error: 'must be a text' })
    .regex(/^[^\p{Cc}]{1,100}$/u, 'must be 1 to 100 characters, no control characters')
    .optional(),
  image: z
    .string({ error: 'must be a path' })
    .regex(
      /^([\w-][\w.-]*\/)*[\w-][\w.-]*\.(png|webp)$/,
      'must be a .png or .webp path relative to the project, such as assets/logo.png (no .., no leading /)',
    )
    .optional(),
}).refine((mark) => (mark.text === undefined) !== (mark.image === undefined), 'give either text or image');
export type WatermarkSetting = z.output<typeof WatermarkSchema>;

/** Configured watermarks by name (`watermarks`), which `wm=` refers to. */
export const WatermarksSchema = z
  .record(name('watermark'), WatermarkSchema)
  .refine((marks) => Object.keys(marks).length <= MAX_PRESETS, `at most ${MAX_PRESETS} watermarks`);

export const RenditionSettingsSchema = z.object({
  /**
   * Named rendition specs (docs/renditions.md), each a signed URL in `GET /images/{id}` and `preset=<name>` in a
   * rendition URL; `eager` ones are made by the processor at ingest and need a fixed format; `public` ones are also
   * served unsigned at `<renditions URL>/<imageId>/<preset>.<ext>` and need a fixed format too. A JSON object in
   * cdk.json or `-c renditionPresets='{"thumb":{"w":200,"h":200}}'` (it replaces the defaults). Default: `card`
   * (400 × 300 WebP cover, eager: the one a listing shows for every image, so a new upload's first view is a stored
   * object; one small encode from the raster the processor already holds), `hero` (1600 px wide, best format the
   * client takes) and `avatar` (128 px square, smart gravity, so faces stay in; not eager: smart needs the vision
   * results, and few images become avatars).
   */
  renditionPresets: json(RenditionPresetsSchema, '{"thumb":{"w":200,"h":200}}').default({
    card: { w: 400, h: 300, format: 'webp', eager: true },
    hero: { w: 1600 },
    avatar: { w: 128, h: 128, gravity: 'smart' },
  }),
  /**
   * Largest side of a rendition in device pixels (w or h times dpr, or the source's when no size is given):
   * 16 to 16383 (WebP's limit). Larger is a 400 naming this setting. Default 4096.
   */
  renditionMaxSide: int().min(16).max(16_383).default(4096),
  /**
   * The longest side, in px, of the JPEG copy the processor stores at ingest (q90, beside vision, from the original)
   * for renditions larger than the thumbnails hold, such as a 1200 px page: they decode it instead of the original
   * (docs/renditions.md, "A stored page-size copy"). 0 stores none: those render from the original. An image no
   * larger than it gets none. 0 or 1025 to 8192. Default 2048.
   */
  renditionPageCopy: int()
    .min(0)
    .max(8192)
    .refine((side) => side === 0 || side > 1024, '0 (none) or more than 1024 px')
    .default(2048),
  /**
   * The most render work one rendition may take, in CPU milliseconds on one core as core/render/render-cost.ts estimates it
   * from the spec and the image's record (output and source pixels, filters and their radius, encoder and quality):
   * 100 to 20,000. A spec over it is a 400 when its URL is asked for, naming what to lower. Default 8,000: the
   * largest spec within it renders in well under the render function's 30 s timeout (bench/render-cost/results.md).
   */
  renditionBudgetMs: int().min(100).max(20_000).default(8000),
  /**
   * Custom rendition URLs (`POST /images/{id}/renditions`) one owner may have signed per minute, 1 to 100,000: past
   * it, a 429 saying when to try again. Presets do not count. Default 60.
   */
  renditionsPerMinute: int().min(1).max(100_000).default(60),
  /**
   * Different custom specs one image may have, 1 to 1,000 (each stored once fetched, in up to one object per
   * allowed format): past it, a 409; asking for one it has again is free. Presets do not count. Default 20.
   */
  renditionsPerImage: int().min(1).max(1000).default(20),
  /** Largest device pixel ratio (`dpr`) of a rendition, 1 to 3. Default 3. */
  renditionMaxDpr: z.coerce.number().min(1).max(3).default(3),
  /** Output formats a rendition may ask for; `format=auto` picks among them. Default jpeg, png, webp, avif. */
  renditionFormats: list(z.enum(OUTPUT_FORMATS))
    .refine((formats) => formats.length > 0, 'at least one format')
    .default([...OUTPUT_FORMATS]),
  /** Filters a rendition may use (blur, sharpen, grayscale, normalize, brightness...); none is fine. Default all. */
  renditionFilters: list(z.enum(FILTERS)).default([...FILTERS]),
  /**
   * Watermarks a rendition may name (`wm=<name>`): a text or a PNG/WebP image path relative to the project, as
   * JSON: `-c watermarks='{"logo":{"image":"assets/logo.png"},"credit":{"text":"© Example"}}'`. Default none.
   */
  watermarks: json(WatermarksSchema, '{"logo":{"image":"assets/logo.png"}}').default({}),
  /**
   * Seconds a signed rendition URL stays valid: 1 s to 7 days. The expiry is rounded up to a 5-minute window so
   * that everyone asking for a rendition in one window gets the same URL (one CDN cache entry). Default 3600.
   */
  renditionUrlTtlSeconds: urlLifetime().default(3600),
  /**
   * Renditions carry the image's position as EXIF GPS (its record's `position`: the photo's own GPS, or the one its
   * owner set; none once the owner cleared it), and nothing else of its metadata. For a photographer whose downloads
   * and portfolio should say where each picture was taken; anyone holding a rendition URL, and every public preset,
   * then learns it too. Thumbnails never carry it. Default false: no rendition carries any metadata
   * (docs/places.md, "Privacy").
   */
  renditionsKeepGps: settingFlag(false),
  /**
   * Renditions of an image whose record names an IPTC digital source type (`provenance.digitalSourceType`, read at
   * ingest from its Content Credentials or its XMP: `trainedAlgorithmicMedia` for a picture a model made) carry it
   * as XMP `Iptc4xmpExt:DigitalSourceType`, its IPTC URI, and nothing else of its metadata, so a site that shows a
   * rendition can still label an AI image. No rendition carries the original's Content Credentials either way: a
   * rendition is a new picture, which its manifest does not describe. Thumbnails never carry it. Default false: no
   * rendition carries any metadata (docs/renditions.md, "Metadata and Content Credentials").
   */
  renditionsKeepDigitalSourceType: settingFlag(false),
  /** Days between rotations of the rendition signing key, 1 to 365; old keys stay while URLs use them. Default 30. */
  renditionKeyRotationDays: int().min(1).max(365).default(30),
  /** The render function's memory in MB (1024-10240); CPU grows with it, and AVIF encodes want it. Default 2048. */
  renditionMemoryMb: int().min(1024).max(10_240).default(2048),
  /**
   * Where the renditions distribution serves from, and so what its traffic costs: `PriceClass_100` (North
   * America, Europe, Israel), `PriceClass_200` (also most of Asia, the Middle East and Africa) or `PriceClass_All`
   * (every edge location, South America and Oceania included). Default `PriceClass_100`.
   */
  renditionPriceClass: z.enum(PRICE_CLASSES).default('PriceClass_100'),
  /**
   * A WAF web ACL in front of the renditions and web app distributions, with one rate-based rule (`wafRateLimit`).
   * A CloudFront web ACL lives in us-east-1, so the app adds a stack there, `<stackName>-waf`; `cdk deploy --all`
   * deploys it first. It costs a fixed $6 a month and $0.60 per million requests (docs/costs.md). `false` leaves it
   * out, and deletes it from a deployment that had it. Default true.
   */
  waf: settingFlag(true),
  /**
   * Requests one IP address may make in 5 minutes to the renditions and web app distributions together (they share
   * the web ACL); more get a 429 until its rate falls below it again: 10 to 2,000,000,000 (WAF's own bounds).
   * Default 2,000: a person paging the web app's gallery (24 renditions a page) stays far below it.
   */
  wafRateLimit: int().min(10).max(2_000_000_000).default(2000),
});
export type RenditionSettings = z.output<typeof RenditionSettingsSchema>;

/** Added to `stackName` to name the web ACL's stack in us-east-1. */
export const WAF_STACK_SUFFIX = '-waf';

/** With `waf`, its stack's name, `<stackName>-waf`, must fit CloudFormation's 128 characters too. */
export function wafProblems(settings: Pick<RenditionSettings, 'waf'> & Pick<StackSettings, 'stackName'>): string[] {
  const longest = 128 - WAF_STACK_SUFFIX.length;
  return settings.waf && settings.stackName.length > longest
    ? [`stackName: at most ${longest} characters with waf, whose stack is named <stackName>${WAF_STACK_SUFFIX}`]
    : [];
}

export function renditionLimitsOf(
  settings: Pick<
    RenditionSettings,
    | 'renditionMaxSide'
    | 'renditionMaxDpr'
    | 'renditionFormats'
    | 'renditionFilters'
    | 'watermarks'
    | 'renditionBudgetMs'
  >,
): RenditionLimits {
  return {
    maxSide: settings.renditionMaxSide,
    budgetMs: settings.renditionBudgetMs,
    maxDpr: settings.renditionMaxDpr,
    formats: settings.renditionFormats,
    filters: settings.renditionFilters,
    watermarks: Object.keys(settings.watermarks),
  };
}

/**
 * Presets that fail the deployment's own limits, eager or public ones without a fixed format, eager ones with smart
 * gravity, and text watermarks that cannot be drawn, as `cdk synth` reports them.
 */
export function renditionSettingsProblems(settings: RenditionSettings): string[] {
  const limits = renditionLimitsOf(settings);
  const problems: string[] = [];
  for (const [preset, flags] of Object.entries(settings.renditionPresets)) {
    const { eager } = flags;
    const spec = presetSpecOf(flags);
    const checked = checkSpec(spec, limits, {}, jsonName);
    if (checked.problems) problems.push(`renditionPresets.${preset}: ${checked.problems.join('; ')}`);
    if (eager && (spec.format ?? 'auto') === 'auto') {
      problems.push(`renditionPresets.${preset}: an eager preset needs a format (no Accept header at ingest)`);
    }
    // Its cache key is the path alone, so one address must always be one format: the extension names it.
    if (flags.public && (spec.format ?? 'auto') === 'auto') {
      problems.push(
        `renditionPresets.${preset}: a public preset needs a format (jpeg, png, webp or avif), which its URL's ` +
          'extension names: a stable URL is cached on its path alone, so it cannot follow the Accept header; for ' +
          'several formats, make a public preset per format',
      );
    }
    // Made at ingest, before vision finds the faces and objects smart gravity frames: it would be cut by sharp's
    // attention strategy alone, and stored where the render function would serve it instead.
    if (eager && spec.gravity === 'smart') {
      problems.push(
        `renditionPresets.${preset}: an eager preset cannot use gravity smart (it is made at ingest, before vision ` +
          'finds the faces and objects smart gravity frames): drop eager, or give a compass gravity such as center',
      );
    }
  }
  for (const [name, mark] of Object.entries(settings.watermarks)) {
    const problem = mark.text === undefined ? undefined : textWatermarkProblem(mark.text);
    if (problem) problems.push(`watermarks.${name}: ${problem}`);
  }
  return problems;
}
