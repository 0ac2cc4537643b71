/**
 * The web app's runtime configuration: `/app/config.json`, written by the stack at deploy (lib/constructs/web-site.ts)
 * and by the local runner at start, read by the app before its first render (web/src). The app imports types only
 * from here, so its bundle takes nothing of it.
 */

import type { RenditionSettings } from './renditions';
import type { TrashSettings } from './trash';
import type { UploadSettings } from './uploads';
import type { VisionSettings } from './vision';
import type { WebhookSettings } from './webhooks';

/** Where the app is served from; every app route is under it, so none collides with an API route. */
export const WEB_BASE = '/app/';

/**
 * Sent with every file of the app, by the stack's response headers policy (lib/constructs/web-site.ts, with the CSP
 * and HSTS, which name the deployment's origins) and by the runner alike. A share link's page has its token in its
 * URL, so no page passes its address on (none needs to: API calls carry their credential in a header, images are
 * signed URLs); no page is framed; and none is for search engines (a private library, and pages opened by a link
 * that should not be found by anyone else).
 */
export const WEB_APP_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
} as const;

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
  /** The largest camera RAW upload the API presigns (`maxRawUploadBytes`). */
  maxRawUploadBytes: number;
  /** Content types the API presigns (`allowedTypes`). */
  allowedTypes: string[];
  /**
   * What `POST /images/{id}/renditions` allows here (the `rendition*` settings), for the detail page's rendition
   * builder to offer only that; the API checks every spec either way.
   */
  renditions: WebRenditionLimits;
  /**
   * `faceGrouping`: whether the API has the people routes (`GET /people`...). Off, the app shows no People page and
   * no face chips.
   */
  faceGrouping: boolean;
  /**
   * `webhooks`: whether the API has the webhook routes (`GET /webhooks`...). Off, the app shows no Webhooks page.
   */
  webhooks: boolean;
  /** `trashDays`: how long an image stays in the trash; 0 when Delete deletes at once (no Trash page then). */
  trashDays: number;
}

/** The deployment's rendition limits the app offers within (`rendition*` settings). */
export interface WebRenditionLimits {
  /** `renditionMaxSide`: the largest output side, in device pixels. */
  maxSide: number;
  /** `renditionMaxDpr`. */
  maxDpr: number;
  /** `renditionFormats`. */
  formats: string[];
  /** `renditionFilters`. */
  filters: string[];
}

/** The settings `config.json` is made from, beside where the API is and how to sign in. */
export type WebConfigSettings = Pick<UploadSettings, 'maxUploadBytes' | 'maxRawUploadBytes' | 'allowedTypes'> &
  Pick<RenditionSettings, 'renditionMaxSide' | 'renditionMaxDpr' | 'renditionFormats' | 'renditionFilters'> &
  Pick<VisionSettings, 'faceGrouping'> &
  Pick<WebhookSettings, 'webhooks'> &
  Pick<TrashSettings, 'trashDays'>;

/** `config.json`, as the stack and the local runner write it. */
export function webConfigOf(settings: WebConfigSettings, apiUrl: string, auth: WebAuthConfig): WebConfig {
  return {
    apiUrl,
    auth,
    maxUploadBytes: settings.maxUploadBytes,
    maxRawUploadBytes: settings.maxRawUploadBytes,
    allowedTypes: [...settings.allowedTypes],
    renditions: {
      maxSide: settings.renditionMaxSide,
      maxDpr: settings.renditionMaxDpr,
      formats: [...settings.renditionFormats],
      filters: [...settings.renditionFilters],
    },
    faceGrouping: settings.faceGrouping,
    webhooks: settings.webhooks,
    trashDays: settings.trashDays,
  };
}
