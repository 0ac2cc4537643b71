import { z } from 'zod';
import { ALBUM_ID_PATTERN } from '../../albums/schemas';
import { type AlbumsWiring, albumsTableOf } from '../../albums/table-design';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import type { DeploymentSettings } from '../../settings';
import type { FunctionEnvironment } from '../../settings/env';
import { OwnerSchema } from '../../store/owner';
import { type PartnersWiring, partnersTableOf } from '../table-design';

/** At most this many albums in one grant: a partner's page queries each. */
export const MAX_GRANT_ALBUMS = 20;

/*
 * What the partner routes share (`/partners...`, docs/api.md#partners): their environment and the grant as they take
 * and answer it. What they run with is in partners-api.ts.
 */

/** Every variable a partner route reads. */
export const PartnersEnvSchema = ApiEnvSchema.extend({
  /** The partners table (lambdas/partners/table-design.ts). */
  PARTNERS_TABLE: z.string().min(1),
  /** The albums table: a grant's albums must be the grantor's. */
  ALBUMS_TABLE: z.string().min(1),
  ...SinkEnvShape,
});
export type PartnersEnv = z.output<typeof PartnersEnvSchema>;

export interface PartnersRouteWiring extends ApiWiring, SinkWiring {
  readonly partners?: PartnersWiring;
  readonly albums?: AlbumsWiring;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth'>;
}

/** The environment the stack and the local runner give each partner route. */
export function partnersEnvironment(wiring: PartnersRouteWiring): FunctionEnvironment {
  return {
    ...apiEnvironment(wiring),
    PARTNERS_TABLE: partnersTableOf(wiring),
    ALBUMS_TABLE: albumsTableOf(wiring),
    ...sinkEnvironment(wiring),
  };
}

/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (the camera's local time, as the timeline keeps dates), kept to the second. */
const FromSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?$/, 'must be a date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS')
  .transform((value) => (value.length === 10 ? `${value}T00:00:00` : value))
  .refine((value) => {
    const parsed = new Date(`${value}Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === value;
  }, 'is not a real date');

/** `POST /partners` body. */
export const GrantPartnerSchema = z.strictObject(
  {
    partner: OwnerSchema.meta({ description: 'The owner (as the API names them: a user id, a client name) granted' }),
    albums: z
      .array(z.string().regex(ALBUM_ID_PATTERN, 'must be album ids (`al_` and 20 hex characters)'))
      .min(1, 'must name at least one album, or be left out for the whole library')
      .max(MAX_GRANT_ALBUMS, `at most ${MAX_GRANT_ALBUMS} albums`)
      .transform((ids) => [...new Set(ids)])
      .optional()
      .meta({
        description: `Only these manual albums of the caller's (1 to ${MAX_GRANT_ALBUMS}); absent: every photo`,
      }),
    from: FromSchema.optional().meta({
      description: 'Only photos taken (else uploaded) from this date on, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`',
    }),
  },
  { error: 'must be a JSON object {"partner", "albums"?, "from"?}' },
);
export type GrantPartnerBody = z.output<typeof GrantPartnerSchema>;

/** A grant as the API answers it. */
export const PartnerGrantSchema = z
  .object({
    grantor: z.string().meta({ description: 'Who shares their library' }),
    partner: z.string().meta({ description: 'Who may read it' }),
    albums: z.array(z.string()).optional().meta({ description: "Only these albums' photos; absent: every photo" }),
    from: z.string().optional().meta({ description: 'Only photos taken from this moment on' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'PartnerGrant' });

/** `{partner}` of `DELETE /partners/{partner}`. */
export const PartnerPathSchema = z.object({
  partner: OwnerSchema.meta({ description: 'The partner whose grant is revoked' }),
});
