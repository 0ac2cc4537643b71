import * as path from 'node:path';
import { z } from 'zod';
import type { DeploymentSettings } from '../../../settings';
import { type FunctionEnvironment, setting } from '../../../settings/env';
import { json } from '../../../settings/values';
import { PowertoolsEnvSchema, S3EnvSchema } from '../../../shared/contract';
import type { SharesWiring } from '../../../shares/table-design';

/**
 * The settings the render function needs as one JSON variable: limits (the work budget too), presets, watermarks,
 * the URL lifetime, whether renditions keep the position and the digital source type.
 */
export const RENDITION_SETTING_NAMES = [
  'renditionMaxSide',
  'renditionBudgetMs',
  'renditionsPerMinute',
  'renditionsPerImage',
  'renditionMaxDpr',
  'renditionFormats',
  'renditionFilters',
  'renditionPresets',
  'watermarks',
  'renditionUrlTtlSeconds',
  'renditionsKeepGps',
  'renditionsKeepDigitalSourceType',
  'renditionPageCopy',
] as const satisfies readonly (keyof DeploymentSettings)[];
export type RenditionSettings = Pick<DeploymentSettings, (typeof RENDITION_SETTING_NAMES)[number]>;

/** `RENDITION_SETTINGS`: each field parsed by its own deployment setting's schema, none missing, nothing else. */
export const RenditionSettingsSchema = z.strictObject({
  renditionMaxSide: setting('renditionMaxSide'),
  renditionPageCopy: setting('renditionPageCopy'),
  renditionBudgetMs: setting('renditionBudgetMs'),
  renditionsPerMinute: setting('renditionsPerMinute'),
  renditionsPerImage: setting('renditionsPerImage'),
  renditionMaxDpr: setting('renditionMaxDpr'),
  renditionFormats: setting('renditionFormats'),
  renditionFilters: setting('renditionFilters'),
  renditionPresets: setting('renditionPresets'),
  watermarks: setting('watermarks'),
  renditionUrlTtlSeconds: setting('renditionUrlTtlSeconds'),
  renditionsKeepGps: setting('renditionsKeepGps'),
  renditionsKeepDigitalSourceType: setting('renditionsKeepDigitalSourceType'),
}) satisfies z.ZodType<RenditionSettings, unknown>;

/** The rendition function behind CloudFront: every variable it reads, parsed once at load. */
export const RenderImageEnvSchema = PowertoolsEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The image records: a rendition is made only of a PROCESSED image, at its recorded size. */
  TABLE_NAME: z.string().min(1),
  /** Originals (uploads/), thumbnails (thumbnails/) to render from, stored renditions (renditions/). */
  BUCKET_NAME: z.string().min(1),
  /** The signing key set (renditions/signing-keys.ts) that rendition URLs are verified with. */
  SIGNING_SECRET_ARN: z.string().min(1),
  /** The share links (lambdas/shares/table-design.ts): a URL one handed out is served only while it is open. */
  SHARES_TABLE: z.string().min(1),
  /** The stored thumbnails' sizes: the smallest one at least as large as an output is its source. */
  THUMBNAIL_SIZES: setting('thumbnailSizes'),
  /** Sources with more pixels are refused from their header, as at ingest. */
  MAX_PIXELS: setting('maxPixels'),
  /** Compiled into the code by the stack (COMPILED_VARIABLES), as it has no bound of 4 KB. */
  RENDITION_SETTINGS: json(RenditionSettingsSchema, '{"renditionMaxSide":4096,...}'),
});
export type RenderImageEnv = z.output<typeof RenderImageEnvSchema>;

/**
 * Where image watermarks are read at run time. `project`: at their configured paths, relative to the project (the
 * local runner, the CLI). `bundle`: copied into the function's asset by the stack, at `watermarkAssetPath`.
 */
export type WatermarkFiles = 'project' | 'bundle';

export interface RenderImageWiring {
  readonly tableName: string;
  readonly bucketName: string;
  readonly signingSecretArn: string;
  /** Where the share links are: every deployment has them. */
  readonly shares: SharesWiring;
  readonly settings: Pick<DeploymentSettings, 'thumbnailSizes' | 'maxPixels'> & RenditionSettings;
  /** @default 'project' */
  readonly watermarkFiles?: WatermarkFiles;
}

/**
 * A bundled image watermark's path inside the function's asset, relative to its root (`LAMBDA_TASK_ROOT`):
 * `watermarks/<name>.<ext>`. The construct copies each configured file there; the handler reads it from there.
 */
export function watermarkAssetPath(name: string, image: string): string {
  return `watermarks/${name}${path.extname(image)}`;
}

/**
 * `RENDITION_SETTINGS`, the one way every function that reads it writes it (this one, the processor for its eager
 * presets, the signers for their limits): the same text from each, so the local runner's merge finds them equal.
 * With `bundle`, an image watermark is named by its path inside the function's asset.
 */
export function renditionSettingsVariable(settings: RenditionSettings, files: WatermarkFiles = 'project'): string {
  const watermarks = Object.fromEntries(
    Object.entries(settings.watermarks).map(([name, mark]) => [
      name,
      mark.image !== undefined && files === 'bundle' ? { image: watermarkAssetPath(name, mark.image) } : mark,
    ]),
  );
  const picked = Object.fromEntries(RENDITION_SETTING_NAMES.map((name) => [name, settings[name]]));
  return JSON.stringify({ ...picked, watermarks });
}

/** The environment the stack and the local runner give the render function. */
export function environmentFor(wiring: RenderImageWiring): FunctionEnvironment {
  const { settings } = wiring;
  return {
    TABLE_NAME: wiring.tableName,
    BUCKET_NAME: wiring.bucketName,
    SIGNING_SECRET_ARN: wiring.signingSecretArn,
    SHARES_TABLE: wiring.shares.tableName,
    THUMBNAIL_SIZES: settings.thumbnailSizes.join(','),
    MAX_PIXELS: String(settings.maxPixels),
    RENDITION_SETTINGS: renditionSettingsVariable(settings, wiring.watermarkFiles),
  };
}
