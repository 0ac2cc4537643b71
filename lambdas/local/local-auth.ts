import type { JWK } from 'jose';
import type { AuthMode } from '../settings';
import type { ApiClientDirectory } from '../settings/api';
import { LOCAL_OWNER } from '../store/owner';
import type { ApiAuth, LocalEndpoint } from './api-server';

/**
 * How the local runner authenticates API callers, standing in for the stack's `auth` setting:
 * - `none`: nobody is asked who they are; every image belongs to the owner `local`;
 * - `apikey`: `x-api-key` as a usage plan checks it; the key belongs to the API client `local` (not an admin);
 * - `jwt`: `Authorization: Bearer <token>` as a Cognito authorizer checks it, with tokens the runner signs itself.
 */
export type LocalAuthMode = 'none' | 'apikey' | 'jwt';
export const LOCAL_AUTH_MODES: readonly LocalAuthMode[] = ['none', 'apikey', 'jwt'];

/** What the runner is asked for: with `apikey`, the key's value. */
export type LocalAuthOptions =
  | { mode: 'none' }
  | { mode: 'apikey'; key: string }
  /** With `keysDir`, the signing keys kept in that data folder (runner-secrets.ts), else fresh ones. */
  | { mode: 'jwt'; keysDir?: string };

/** The id API Gateway would give the runner's one API key (the functions see the id, never the value). */
export const LOCAL_API_KEY_ID = 'local-key';

/** The API client that key belongs to: the owner of what it uploads. */
export const LOCAL_API_CLIENT = { name: 'local', admin: false } as const;

/** What a running runner tells scripts and tests about its auth (the ready file's `auth`). */
export type LocalAuthInfo =
  | { mode: 'none'; owner: string }
  | { mode: 'apikey'; apiKey: string; apiKeyId: string; client: string }
  | {
      mode: 'jwt';
      /** POST `{"user", "admin"?, "ttlSeconds"?}` here for a token. */
      tokenUrl: string;
      issuer: string;
      audience: string;
      /** The public key that verifies the tokens, should a test want to check one itself. */
      jwks: { keys: JWK[] };
    };

/** The deployment's `auth` setting the handlers run with: a verified JWT reaches them as Cognito claims do. */
export function authSettingFor(mode: LocalAuthMode): AuthMode {
  return mode === 'jwt' ? 'cognito' : mode;
}

/** The functions' `API_CLIENTS`: with an API key, its id maps to the client `local`; otherwise none. */
export function apiClientsFor(mode: LocalAuthMode): ApiClientDirectory {
  return mode === 'apikey' ? { [LOCAL_API_KEY_ID]: { ...LOCAL_API_CLIENT } } : {};
}

/** The runner's tokens are issued and checked under its own URL, so another runner's are not its own. */
export function localIssuer(apiUrl: string): string {
  return `${apiUrl}/_local`;
}

/** The runner's auth, ready to serve once the runner knows its own URL (its tokens' issuer). */
export interface PreparedAuth {
  /** Synchronous, so that the server answers from the moment it listens. */
  at(apiUrl: string): ServedAuth;
}
export interface ServedAuth {
  api: ApiAuth;
  /** Local-only endpoints the mode adds (`POST /_local/token` with jwt). */
  extras: LocalEndpoint[];
  info: LocalAuthInfo;
}

/** Whatever the mode needs before serving: with jwt, jose (loaded only then) and this run's signing key. */
export async function prepareLocalAuth(options: LocalAuthOptions): Promise<PreparedAuth> {
  if (options.mode === 'none') {
    return { at: () => ({ api: { mode: 'none' }, extras: [], info: { mode: 'none', owner: LOCAL_OWNER } }) };
  }
  if (options.mode === 'apikey') {
    const { key } = options;
    const info: LocalAuthInfo = {
      mode: 'apikey',
      apiKey: key,
      apiKeyId: LOCAL_API_KEY_ID,
      client: LOCAL_API_CLIENT.name,
    };
    return { at: () => ({ api: { mode: 'apikey', key, keyId: LOCAL_API_KEY_ID }, extras: [], info }) };
  }
  const { keptSigningKeys, LocalTokens, publicJwks, tokenEndpoint } = await import('./local-tokens');
  const keys = await keptSigningKeys(options.keysDir);
  const jwks = await publicJwks(keys);
  return {
    at: (apiUrl) => {
      const tokens = new LocalTokens(keys, localIssuer(apiUrl));
      const endpoint = tokenEndpoint(tokens);
      return {
        api: { mode: 'jwt', verify: (token) => tokens.verify(token) },
        extras: [endpoint],
        info: {
          mode: 'jwt',
          tokenUrl: `${apiUrl}${endpoint.path}`,
          issuer: tokens.issuer,
          audience: tokens.audience,
          jwks,
        },
      };
    },
  };
}
