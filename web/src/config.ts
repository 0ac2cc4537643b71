import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { WebConfig } from '../../lambdas/settings/web-config';

export type { WebAuthConfig, WebConfig } from '../../lambdas/settings/web-config';

/** Where the app is served from (vite's `base`, the contract's WEB_BASE). */
export const BASE = import.meta.env.BASE_URL;

/** `/app/config.json`, written next to the app by the stack or the local runner: read before the first render. */
export async function loadConfig(): Promise<WebConfig> {
  const response = await fetch(`${BASE}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`could not read ${BASE}config.json: HTTP ${response.status}`);
  const config = (await response.json()) as WebConfig;
  if (
    typeof config.apiUrl !== 'string' ||
    !config.auth ||
    typeof config.maxUploadBytes !== 'number' ||
    !config.renditions
  ) {
    throw new Error(`${BASE}config.json is not a web configuration`);
  }
  return {
    ...config,
    apiUrl: config.apiUrl.replace(/\/+$/, ''),
    allowedTypes: config.allowedTypes ?? [],
    // A config.json written before camera RAW uploads: no larger limit for them.
    maxRawUploadBytes: typeof config.maxRawUploadBytes === 'number' ? config.maxRawUploadBytes : config.maxUploadBytes,
    faceGrouping: config.faceGrouping === true,
    webhooks: config.webhooks === true,
    // A config.json written before the trash existed: deletes were for good.
    trashDays: typeof config.trashDays === 'number' ? config.trashDays : 0,
  };
}

export const ConfigContext = createContext<WebConfig | undefined>(undefined);

export function useConfig(): WebConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('no configuration');
  return config;
}

/** A path of the app: `path('images/x')` is `/app/images/x`. */
export function appPath(path = ''): string {
  return `${BASE}${path.replace(/^\/+/, '')}`;
}

/**
 * The token of a share link's page, which opens signed out: the fragment of `/app/shared#<token>`, which a browser
 * never sends (so no access log holds it), or the last segment of an older link's path, `/app/shared/<token>`, which
 * still opens. `''` on the page with no token (an unknown link); undefined on any other page.
 */
export function sharedToken(pathname: string, hash = ''): string | undefined {
  const page = appPath('shared');
  if (pathname === page || pathname === `${page}/`) return hash.replace(/^#/, '');
  if (!pathname.startsWith(`${page}/`)) return undefined;
  return pathname.slice(page.length + 1).split('/')[0] ?? '';
}
