import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Box } from '../core/vision-schema';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import { type FaceDescriptions, type ImagePeople, type Person, PersonNameSchema } from './contract';
import { assignFace, drawFace, type FaceAssigned, type FaceTarget } from './face-assignment';
import {
  deletePerson,
  type FacesRemoved,
  type FaceWord,
  faceWords,
  removeFacesFromPerson,
  setHidden,
} from './face-corrections';
import type { FaceIndex } from './face-index';
import { deleteImageFaces, type RemovalOptions } from './face-removal';
import { type GroupingOptions, groupFaces } from './grouping';
import { type RepointImage, type RepointOutcome, repointMerged } from './merged-images';
import { listPeople, type PeoplePage, type PeopleQuery } from './people-list';
import {
  type PeopleTable,
  PersonItemSchema,
  personUpdate,
  resolvePerson,
  searchIdsOf,
  toPerson,
  WRITE_ATTEMPTS,
} from './person-item';
import { mergePeople } from './person-merge';
import { fileNameWords, namedBy } from './person-names';
import { dismissSuggestion, listSuggestions, type SuggestionsPage } from './suggestions';

export { InvalidCursorError } from '../store/page-cursor';
export type { PeoplePage, PeopleQuery } from './people-list';
export { PersonContentionError } from './person-item';
export { MAX_MERGE_SOURCES, MAX_MERGED_FROM } from './person-merge';

/**
 * The people table (table-design.ts) behind what the processor and the API need. Every key starts with the owner,
 * so nothing here can read or join another owner's people: another owner's person id is simply not found. A merged
 * person's id keeps working: it reads as the person it was merged into.
 */
export class PeopleStore {
  private readonly table: PeopleTable;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    index: FaceIndex,
    now: () => string = () => new Date().toISOString(),
  ) {
    this.table = { client, tableName, index, now };
  }

  /** Group an image's described faces into the owner's people (grouping.ts); idempotent per image. */
  async groupFaces(
    owner: string,
    imageId: string,
    descriptions: FaceDescriptions,
    options?: GroupingOptions,
  ): Promise<ImagePeople> {
    return groupFaces(this.table, owner, imageId, descriptions, options);
  }

  /** Remove an image's faces from its people (face-removal.ts); idempotent. */
  async deleteImageFaces(owner: string, imageId: string, options?: RemovalOptions): Promise<void> {
    return deleteImageFaces(this.table, owner, imageId, options);
  }

  /** An image's faces with what its owner said of each (face-corrections.ts): a resolve of duplicates carries them. */
  async faceWords(owner: string, imageId: string): Promise<FaceWord[]> {
    return faceWords(this.table, owner, imageId);
  }

  /** One page of the owner's people, most faces first (people-list.ts). A bad cursor: InvalidCursorError. */
  async list(owner: string, query: PeopleQuery): Promise<PeoplePage> {
    return listPeople(this.table, owner, query);
  }

  /** The owner's person of this id (a merged id: the person it was merged into); undefined if there is none. */
  async get(owner: string, personId: string): Promise<Person | undefined> {
    const person = await resolvePerson(this.table, owner, personId);
    // A person a re-cluster left with no face (kept for its name until a face joins it again) is not there.
    return person === undefined || person.faceCount === 0 ? undefined : toPerson(person);
  }

  /**
   * Name a person (`null` clears it); a merged id names the person it was merged into. The name is checked with
   * PersonNameSchema (BadRequestError naming `name`); an unknown id is a NotFoundError.
   */
  async rename(owner: string, personId: string, name: string | null): Promise<Person> {
    const parsed = PersonNameSchema.nullable().safeParse(name);
    if (!parsed.success) {
      throw new BadRequestError(parsed.error.issues.map((issue) => `name: ${issue.message}`).join('; '));
    }
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const person = await resolvePerson(this.table, owner, personId);
      if (person === undefined) throw new NotFoundError(`person ${personId} not found`);
      try {
        const { Attributes } = await this.table.client.send(
          new UpdateCommand({
            ...personUpdate(this.table, owner, person, { name: parsed.data }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        const renamed = PersonItemSchema.parse(Attributes);
        // After the name: a word filed before its name is written would find nothing, not a wrong person.
        await fileNameWords(this.table, owner, renamed.personId, renamed.name);
        return toPerson(renamed);
      } catch (error) {
        // Changed (a face added, a merge) since it was read: read it again.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ConflictError(`person ${personId} kept changing; try again`);
  }

  /**
   * Merge people into `targetId` (person-merge.ts) and answer the target. Errors: BadRequestError (into itself, or
   * not 1-10 ids), NotFoundError (unknown, merged already, or another owner's), ConflictError (too many merged).
   */
  async merge(owner: string, targetId: string, sourceIds: readonly string[]): Promise<Person> {
    return mergePeople(this.table, owner, targetId, sourceIds);
  }

  /**
   * The person ids whose postings `person=<personId>` reads: the person's own, and those merged into it whose images
   * still carry them (not re-pointed yet: merged-images.ts). A merged id reads as its target's; an unknown id has
   * none.
   */
  async termsOf(owner: string, personId: string): Promise<string[]> {
    const person = await resolvePerson(this.table, owner, personId);
    return person === undefined ? [] : searchIdsOf(person);
  }

  /** The person's id and every id merged into it (re-pointed or not); an unknown id has none. */
  async mergedIdsOf(owner: string, personId: string): Promise<string[]> {
    const person = await resolvePerson(this.table, owner, personId);
    return person === undefined ? [] : [person.personId, ...(person.mergedFrom ?? [])];
  }

  /** Re-point the images of the people merged into this one, within a budget (merged-images.ts). */
  async repointMerged(
    owner: string,
    personId: string,
    repoint: RepointImage,
    options: { budget: number },
  ): Promise<RepointOutcome> {
    return repointMerged(this.table, owner, personId, repoint, options);
  }

  /** Take an image's faces (or one) out of a person ("not this person", face-corrections.ts). */
  async removeFaces(owner: string, personId: string, imageId: string, face?: number): Promise<FacesRemoved> {
    return removeFacesFromPerson(this.table, owner, personId, imageId, face);
  }

  /** Give an image's face to a person, or a new one by name (face-assignment.ts). */
  async assignFace(owner: string, imageId: string, face: number, target: FaceTarget, box?: Box): Promise<FaceAssigned> {
    return assignFace(this.table, owner, imageId, face, target, box === undefined ? {} : { box });
  }

  /** A face its owner drew (the detector missed it), given to a person (face-assignment.ts). */
  async drawFace(owner: string, imageId: string, box: Box, target: FaceTarget, first?: number): Promise<FaceAssigned> {
    return drawFace(this.table, owner, imageId, box, target, first);
  }

  /** Hide a person from the people list, or show it again (face-corrections.ts). */
  async setHidden(owner: string, personId: string, hidden: boolean): Promise<Person> {
    return setHidden(this.table, owner, personId, hidden);
  }

  /** Delete a person, its faces unassigned (face-corrections.ts). */
  async deletePerson(owner: string, personId: string): Promise<void> {
    return deletePerson(this.table, owner, personId);
  }

  /** Merge suggestions for a page of the owner's people (suggestions.ts). */
  async suggestions(owner: string, page: { limit: number; cursor?: string }): Promise<SuggestionsPage> {
    return listSuggestions(this.table, owner, page);
  }

  /** Never suggest these two people again (suggestions.ts). */
  async dismissSuggestion(owner: string, personIds: readonly [string, string]): Promise<void> {
    return dismissSuggestion(this.table, owner, personIds);
  }

  /** The person ids a search word stands for: people whose name has a word it begins (person-names.ts). */
  async named(owner: string, word: string): Promise<string[]> {
    return namedBy(this.table, owner, word);
  }
}
