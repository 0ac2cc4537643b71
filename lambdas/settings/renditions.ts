import { z } from 'zod';
import type { FilterName, OutputFormat } from '../core/rendition';
import { textWatermarkProblem } from '../core/text-fold';
import { flag, name, parseRenditionSpec, SPEC_SHAPE, strict } from '../renditions/spec';
import type { DeploymentSettings } from './index';

/*
 * What a deployment configures about renditions (its `renditionPresets`, `watermarks` and limits), checked when
 * the stack is synthesised, and the limits a spec is read against.
 */

const PresetSchema = strict({
  ...SPEC_SHAPE,
  /** Made by the processor at ingest, in the same decode as the thumbnails; needs a fixed format. */
  eager: flag().optional(),
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

/** What one deployment allows (its `rendition*` settings and configured watermarks). */
export interface RenditionLimits {
  /** Largest output side in device pixels (w or h times dpr, or the source's when no size is given). */
  maxSide: number;
  maxDpr: number;
  formats: readonly OutputFormat[];
  filters: readonly FilterName[];
  /** Names of the configured watermarks. */
  watermarks: readonly string[];
}

export function renditionLimitsOf(
  settings: Pick<
    DeploymentSettings,
    'renditionMaxSide' | 'renditionMaxDpr' | 'renditionFormats' | 'renditionFilters' | 'watermarks'
  >,
): RenditionLimits {
  return {
    maxSide: settings.renditionMaxSide,
    maxDpr: settings.renditionMaxDpr,
    formats: settings.renditionFormats,
    filters: settings.renditionFilters,
    watermarks: Object.keys(settings.watermarks),
  };
}

/** Presets that fail the deployment's own limits, or are eager without a fixed format, as `cdk synth` reports. */
export function renditionSettingsProblems(settings: DeploymentSettings): string[] {
  const limits = renditionLimitsOf(settings);
  const problems: string[] = [];
  for (const [preset, { eager, ...spec }] of Object.entries(settings.renditionPresets)) {
    try {
      parseRenditionSpec(spec, limits);
    } catch (error) {
      problems.push(`renditionPresets.${preset}: ${(error as Error).message}`);
    }
    if (eager && (spec.format ?? 'auto') === 'auto') {
      problems.push(`renditionPresets.${preset}: an eager preset needs a format (no Accept header at ingest)`);
    }
  }
  for (const [name, mark] of Object.entries(settings.watermarks)) {
    const problem = mark.text === undefined ? undefined : textWatermarkProblem(mark.text);
    if (problem) problems.push(`watermarks.${name}: ${problem}`);
  }
  return problems;
}
