/**
 * A run's results rendered again from its JSON, without an emulator: the library is regenerated from its seed
 * (deterministic) to compute the offline band figures again (with today's code: how similar-images.ts probes may
 * have changed since the run).
 * `npx tsx bench/search-scale/main.ts --replay bench/search-scale/results.json` writes the markdown again.
 */
import { HEAVY_OWNER, Library } from './corpus';
import { catalogueOf } from './load';
import type { ScaleResults } from './report';
import { bandEstimates, bandFigures, bandSample, chooseSimilar, ownerHashes } from './similar';

export function replayResults(results: ScaleResults): ScaleResults {
  const library = new Library(results.images, results.seed);
  const catalogue = catalogueOf(library, HEAVY_OWNER);
  const hashes = ownerHashes(library, catalogue, HEAVY_OWNER);
  const picked = chooseSimilar(library, hashes).map((pick) => pick.index);
  for (const image of picked) {
    Object.assign(results.similarEstimate, bandEstimates(hashes, catalogue.ids, image, results.postingBytes.mean));
  }
  results.bands = bandFigures(
    library,
    hashes,
    [...bandSample(hashes, results.seed), ...picked],
    results.postingBytes.mean,
  );
  return results;
}
