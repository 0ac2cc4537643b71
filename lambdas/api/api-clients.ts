import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { parseJsonOrUndefined } from '../core/json';
import { type ApiClientDirectory, ApiClientDirectorySchema } from '../settings/api';

/**
 * With `auth=apikey`, which client each API key id belongs to lives in an SSM parameter the stack writes
 * (`API_CLIENTS_PARAMETER`), not in the functions' environment: fifty clients' directory alone would take most of
 * Lambda's 4 KB, and the key ids are known only once deployed. Read on a container's first keyed request and kept
 * for `CACHE_SECONDS`, so SSM sees about one read per container per five minutes.
 */
const CACHE_SECONDS = 300;

/** A key id the cached directory does not know is looked up again, at most this often per container. */
const REFRESH_SECONDS = 10;

export interface DirectoryOptions {
  /** Read the parameter even if cached: for a key id that the cached copy does not know (a client just added). */
  readonly refresh?: boolean;
}
export type ApiClientLookup = (options?: DirectoryOptions) => Promise<ApiClientDirectory>;

/** When each parameter was last read past the cache, in this container. */
const refreshedAt = new Map<string, number>();

/** The directory's reader for a parameter name; an empty name (no API clients) is an empty directory. */
export function apiClientLookup(parameterName: string): ApiClientLookup {
  if (parameterName === '') return async () => ({});
  return async ({ refresh = false } = {}) => {
    const forceFetch = refresh && Date.now() - (refreshedAt.get(parameterName) ?? 0) > REFRESH_SECONDS * 1000;
    if (forceFetch) refreshedAt.set(parameterName, Date.now());
    const value = await getParameter(parameterName, { maxAge: CACHE_SECONDS, forceFetch });
    const parsed = ApiClientDirectorySchema.safeParse(parseJsonOrUndefined(value));
    if (!parsed.success) throw new Error(`the SSM parameter ${parameterName} is not an API client directory`);
    return parsed.data;
  };
}
