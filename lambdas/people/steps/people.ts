import type { z } from 'zod';
import type { EnrichmentStep, RecordStep } from '../../kit/processor-step';
import { createDocumentClient } from '../../shared/aws-clients';
import { peopleIf } from '../open';
import { followMerges, groupPeople, type PeopleDeps } from './group-people';
import type { PeopleEnvShape } from './people-contract';

/**
 * The faces vision described, grouped into the owner's people (`people`, see group-people.ts): after vision, whose faces
 * it needs and whose `inference.costUsd` it adds its searches to; before the record is stored, which keeps person
 * ids, never the faces' descriptors.
 */
export const peopleStep: EnrichmentStep<PeopleDeps> = {
  name: 'people',
  when: 'accepted',
  async run({ notice, attempt, deps, previous }, { item, faceDescriptions }) {
    const seen = item.vision === undefined ? {} : { vision: item.vision };
    const grouping = { regroup: notice.regroupFaces, before: previous?.people };
    return { item: await groupPeople(item, faceDescriptions, seen, attempt, deps, grouping) };
  },
  open: (config: z.output<z.ZodObject<typeof PeopleEnvShape>>, { tracer }) => ({
    people: peopleIf(createDocumentClient(tracer), config),
  }),
  async undo({ deps }, { item }) {
    if (deps.people && item.owner !== undefined && item.people !== undefined) {
      await deps.people.deleteImageFaces(item.owner, item.imageId);
    }
  },
  regroups: (deps) => deps.people !== undefined,
  // A re-owned image's faces leave the old owner's people (a person left with none goes); this step then groups
  // them into the new owner's.
  async leave(existing, deps) {
    await deps.people?.deleteImageFaces(existing.owner, existing.imageId);
  },
};

/**
 * After the image is indexed (`follow-merges`): the images of people grouping merged into its people re-pointed
 * (group-people.ts `followMerges`), before its event goes out.
 */
export const followMergesStep: RecordStep<PeopleDeps> = {
  name: 'follow-merges',
  async run({ deps }, { item }) {
    await followMerges(item, deps);
    return {};
  },
};
