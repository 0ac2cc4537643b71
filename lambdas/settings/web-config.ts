/**
 * The web app's runtime configuration: `/app/config.json`, written by the stack at deploy (lib/constructs/web-site.ts)
 * and by the local runner at start, read by the app before its first render (web/src). Types only, so the app's
 * bundle takes nothing from here.
 */

/** Where the app is served from; every app route is under it, so none collides with an API route. */
export const WEB_BASE = '/app/';

/** How the app signs its API calls, following the stack's `auth` setting. */
export type WebAuthConfig =
  /** Every route open (`auth=none`). */
  | { mode: 'none' }
  /** `auth=apikey`: the user enters their client's API key once; it is kept for the browser session. */
  | { mode: 'apikey' }
  /** The local runner's `--auth jwt`: the user pastes a token from `image-intel token` (no hosted login offline). */
  | { mode: 'token' }
  /**
   * `auth=cognito`: the hosted login with the authorization code flow and PKCE; refresh tokens renew the session.
   * `authority` is the user pool's issuer (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), `domain` the
   * hosted login's base URL (`https://<prefix>.auth.<region>.amazoncognito.com`), `clientId` the app's public client.
   */
  | { mode: 'cognito'; authority: string; domain: string; clientId: string; scope: string };

export interface WebConfig {
  /** The API's base URL without a trailing slash; `''` when the API is on the app's own origin (the local runner). */
  apiUrl: string;
  auth: WebAuthConfig;
  /** The largest upload the API presigns (`maxUploadBytes`): the app refuses bigger files before uploading. */
  maxUploadBytes: number;
  /** Content types the API presigns (`allowedTypes`). */
  allowedTypes: string[];
}
