import type { Box } from '../core/vision-schema';
import type { FaceDescriptions, ImagePeople, Person } from './contract';
import type { FaceAssigned, FaceTarget } from './face-assignment';
import type { FacesRemoved } from './face-corrections';
import type { RepointImage, RepointOutcome } from './merged-images';
import type { SuggestionsPage } from './suggestions';

/**
 * What the API functions and the processor ask of the people store (`lambdas/people`, docs/people.md): every call
 * is scoped to one owner, and another owner's person is as unknown as a missing one. Tests use an in-memory fake
 * (test/support/people-fake.ts); the functions are wired with the DynamoDB store (`openPeople`).
 */
export interface PeoplePort {
  /** Group one image's described faces into the owner's people; idempotent per image (a retry changes nothing). */
  groupFaces(
    owner: string,
    imageId: string,
    descriptions: FaceDescriptions,
    options?: { regroup?: boolean; onSearch?: () => void },
  ): Promise<ImagePeople>;
  /** Remove an image's faces (and a person left with none); idempotent. */
  deleteImageFaces(owner: string, imageId: string, options?: { keepEmptyPeople?: boolean }): Promise<void>;
  /** The owner's people, most faces first; merged people are not listed; `hidden`: the hidden people instead. */
  list(
    owner: string,
    page: { limit: number; cursor?: string; hidden?: boolean },
  ): Promise<{ items: Person[]; cursor?: string }>;
  /** One person, a merged id answering its target; undefined when unknown or another owner's. */
  get(owner: string, personId: string): Promise<Person | undefined>;
  /** Name a person (null: no name); NotFoundError when unknown. */
  rename(owner: string, personId: string, name: string | null): Promise<Person>;
  /** Merge the sources into the target (NotFoundError for an unknown one, ConflictError past the cap). */
  merge(owner: string, targetId: string, sourceIds: string[]): Promise<Person>;
  /** Take an image's faces (or one, `face`) out of a person: unassigned from then on. NotFoundError if none is. */
  removeFaces(owner: string, personId: string, imageId: string, face?: number): Promise<FacesRemoved>;
  /**
   * Give an image's face to a person (or a new person by name), wherever it was: the owner's word, kept through
   * re-clusters. `box`: where the face is, for a face found but never described (it then has no item yet).
   * NotFoundError: no such face (without `box`) or person.
   */
  assignFace(owner: string, imageId: string, face: number, target: FaceTarget, box?: Box): Promise<FaceAssigned>;
  /** A face its owner drew at `box`, given to a person: a new face index from `first` (DRAWN_FACE_FIRST) on. */
  drawFace(owner: string, imageId: string, box: Box, target: FaceTarget, first?: number): Promise<FaceAssigned>;
  /** Hide a person from the people list, or show it again; NotFoundError when unknown. */
  setHidden(owner: string, personId: string, hidden: boolean): Promise<Person>;
  /** Delete a person: its faces unassigned, never grouped into it again; NotFoundError when unknown. */
  deletePerson(owner: string, personId: string): Promise<void>;
  /** Merge suggestions for a page of the owner's people (suggestions.ts). */
  suggestions(owner: string, page: { limit: number; cursor?: string }): Promise<SuggestionsPage>;
  /** Never suggest merging these two people again. */
  dismissSuggestion(owner: string, personIds: readonly [string, string]): Promise<void>;
  /**
   * The person ids whose `person=` postings a search for this person reads: it, and those merged into it whose
   * images are not re-pointed to it yet.
   */
  termsOf(owner: string, personId: string): Promise<string[]>;
  /**
   * The person's id and every id merged into it, re-pointed or not: what a search by meaning's vector filter reads,
   * since a vector keeps the person ids its image had when it was embedded.
   */
  mergedIdsOf(owner: string, personId: string): Promise<string[]>;
  /**
   * Hand each image of the people merged into this one to `repoint` (at most `budget`), and once every one is done,
   * stop reading their ids' postings (merged-images.ts).
   */
  repointMerged(
    owner: string,
    personId: string,
    repoint: RepointImage,
    options: { budget: number },
  ): Promise<RepointOutcome>;
  /**
   * The person ids a search word (normalised) stands for: of each of the owner's people whose name has a word it
   * begins (two letters: that is the word), its id and those merged into it not re-pointed yet; at most 10 people.
   */
  named(owner: string, word: string): Promise<string[]>;
}
