import { z } from 'zod';
import { OwnerSchema } from '../store/owner';

/*
 * The runner's token route (`--auth jwt`), as its server (local-tokens.ts), its auth (local-auth.ts) and the CLI's
 * `image-intel token` speak it.
 */

/** The `aud` of the runner's tokens (a Cognito ID token's is its app client id). */
export const LOCAL_AUDIENCE = 'image-intel-local';

/** Where a runner in jwt mode hands out tokens (local only: a deployed API has no such route). */
export const LOCAL_TOKEN_PATH = '/_local/token';

export const MAX_TOKEN_TTL_SECONDS = 86_400;

/** `POST /_local/token`: who the token is for (its `sub`, the owner of what they upload), admin or not, how long. */
export const TokenRequestSchema = z.strictObject({
  user: OwnerSchema,
  admin: z.boolean().default(false),
  ttlSeconds: z.number().int().min(1).max(MAX_TOKEN_TTL_SECONDS).default(3600),
});
export type TokenRequest = z.input<typeof TokenRequestSchema>;
