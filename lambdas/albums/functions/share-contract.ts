import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import {
  RenditionSigningEnvSchema,
  type RenditionSigningWiring,
  renditionSigningEnvironment,
} from '../../renditions/functions/create-rendition/route';
import type { RenditionSettings } from '../../renditions/functions/render-image/contract';
import type { DeploymentSettings } from '../../settings';
import { type FunctionEnvironment, setting } from '../../settings/env';
import { WEB_BASE } from '../../settings/web-config';
import { S3EnvSchema } from '../../shared/contract';
import type { SharesWiring } from '../../shares/table-design';
import { type AlbumsWiring, albumsTableOf } from '../table-design';
import { AlbumReadEnvSchema, albumReadEnvironment } from './albums-contract';

/*
 * What the share routes share (docs/api.md#share-links): their environment, and where a link opens. The owner's
 * routes (make, list, revoke) and the public one (GET /shared/{token}) read the shares table; making and revoking
 * publish an event; the public one signs rendition URLs and reads images (and albums).
 */

/** Where the share links are, and where a link opens. */
export interface ShareWiring extends ApiWiring {
  readonly shares: SharesWiring;
  /** The web app's origin (the stack's distribution, the runner's own URL). @default - none: links open the API */
  readonly webAppUrl?: string;
}

const SharesTableShape = {
  /** The shares table (lambdas/shares/table-design.ts). */
  SHARES_TABLE: z.string().min(1),
};

const ShareEnvShape = {
  ...SharesTableShape,
  /** The web app's origin: a link is `<origin>/app/shared#<token>`; empty, the API's `/shared/<token>`. */
  WEB_APP_URL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
};

/** What every owner's share route reads: the API's variables and the links. */
const SharesEnvSchema = ApiEnvSchema.extend(SharesTableShape);

function sharesEnvironment(wiring: ShareWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), SHARES_TABLE: wiring.shares.tableName };
}

/**
 * `GET /shares`: the links, and the shared photos' records (TABLE_NAME) and thumbnails, which it links to (no
 * link's URL: that is answered only when it is made).
 */
export const ListSharesEnvSchema = SharesEnvSchema.extend(S3EnvSchema.shape).extend({
  /** The bucket of the thumbnails a photo's link is listed with. */
  BUCKET_NAME: z.string().min(1),
  DOWNLOAD_URL_TTL_SECONDS: setting('downloadUrlTtlSeconds'),
});
export type ListSharesEnv = z.output<typeof ListSharesEnvSchema>;

export function listSharesEnvironment(
  wiring: ShareWiring & {
    readonly bucketName: string;
    readonly settings: Pick<DeploymentSettings, 'downloadUrlTtlSeconds'>;
  },
): FunctionEnvironment {
  return {
    ...sharesEnvironment(wiring),
    BUCKET_NAME: wiring.bucketName,
    DOWNLOAD_URL_TTL_SECONDS: String(wiring.settings.downloadUrlTtlSeconds),
  };
}

/** `DELETE /shares/{id}`: the links, and the event sinks (`Share Revoked`). */
export const RevokeShareEnvSchema = SharesEnvSchema.extend(SinkEnvShape);
export type RevokeShareEnv = z.output<typeof RevokeShareEnvSchema>;

export function revokeShareEnvironment(wiring: ShareWiring & SinkWiring): FunctionEnvironment {
  return { ...sharesEnvironment(wiring), ...sinkEnvironment(wiring) };
}

/** Making a link: a revoke's variables (`Share Created`), and where a link opens. */
export const ShareEditEnvSchema = RevokeShareEnvSchema.extend(ShareEnvShape);
export type ShareEditEnv = z.output<typeof ShareEditEnvSchema>;

export function shareEditEnvironment(wiring: ShareWiring & SinkWiring): FunctionEnvironment {
  return { ...revokeShareEnvironment(wiring), WEB_APP_URL: wiring.webAppUrl ?? '' };
}

/** `POST /albums/{id}/shares`: making a link, and the albums table (the album's owner and name). */
export const AlbumShareEnvSchema = ShareEditEnvSchema.extend({ ALBUMS_TABLE: z.string().min(1) });
export type AlbumShareEnv = z.output<typeof AlbumShareEnvSchema>;

export function albumShareEnvironment(
  wiring: ShareWiring & SinkWiring & { readonly albums: { readonly tableName: string } },
): FunctionEnvironment {
  return { ...shareEditEnvironment(wiring), ALBUMS_TABLE: wiring.albums.tableName };
}

/**
 * `GET /shared/{token}`: the links; what `GET /albums/{id}` reads (an album's link shows its page, a smart album's
 * search), with the images' records (TABLE_NAME) and their originals; and rendition signing.
 */
export const GetSharedEnvSchema = AlbumReadEnvSchema.extend(ShareEnvShape).extend(RenditionSigningEnvSchema.shape);
export type GetSharedEnv = z.output<typeof GetSharedEnvSchema>;

export type GetSharedWiring = ShareWiring &
  RenditionSigningWiring &
  Parameters<typeof albumReadEnvironment>[0] & {
    readonly settings: Parameters<typeof albumReadEnvironment>[0]['settings'] & RenditionSettings;
  };

export function getSharedEnvironment(wiring: GetSharedWiring): FunctionEnvironment {
  return {
    ...albumReadEnvironment(wiring),
    SHARES_TABLE: wiring.shares.tableName,
    WEB_APP_URL: wiring.webAppUrl ?? '',
    ...renditionSigningEnvironment(wiring),
  };
}

/**
 * `POST /shared/{token}/save`: the links (a save's item beside them), the albums table (an album link's album and its
 * members), the images' records, the pipeline's bucket (the copy is put under `uploads/`, which the processor
 * analyses), the upload limit (the most it reads of an original) and the signing keys (a link's photo ids).
 */
export const SaveSharedEnvSchema = SharesEnvSchema.extend(S3EnvSchema.shape).extend({
  ALBUMS_TABLE: z.string().min(1),
  BUCKET_NAME: z.string().min(1),
  MAX_UPLOAD_BYTES: setting('maxUploadBytes'),
  SIGNING_SECRET_ARN: z.string().min(1),
});
export type SaveSharedEnv = z.output<typeof SaveSharedEnvSchema>;

export function saveSharedEnvironment(
  wiring: ShareWiring & {
    readonly albums?: AlbumsWiring;
    readonly bucketName: string;
    readonly signingSecretArn: string;
    readonly settings: Pick<DeploymentSettings, 'maxUploadBytes'>;
  },
): FunctionEnvironment {
  return {
    ...sharesEnvironment(wiring),
    ALBUMS_TABLE: albumsTableOf(wiring),
    BUCKET_NAME: wiring.bucketName,
    MAX_UPLOAD_BYTES: String(wiring.settings.maxUploadBytes),
    SIGNING_SECRET_ARN: wiring.signingSecretArn,
  };
}

/**
 * Where a link opens: the web app's shared page, which works signed out, or without a web app the API's own
 * `GET /shared/{token}` (`apiUrl`: this API's base, as the request that made the link reached it). The web app's
 * carries the token in its fragment (`/app/shared#<token>`), which a browser never sends: the web app's CloudFront
 * access logs see `/app/shared` only (the page then asks `GET /shared/{token}`, which the API's access log records
 * as its resource path, `/shared/{token}`).
 */
export function shareUrlOf(webAppUrl: string, apiUrl: string): (token: string) => string {
  if (webAppUrl !== '') return (token) => `${webAppUrl.replace(/\/+$/, '')}${WEB_BASE}shared#${token}`;
  return (token) => `${apiUrl.replace(/\/+$/, '')}/shared/${token}`;
}

/** The API's base URL as this request reached it: API Gateway's domain and stage, or (the runner) its Host. */
export function apiUrlOf(event: {
  headers?: Record<string, string | undefined> | null;
  requestContext?: { domainName?: string; stage?: string };
}): string {
  const { domainName, stage } = event.requestContext ?? {};
  if (domainName && stage && !domainName.startsWith('localhost')) return `https://${domainName}/${stage}`;
  const host = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1];
  return `http://${host ?? 'localhost'}`;
}
