import { ALBUMS_CLEANUP_MODULE } from '../albums/cleanup';
import type { CleanupClients, CleanupOccasion, ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { PEOPLE_CLEANUP_MODULE } from '../people/cleanup';
import { RENDITIONS_CLEANUP_MODULE } from '../renditions/cleanup';
import { MEANING_CLEANUP_MODULE, POSTINGS_CLEANUP_MODULE } from '../search/cleanup';
import { type CleanupName, cleanupNames } from './contract';

/** Each cleanup's runtime, by the name its contract gives it (contract.ts holds the order): one for every contract. */
const RUNTIMES: Record<CleanupName, ImageCleanupModule> = {
  renditions: RENDITIONS_CLEANUP_MODULE,
  'search postings': POSTINGS_CLEANUP_MODULE,
  'search by meaning': MEANING_CLEANUP_MODULE,
  people: PEOPLE_CLEANUP_MODULE,
  albums: ALBUMS_CLEANUP_MODULE,
};

/**
 * The cleanups a function runs on these occasions, opened once (at load) from its parsed variables, in the order of
 * contract.ts; a room whose feature is off (no people table, no vector index) is left out.
 */
export function openCleanups(env: object, clients: CleanupClients, ...occasions: CleanupOccasion[]): ImageCleanup[] {
  return cleanupNames(...occasions).flatMap((name) => RUNTIMES[name].open(env, clients) ?? []);
}
