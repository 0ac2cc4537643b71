import type { z } from 'zod';
import { type ApiRouteFactory, withFieldMeta } from '../../api/route';
import { ImageIdPathSchema, type SameType, SignedRenditionSchema } from '../../api/schemas';
import { RenditionSpecInputSchema } from '../../core/rendition-spec';
import { MAX_SPEC_BYTES } from '../../renditions/spec';
import type { SignedRendition } from '../../renditions/urls';

/** The body as the document shows it: the parser's schema, each field described (docs/renditions.md has more). */
const RenditionSpecDocument = withFieldMeta(RenditionSpecInputSchema, {
  w: { description: 'Output width in CSS pixels; alone, the height keeps the aspect ratio' },
  h: { description: 'Output height in CSS pixels' },
  fit: { description: 'How the source fills a w x h box (default cover)' },
  dpr: { description: 'Device pixel ratio: w=400, dpr=2 makes 800 pixels (default 1; at most renditionMaxDpr)' },
  enlarge: { description: 'Allow an output larger than the source (default: clamped to it)' },
  gravity: { description: 'What cover keeps; smart: the faces, else the objects found, else the most salient part' },
  crop: { description: 'A region of the original (as oriented), in its pixels, cut before resizing' },
  format: { description: 'auto (default): AVIF, else WebP, as the Accept header allows, else JPEG (PNG with alpha)' },
  q: { description: "Encoder quality (default: the format's)" },
  rotate: { description: 'Degrees, before resizing: w and h are the turned output’s' },
  flip: { description: 'Mirror top to bottom' },
  flop: { description: 'Mirror left to right' },
  blur: { description: 'Gaussian blur sigma' },
  sharpen: { description: 'Unsharp mask sigma' },
  grayscale: { description: 'Grey levels' },
  normalize: { description: 'Stretch the contrast to the full range' },
  brightness: { description: 'Multiplier (1: unchanged)' },
  saturation: { description: 'Multiplier (1: unchanged)' },
  hue: { description: 'Hue rotation in degrees, stored modulo 360' },
  contrast: { description: 'Multiplier (1: unchanged)' },
  median: { description: 'Median filter size (noise removal)' },
  kernel: { description: 'A 3x3 convolution' },
  watermark: { description: 'A configured watermark (`watermarks` setting); not on animated images' },
  watermarkGravity: { description: 'Where the watermark goes (default southeast)' },
  watermarkOpacity: { description: 'The watermark’s opacity (default 0.5)' },
  preset: { description: 'A configured preset (`renditionPresets`) to start from; the other fields override it' },
}).meta({ id: 'RenditionSpec' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<SignedRendition, z.output<typeof SignedRenditionSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/images/{id}/renditions',
  operationId: 'create-rendition',
  summary: 'Sign a URL for a rendition of an image: any size, crop, format, filter or watermark',
  description:
    `The body is a rendition spec (at most ${MAX_SPEC_BYTES} bytes; its fields are those of the URL grammar in ` +
    'docs/renditions.md, `preset` starting from a configured one). The answer is a URL signed with the current ' +
    'key that expires after `renditionUrlTtlSeconds` (rounded up to 5 minutes); the rendition is made when it is ' +
    "first fetched. Another owner's image is a 404, as an unknown id is.",
  request: { path: ImageIdPathSchema, body: RenditionSpecDocument },
  answers: { 200: { description: 'The signed URL', body: SignedRenditionSchema } },
  errors: {
    400:
      'The id is not an image id, or the spec is not JSON, too large, names an unknown field, or is outside the ' +
      "deployment's limits or the image (a crop past its edge, an output over the largest side)",
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED (PENDING, REJECTED or FAILED): it has no renditions',
  },
});
