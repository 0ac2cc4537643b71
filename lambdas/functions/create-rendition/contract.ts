import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../api/env';
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
