import { peopleIf } from '../../../../people/open';
import { createDocumentClient } from '../../../../shared/aws-clients';
import { groupPeople } from '../people';
import type { EnrichmentStep } from '../step';

/**
 * The faces vision described, grouped into the owner's people (`people`, see people.ts): after vision, whose faces
 * it needs and whose `inference.costUsd` it adds its searches to; before the record is stored, which keeps person
 * ids, never the faces' descriptors.
 */
export const peopleStep: EnrichmentStep = {
  name: 'people',
  when: 'accepted',
  async run({ notice, attempt, deps, previous }, { item, faceDescriptions }) {
    const seen = item.vision === undefined ? {} : { vision: item.vision };
    const grouping = { regroup: notice.regroupFaces, before: previous?.people };
    return { item: await groupPeople(item, faceDescriptions, seen, attempt, deps, grouping) };
  },
  open: (config, { tracer }) => ({ people: peopleIf(createDocumentClient(tracer), config) }),
  async undo({ deps }, { item }) {
    if (deps.people && item.owner !== undefined && item.people !== undefined) {
      await deps.people.deleteImageFaces(item.owner, item.imageId);
    }
  },
};
