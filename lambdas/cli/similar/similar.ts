import { failureOf, ImageApiClient } from '../api-client';

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
Each line is one image: {"imageId","filename","distance","duplicate"}, nearest
first (exact copies, then by distance); distance is the Hamming distance of the
perceptual hashes (0-64), an exact copy (the same bytes) says duplicate: true;
filename is the uploaded file's name (null: none given, or deleted since).

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
    const names = await filenamesOf(
      client,
      page.items.map((item) => item.imageId),
    );
    for (const item of page.items) {
      const { imageId: id, distance, duplicate } = item;
      out(JSON.stringify({ imageId: id, filename: names.get(id) ?? null, distance, duplicate }));
    }
    return SIMILAR_EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return SIMILAR_EXIT.failed;
  }
}

/** Records read at once for their names: a page is at most 100 images, read a few at a time, not 100 at once. */
const NAME_READS_AT_ONCE = 8;

/**
 * Each image's uploaded file name, from its record (`GET /images/{id}`: the similar route answers ids and distances
 * only). An image deleted since has none; any other failure stops the command, as the listing's would.
 */
async function filenamesOf(client: ImageApiClient, ids: string[]): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  for (let start = 0; start < ids.length; start += NAME_READS_AT_ONCE) {
    const batch = ids.slice(start, start + NAME_READS_AT_ONCE);
    const records = await Promise.all(batch.map((id) => client.get(id)));
    batch.forEach((id, i) => {
      names.set(id, records[i]?.filename ?? null);
    });
  }
  return names;
}
