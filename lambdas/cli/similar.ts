import { failureOf, ImageApiClient } from './api-client';

export interface SimilarFlags {
  api: string;
  apiKey?: string;
  token?: string;
  /** Largest Hamming distance between perceptual hashes, 0 to 11 (the API's default 6 when not given). */
  maxDistance?: number;
  /** At most this many images, 1 to 100 (the API's default 20). */
  limit?: number;
}

/** `similar`'s exit codes, as `search`'s: printed (maybe nothing), the API refused or failed, a wrong command line. */
export const SIMILAR_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const SIMILAR_EXIT_HELP = `
Each line is one image: {"imageId","distance","duplicate"}, nearest first
(exact copies, then by distance); an exact copy (the same bytes) says duplicate: true.

Exit codes:
  0  every similar image was printed (none, when nothing is that close)
  1  the API refused (404: no such image of yours; 409: not PROCESSED yet;
     400: a distance or limit out of range), or could not be reached
  2  usage error: no image id, an unknown option
`;

/**
 * `image-intel similar ID`: the caller's images that look like this one (`GET /images/{id}/similar`), nearest first,
 * one JSON line each, as `search` prints its matches.
 */
export async function similarCommand(
  imageId: string,
  flags: SimilarFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
): Promise<number> {
  const client = new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const page = await client.similar(imageId, { maxDistance: flags.maxDistance, limit: flags.limit });
    for (const item of page.items) out(JSON.stringify(item));
    return SIMILAR_EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return SIMILAR_EXIT.failed;
  }
}
