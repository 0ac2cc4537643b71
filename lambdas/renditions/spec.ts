import { budgetProblem, type CostedImage, renderCost } from '../core/render/render-cost';
import type { RenditionSpec } from '../core/render/rendition';
import { largestOutputSide } from '../core/render/rendition';
import {
  checkSpec,
  jsonName,
  type Naming,
  type PresetSpecs,
  type RenditionLimits,
} from '../core/render/rendition-spec';
import { BadRequestError } from '../shared/errors';

/*
 * A rendition request as the API reads it: the spec grammar (core/render/rendition-spec.ts) with its problems answered
 * as a 400, and what only the image itself can tell. The JSON body is bounded before it is parsed by the function
 * that reads it (create-rendition.ts, `readSpecBody`).
 */

/** A JSON spec (`POST /images/{id}/renditions`, a preset) as a checked spec with its defaults filled in. */
export function parseRenditionSpec(input: unknown, limits: RenditionLimits, presets: PresetSpecs = {}): RenditionSpec {
  return resolveSpec(input, limits, presets, jsonName);
}

/** A spec from any input (the JSON body, rendition URLs through query.ts), or a 400 naming every problem. */
export function resolveSpec(
  input: unknown,
  limits: RenditionLimits,
  presets: PresetSpecs,
  naming: Naming,
): RenditionSpec {
  const result = checkSpec(input, limits, presets, naming);
  if (result.problems) throw new BadRequestError(result.problems.join('; '));
  return result.spec;
}

/** An image as a spec is checked against: the record's oriented size and whether it has several frames. */
export interface ImageShape {
  width: number;
  height: number;
  /** The image has several frames (the record's `metadata.isAnimated`). */
  animated?: boolean;
}

/** An image as its record describes it: its shape, and what rendering from it costs. */
export type SpecImage = ImageShape & CostedImage;

/**
 * Refuse, with a 400, a spec that cannot apply to the image: a crop outside it, an output over the largest side
 * (`renditionMaxSide`), a watermark on an animated image.
 */
export function checkAgainstImage(spec: RenditionSpec, image: ImageShape, limits: Pick<RenditionLimits, 'maxSide'>) {
  const { width, height } = image;
  const problems: string[] = [];
  const { crop } = spec;
  if (crop && crop.x + crop.w > width) {
    problems.push(`crop: x ${crop.x} + w ${crop.w} = ${crop.x + crop.w} is past the image's width of ${width} px`);
  }
  if (crop && crop.y + crop.h > height) {
    problems.push(`crop: y ${crop.y} + h ${crop.h} = ${crop.y + crop.h} is past the image's height of ${height} px`);
  }
  if (image.animated && spec.watermark !== undefined) {
    problems.push('watermark: not drawn on animated images, and this one is animated');
  }
  const side = largestOutputSide(spec, width, height);
  if (problems.length === 0 && side > limits.maxSide) {
    problems.push(
      `w, h: this spec makes a ${side} px side from the ${width} × ${height} image, over the largest side ` +
        `this deployment renders (renditionMaxSide ${limits.maxSide}): give a smaller w or h`,
    );
  }
  if (problems.length > 0) throw new BadRequestError(problems.join('; '));
}

/**
 * Everything a deployment checks before it signs or renders a spec for an image: `checkAgainstImage`, then the
 * render work against the budget (`renditionBudgetMs`; `auto` costed at the costliest allowed format), a 400 that
 * names the costliest parts and what lowers each. The API checks it when signing, the render function again when
 * rendering (a URL signed before the budget was lowered). The processor's eager presets and the CLI, which do not
 * spend a deployment's render function, check only the former.
 */
export function checkRenderable(spec: RenditionSpec, image: SpecImage, limits: RenditionLimits): void {
  checkAgainstImage(spec, image, limits);
  const problem = budgetProblem(renderCost(spec, image, limits.formats), limits.budgetMs);
  if (problem) throw new BadRequestError(problem);
}
