import type { WebAuthConfig } from './config';

/**
 * How the app signs its API calls, per `config.auth.mode`:
 * - `none`: nothing;
 * - `apikey` / `token`: a secret the user pastes once, kept in sessionStorage, sent as `x-api-key` or
 *   `Authorization: Bearer <token>`;
 * - `cognito`: the hosted login (authorization code + PKCE) through oidc-client-ts, loaded only in this mode; the
 *   ID token is sent as `Authorization`, refresh tokens renew it.
 */
export interface Auth {
  readonly mode: WebAuthConfig['mode'];
  /** Whether there is a credential to send (always true with `none`). */
  signedIn(): boolean;
  /** The headers an API call carries. */
  headers(): Promise<Record<string, string>>;
  /** `apikey` / `token`: check the secret the user typed with the API and keep it; the problem if it does not work. */
  remember(secret: string): Promise<string | undefined>;
  /** `cognito`: go to the hosted login. */
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /**
   * Whether the caller is an admin, as far as the app can tell, to show the admin pages: the token's
   * `cognito:groups`, or with an API key what the API answered at sign-in. The API decides on every call.
   */
  admin(): boolean;
  /**
   * Who the app signs calls as, in words for the header: the token's user name (or e-mail, or subject), "an API
   * key", or the open API's one owner; undefined when signed out.
   */
  who(): string | undefined;
  /**
   * The owner id the API files the caller's photos under, where the app can tell: a token's subject (what
   * lambdas/api/caller.ts takes), the open API's one owner; undefined for an API key (its client's name is the
   * API's) and when signed out. Shows a partner's photo read-only (pages/detail.tsx); the API decides on every call.
   */
  owner(): string | undefined;
  /** The API answered 401 or 403: forget the credential and ask again. */
  rejected(): Promise<void>;
  /** Why the user is asked to sign in again, if they were signed in before. */
  problem?: string;
}
