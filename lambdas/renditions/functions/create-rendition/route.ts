import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../../api/env';
import { type ApiRouteFactory, withFieldMeta } from '../../../api/route';
import { ImageIdPathSchema, SignedRenditionSchema } from '../../../api/schemas';
import { PARAM_ENTRIES } from '../../../core/render/rendition-params';
import { RenditionSpecInputSchema } from '../../../core/render/rendition-spec';
import type { FunctionEnvironment } from '../../../settings/env';
import { RenderImageEnvSchema, type RenditionSettings, renditionSettingsVariable } from '../render-image/contract';

/**
 * What a function that signs rendition URLs reads (this one, and get-image for its presets). `RENDITION_SETTINGS`
 * is the render function's own variable, parsed by its schema: the signer and the verifier read one set of limits
 * and presets, so a URL the API issues is one the render function accepts.
 */
export const RenditionSigningEnvSchema = z.object({
  /** The signing key set (renditions/signing-keys.ts): the API signs with the key the render function verifies with. */
  SIGNING_SECRET_ARN: z.string().min(1),
  /** Where rendition URLs point: the distribution's URL in AWS, the local runner's own locally. */
  RENDITIONS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  RENDITION_SETTINGS: RenderImageEnvSchema.shape.RENDITION_SETTINGS,
});

/** The secret, the URL and the settings a rendition signer is wired with. */
export interface RenditionSigningWiring {
  readonly signingSecretArn: string;
  readonly renditionsUrl: string;
  readonly settings: RenditionSettings;
}

/** The signing variables, `RENDITION_SETTINGS` as the render function's contract writes it for project files. */
export function renditionSigningEnvironment(wiring: RenditionSigningWiring): FunctionEnvironment {
  return {
    SIGNING_SECRET_ARN: wiring.signingSecretArn,
    RENDITIONS_URL: wiring.renditionsUrl,
    RENDITION_SETTINGS: renditionSettingsVariable(wiring.settings),
  };
}

/** `POST /images/{id}/renditions`: every variable it reads. */
export const CreateRenditionEnvSchema = ApiEnvSchema.extend(RenditionSigningEnvSchema.shape);
export type CreateRenditionEnv = z.output<typeof CreateRenditionEnvSchema>;

export interface CreateRenditionWiring extends ApiWiring, RenditionSigningWiring {
  readonly settings: ApiWiring['settings'] & RenditionSettings;
}

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: CreateRenditionWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), ...renditionSigningEnvironment(wiring) };
}

/** A JSON spec larger than this is refused unread; the longest real spec is under 500 bytes. */
export const MAX_SPEC_BYTES = 2048;

/** The body as the document shows it: the parser's schema, each field described by its row in rendition-params.ts. */
export const RenditionSpecDocument = withFieldMeta(
  RenditionSpecInputSchema,
  Object.fromEntries(PARAM_ENTRIES.map(([field, { description }]) => [field, { description }])),
).meta({ id: 'RenditionSpec' });

/** The answer (web/src/types.ts reads both from here, as the other routes' clients do). */
export { SignedRenditionSchema };

/** `POST /images/{id}/renditions` → 200: the signed URL and the size the rendition will have. */
export const CreatedRenditionSchema = SignedRenditionSchema.extend({
  width: z.number().int().meta({ description: "The rendition's width in device pixels, as it will be rendered" }),
  height: z.number().int().meta({ description: "The rendition's height in device pixels, as it will be rendered" }),
  capped: z.boolean().meta({
    description:
      'true when the size asked for (w, h times dpr) is larger than the image, or its crop, allows without ' +
      '`enlarge`: width x height is then smaller than asked (a rendition never scales up unless told to)',
  }),
}).meta({ id: 'CreatedRendition' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/images/{id}/renditions',
  operationId: 'create-rendition',
  access: 'write',
  summary: 'Sign a URL for a rendition of an image: any size, crop, format, filter or watermark',
  description:
    `The body is a rendition spec (at most ${MAX_SPEC_BYTES} bytes; its fields are those of the URL grammar in ` +
    'docs/renditions.md, `preset` starting from a configured one). The answer is a URL signed with the current ' +
    'key that expires after `renditionUrlTtlSeconds` (rounded up to 5 minutes); the rendition is made when it is ' +
    "first fetched. Another owner's image is a 404, as an unknown id is.",
  request: { path: ImageIdPathSchema, body: RenditionSpecDocument },
  answers: { 200: { description: 'The signed URL, and the size of its rendition', body: CreatedRenditionSchema } },
  errors: {
    400:
      'The id is not an image id, or the spec is not JSON, too large, names an unknown field, or is outside the ' +
      "deployment's limits or the image (a crop past its edge, an output over the largest side, more render work " +
      'than `renditionBudgetMs`, naming the costliest parts and what lowers each)',
    404: "No such image, or another owner's",
    409:
      'The image is not PROCESSED (PENDING, REJECTED or FAILED): it has no renditions; or it has as many custom ' +
      'specs as `renditionsPerImage` (asking for one of them again, or for a preset, is free)',
    429: 'The caller signed `renditionsPerMinute` custom renditions this minute; `Retry-After` says when to try again',
  },
});
