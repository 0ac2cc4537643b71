import type { StepList } from './step';
import { decodeStep } from './steps/decode';
import { duplicatesStep } from './steps/duplicates';
import { embedStep, vectorStep } from './steps/embed';
import { peopleStep } from './steps/people';
import { placeStep } from './steps/place';
import { policyStep } from './steps/policy';
import { publishStep } from './steps/publish';
import { renditionsStep } from './steps/renditions';
import { searchIndexStep } from './steps/search-index';
import { staleRenditionsStep } from './steps/stale-renditions';
import { storeStep } from './steps/store';
import { thumbnailsStep } from './steps/thumbnails';
import { visionStep } from './steps/vision';

/**
 * What the processor does with an upload it has to process, in order (step.ts runs them). The order is the
 * contract: the thumbnails are stored before vision reads them, the vector and then the record before its postings,
 * all before its event goes out, and the earlier version's renditions are deleted last.
 */
export const PROCESSOR_STEPS: StepList = [
  // The core analyses and encodes the thumbnails in one pass over one decode: `decode` makes them, `thumbnails`
  // only stores them.
  decodeStep,
  thumbnailsStep,
  // At once: each waits on something else (inference, the table, sharp), and none reads another's part; `place`
  // needs no inference, so it names the place with `inference=none` as with any provider.
  [visionStep, duplicatesStep, renditionsStep, embedStep, placeStep],
  // The owner's moderation policy, on vision's labels: it may blur the thumbnails (stored above) and take back the
  // eager renditions, or reject the image, so it runs before anything is stored that says otherwise.
  policyStep,
  // Needs vision's faces, and adds its searches to vision's cost.
  peopleStep,
  // The vector goes in before the record that says it is there (steps/embed.ts).
  vectorStep,
  // `store` also gives the record its search terms, which `index` posts: the record says what the index holds.
  storeStep,
  searchIndexStep,
  publishStep,
  staleRenditionsStep,
];
