import { InvalidArgumentError } from 'commander';
import type { PlaceNames } from '../../core/place';
import type { PlaceAnswer } from '../../places/functions/place-contract';
import { failureOf, ImageApiClient } from '../api-client';
import { WEBHOOKS_EXIT as EXIT, exitOf, type Out } from '../webhooks/webhooks';

/*
 * `image-intel place <id> --position | --name | --clear | --reset`: correct where an image was taken
 * (`PUT`/`DELETE /images/{id}/place`, docs/places.md "Corrections").
 */

export interface PlaceFlags {
  api: string;
  apiKey?: string;
  token?: string;
  position?: { latitude: number; longitude: number };
  name?: PlaceNames;
  clear?: boolean;
  reset?: boolean;
  json?: boolean;
}

function placeLines(answer: PlaceAnswer): string[] {
  const { place, placeCorrection } = answer;
  const named = place
    ? [place.locality, place.area, place.region, place.country]
        .flatMap((level) => (level ? [level.name] : []))
        .join(', ')
    : 'no place';
  const why = placeCorrection ? `corrected at ${placeCorrection.at}` : "from the photo's GPS";
  return [`${answer.imageId}: ${named}${place ? ` (source ${place.source})` : ''}, ${why}`];
}

/** The body of the one change asked for, or the usage error when none or more than one is. */
export function placeChangeOf(flags: PlaceFlags): { method: 'PUT' | 'DELETE'; body?: unknown } {
  const asked = [flags.position, flags.name, flags.clear, flags.reset].filter((flag) => flag !== undefined);
  if (asked.length !== 1) throw new InvalidArgumentError('give exactly one of --position, --name, --clear, --reset');
  if (flags.reset) return { method: 'DELETE' };
  if (flags.clear) return { method: 'PUT', body: { cleared: true } };
  if (flags.position) return { method: 'PUT', body: { position: flags.position } };
  return { method: 'PUT', body: { place: flags.name } };
}

/** One call, printed; a failure is one line on stderr, in the API's words, and its exit code. */
export async function placeCommand(
  imageId: string,
  flags: PlaceFlags,
  io: { out?: Out; err?: Out; client?: Pick<ImageApiClient, 'call'> } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`image-intel: ${line}\n`));
  let change: ReturnType<typeof placeChangeOf>;
  try {
    change = placeChangeOf(flags);
  } catch (error) {
    err((error as Error).message);
    return EXIT.usage;
  }
  const client = io.client ?? new ImageApiClient(flags.api, { apiKey: flags.apiKey, bearerToken: flags.token });
  try {
    const path = `/images/${encodeURIComponent(imageId)}/place`;
    const answer = (await client.call(change.method, path, change.body)) as PlaceAnswer;
    if (flags.json) out(JSON.stringify(answer));
    else for (const line of placeLines(answer)) out(line);
    return EXIT.ok;
  } catch (error) {
    err(failureOf(error, flags.api));
    return exitOf(error);
  }
}
