import type { RenditionSpec } from '../core/render/rendition';
import { presetSpecOf, type RenditionLimits } from '../core/render/rendition-spec';
import type { RenditionPresets } from '../settings/renditions';
import { BadRequestError, NotFoundError } from '../shared/errors';
import { IMAGE_ID_PATTERN } from '../store/keys';
import { RENDITION_EXTENSIONS } from './query';
import { parseRenditionSpec } from './spec';

/*
 * Public preset URLs: `/<imageId>/<preset>.<ext>`, unsigned and without an expiry, for the presets a deployment
 * marks `public` (off by default). The address names a configured spec and nothing else (no query, no parameter),
 * so what it can cost is bounded by the deployment: one rendition per public preset per image, rendered once and
 * stored at the same key as the signed URL of the same spec. A public preset has a fixed format (the settings
 * refuse one without), which the extension names in its one spelling (`jpg` for JPEG): the cache key of such an
 * address is its path alone, so it cannot follow an Accept header. docs/renditions.md, "Public preset URLs".
 */

type Preset = RenditionPresets[string];

/** The file a preset is served at, `<name>.<ext>` (`card.webp`), or undefined for a preset that is not public. */
export function publicFileOf(name: string, preset: Preset): string | undefined {
  if (!preset.public || preset.format === undefined || preset.format === 'auto') return undefined;
  return `${name}.${RENDITION_EXTENSIONS[preset.format]}`;
}

/** Every public preset's file: what the viewer-request function lets through (written into it at synth). */
export function publicRenditionFiles(presets: RenditionPresets): string[] {
  return Object.entries(presets).flatMap(([name, preset]) => publicFileOf(name, preset) ?? []);
}

/** A public preset's URL: the renditions' origin, the image id, the file. */
export function publicRenditionUrl(baseUrl: string, imageId: string, file: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${imageId}/${file}`;
}

/** What a public address names. */
export interface PublicAddress {
  imageId: string;
  /** The preset named by the file. */
  preset: string;
  spec: RenditionSpec;
}

/**
 * Whether a path is of the public form, two segments or more (`/<imageId>/<file>`); a signed URL's is one,
 * `/<imageId>`. Any such path is answered as a public address: a 404 unless it is one.
 */
export function isPublicPath(path: string): boolean {
  return path.indexOf('/', 1) > 0;
}

/**
 * The spec a public address names: a 400 for any query (the address takes no parameter; the spec is the
 * deployment's), a 404 for a path that is not `/<imageId>/<file>` of a public preset's file (an unknown preset, a
 * preset that is not public, another extension), so nothing but the configured renditions can be asked for.
 */
export function publicAddress(
  path: string,
  rawQuery: string,
  presets: RenditionPresets,
  limits: RenditionLimits,
): PublicAddress {
  if (rawQuery !== '') {
    throw new BadRequestError(
      'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
    );
  }
  const [, imageId = '', file, ...more] = path.split('/');
  if (file === undefined || more.length > 0 || !IMAGE_ID_PATTERN.test(imageId)) {
    throw new NotFoundError('path: not a public rendition address, /<imageId>/<preset>.<ext>');
  }
  const found = Object.entries(presets).find(([name, preset]) => publicFileOf(name, preset) === file);
  if (found === undefined) {
    const files = publicRenditionFiles(presets);
    const known = files.length > 0 ? `public presets: ${files.join(', ')}` : 'no preset is public here';
    throw new NotFoundError(`${JSON.stringify(file.slice(0, 80))}: no public preset is served at this name (${known})`);
  }
  const [preset, flags] = found;
  return { imageId, preset, spec: parseRenditionSpec(presetSpecOf(flags), limits) };
}
