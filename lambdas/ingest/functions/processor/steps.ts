import type { StepList } from './step';
import { decodeStep } from './steps/decode';
import { duplicatesStep } from './steps/duplicates';
import { embedStep, vectorStep } from './steps/embed';
import { peopleStep } from './steps/people';
import { placeStep } from './steps/place';
import { policyStep } from './steps/policy';
import { provenanceStep } from './steps/provenance';
import { publishStep } from './steps/publish';
import { eagerRenditionsStep, renditionsStep } from './steps/renditions';
import { searchIndexStep } from './steps/search-index';
import { staleRenditionsStep } from './steps/stale-renditions';
import { storeStep } from './steps/store';
import { thumbnailsStep } from './steps/thumbnails';
import { visionStep } from './steps/vision';

/**
 * What the processor does with an upload it has to process, in order (step.ts runs them). The order is the
 * contract: nothing of the image is stored before the owner's policy has read vision's answer, the vector and then
 * the record before its postings, all before its event goes out, and the earlier version's renditions are deleted
 * last.
 */
export const PROCESSOR_STEPS: StepList = [
  // The core analyses and encodes the thumbnails in one pass over one decode.
  decodeStep,
  // At once: each waits on something else (inference, the table, sharp), and none reads another's part; `place`
  // needs no inference, so it names the place with `inference=none` as with any provider. `renditions` renders the
  // eager presets in memory; vision gets the thumbnail inline. `provenance` reads the original's credentials.
  [visionStep, duplicatesStep, renditionsStep, embedStep, placeStep, provenanceStep],
  // The owner's moderation policy, on vision's labels and the provenance: it may blur the image or reject it, before
  // anything is stored.
  policyStep,
  // The thumbnails (blurred when the policy says) and the eager renditions (none then); the faces, which need
  // vision's and add their searches to its cost.
  [thumbnailsStep, eagerRenditionsStep, peopleStep],
  // The vector goes in before the record that says it is there (steps/embed.ts).
  vectorStep,
  // `store` also gives the record its search terms, which `index` posts: the record says what the index holds.
  storeStep,
  searchIndexStep,
  publishStep,
  staleRenditionsStep,
];
