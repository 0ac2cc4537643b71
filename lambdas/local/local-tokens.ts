import { randomUUID } from 'node:crypto';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { ADMIN_GROUP } from '../settings/api';
import type { LocalEndpoint, LocalReply } from './api-server';
import { readRunnerSecrets, saveRunnerSecrets } from './runner-secrets';
import { LOCAL_AUDIENCE, LOCAL_TOKEN_PATH, type TokenRequest, TokenRequestSchema } from './token-request';

/** The one algorithm the runner signs with and accepts: `none`, HMAC and every other algorithm are refused. */
const ALGORITHM = 'ES256';

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** A fresh key pair for one run. The private key cannot be exported, so it never leaves this process. */
export function generateSigningKeys(): Promise<SigningKeys> {
  return generateKeyPair(ALGORITHM);
}

/**
 * With a data folder, the pair kept there (made and kept on first use), so tokens issued before a restart still
 * verify after it; without one, a fresh pair for this run.
 */
export async function keptSigningKeys(dir: string | undefined): Promise<SigningKeys> {
  if (!dir) return generateSigningKeys();
  const kept = readRunnerSecrets(dir).jwtPrivateKey as JWK | undefined;
  if (kept) {
    const { d: _private, ...publicJwk } = kept;
    return {
      privateKey: (await importJWK(kept, ALGORITHM)) as CryptoKey,
      publicKey: (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
    };
  }
  const keys = await generateKeyPair(ALGORITHM, { extractable: true });
  saveRunnerSecrets(dir, { jwtPrivateKey: { ...(await exportJWK(keys.privateKey)) } });
  return keys;
}

/**
 * The runner's stand-in for a Cognito user pool: it signs ID-token-shaped JWTs and verifies them as the REST API's
 * Cognito authorizer does (signature, algorithm, expiry, issuer, audience) before any handler runs.
 */
export class LocalTokens {
  constructor(
    private readonly keys: SigningKeys,
    readonly issuer: string,
    readonly audience: string = LOCAL_AUDIENCE,
  ) {}

  /**
   * A token for `request.user`, in the `admins` group when `request.admin`. Each is a sign-in of its own, as a
   * Cognito sign-in is: a fresh `origin_jti` and its `auth_time` (what api/caller.ts binds an unlock token to).
   */
  async issue(request: TokenRequest, now: Date = new Date()): Promise<IssuedToken> {
    const { user, admin, ttlSeconds } = TokenRequestSchema.parse(request);
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expires = issuedAt + ttlSeconds;
    const token = await new SignJWT({
      'cognito:username': user,
      ...(admin && { 'cognito:groups': [ADMIN_GROUP] }),
      token_use: 'id',
      auth_time: issuedAt,
      origin_jti: randomUUID(),
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(user)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expires)
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return { token, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /**
   * The token's claims as the authorizer hands them on, when this runner signed it with ES256 for this audience
   * and it has not expired; undefined for anything else, whatever its unverified parts say.
   */
  async verify(token: string): Promise<Record<string, string> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['exp'],
      });
      return authorizerClaims(payload);
    } catch {
      return undefined;
    }
  }
}

/** The public half as a JWK Set, for whoever wants to check a token without the runner. */
export async function publicJwks(keys: SigningKeys): Promise<{ keys: JWK[] }> {
  return { keys: [{ ...(await exportJWK(keys.publicKey)), alg: ALGORITHM, use: 'sig' }] };
}

/**
 * Claims as a REST API's Cognito authorizer puts them in `requestContext.authorizer.claims`: every value a string.
 * Arrays are joined with commas (`cognito:groups` is `admins,editors`), `exp` and `iat` become dates as Java prints
 * them (`Sun Mar 28 13:40:42 UTC 2021`), other numbers and booleans their text.
 */
export function authorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') claims[name] = javaDate(value);
    else if (Array.isArray(value)) claims[name] = value.join(',');
    else if (typeof value === 'object' && value !== null) claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDate(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} ${time} UTC ${date.getUTCFullYear()}`;
}

/** `POST /_local/token`: a 400 naming the field for a bad body, else the token and when it expires. */
export function tokenEndpoint(tokens: LocalTokens): LocalEndpoint {
  return {
    method: 'POST',
    path: LOCAL_TOKEN_PATH,
    jsonOnly: true,
    handle: async (body: string): Promise<LocalReply> => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return { status: 400, body: { message: 'body: a JSON object {"user", "admin"?, "ttlSeconds"?} is required' } };
      }
      const parsed = TokenRequestSchema.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
        return { status: 400, body: { message: problems.join('; ') } };
      }
      return { status: 200, body: await tokens.issue(parsed.data) };
    },
  };
}
