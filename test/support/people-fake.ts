import type { Box } from '../../lambdas/core/vision-schema';
import {
  FACE_MATCH_DISTANCE,
  type FaceDescriptions,
  type ImagePeople,
  type Person,
} from '../../lambdas/people/contract';
import type { FaceTarget } from '../../lambdas/people/face-assignment';
import type { RepointImage, RepointOutcome } from '../../lambdas/people/merged-images';
import { MAX_NAMED } from '../../lambdas/people/person-names';
import type { PeoplePort } from '../../lambdas/people/ports';
import { ConflictError, NotFoundError } from '../../lambdas/shared/errors';
import { normalizeName, PREFIX_LENGTH } from '../../lambdas/store/labels';
import { InvalidCursorError } from '../../lambdas/store/page-cursor';

interface StoredFace {
  imageId: string;
  face: number;
  box: Box;
  descriptor?: number[];
  personId: string;
}

interface StoredPerson extends Person {
  mergedInto?: string;
  mergedFrom: string[];
  /** The merged ids whose images are not re-pointed yet (all of `mergedFrom` until `repointMerged` is done). */
  repointing?: string[];
}

/** The wider distance at which the fake suggests two people (the store's SUGGESTION_DISTANCE). */
const SUGGESTION_DISTANCE = 0.6;

/**
 * An in-memory PeoplePort with the rules of docs/people.md (nearest face of another image within
 * FACE_MATCH_DISTANCE joins its person, else the face founds one named by its image id and index; merges flatten;
 * a person left with no face goes), for testing what calls the port without the people table. `calls` records
 * each call, by method.
 */
export class PeopleFake implements PeoplePort {
  readonly people = new Map<string, StoredPerson>();
  readonly faces = new Map<string, StoredFace[]>();
  readonly grouped = new Map<string, ImagePeople>();
  readonly calls: Array<{ method: keyof PeoplePort; owner: string; args: unknown[] }> = [];
  /** Pairs dismissed (`<owner>#<a>#<b>`, both ways). */
  readonly dismissed = new Set<string>();
  /** Faces this close join a person: change it to stand for a deployment with another FACE_MATCH_DISTANCE. */
  matchDistance = FACE_MATCH_DISTANCE;
  private clock = 0;

  constructor(private readonly now = () => new Date(Date.UTC(2026, 0, 1, 0, 0, this.clock++)).toISOString()) {}

  async groupFaces(owner: string, imageId: string, descriptions: FaceDescriptions): Promise<ImagePeople> {
    this.calls.push({ method: 'groupFaces', owner, args: [imageId, descriptions] });
    const done = this.grouped.get(`${owner}#${imageId}`);
    if (done) return done;
    const stored: StoredFace[] = [];
    for (const described of descriptions.faces) {
      const nearest = this.nearest(owner, imageId, described.descriptor);
      const personId = nearest
        ? this.resolve(owner, nearest.personId)
        : `${imageId}${String(described.face).padStart(2, '0')}`;
      const person = this.people.get(`${owner}#${personId}`);
      if (person) person.faceCount++;
      else {
        const at = this.now();
        const cover = { imageId, box: described.box };
        this.people.set(`${owner}#${personId}`, {
          ...{ personId, name: null, faceCount: 1, cover, createdAt: at, updatedAt: at },
          mergedFrom: [],
        });
      }
      stored.push({ imageId, face: described.face, box: described.box, descriptor: described.descriptor, personId });
    }
    this.faces.set(`${owner}#${imageId}`, stored);
    const people = { faces: stored.map(({ face, personId }) => ({ face, personId })), skipped: descriptions.skipped };
    this.grouped.set(`${owner}#${imageId}`, people);
    return people;
  }

  async deleteImageFaces(owner: string, imageId: string): Promise<void> {
    this.calls.push({ method: 'deleteImageFaces', owner, args: [imageId] });
    for (const face of this.faces.get(`${owner}#${imageId}`) ?? []) {
      const person = this.people.get(`${owner}#${this.resolve(owner, face.personId)}`);
      if (!person) continue;
      person.faceCount--;
      const next = [...this.faces.entries()]
        .filter(([key]) => key.startsWith(`${owner}#`) && key !== `${owner}#${imageId}`)
        .flatMap(([, faces]) => faces)
        .find((other) => this.resolve(owner, other.personId) === person.personId);
      if (person.faceCount <= 0 || !next) this.people.delete(`${owner}#${person.personId}`);
      else if (person.cover.imageId === imageId) person.cover = { imageId: next.imageId, box: next.box };
    }
    this.faces.delete(`${owner}#${imageId}`);
    this.grouped.delete(`${owner}#${imageId}`);
  }

  async list(owner: string, page: { limit: number; cursor?: string; hidden?: boolean }) {
    this.calls.push({ method: 'list', owner, args: [page] });
    const listed = [...this.people.entries()]
      .filter(([key, person]) => key.startsWith(`${owner}#`) && person.mergedInto === undefined)
      .filter(([, person]) => (person.hidden === true) === (page.hidden === true))
      .map(([, person]) => person)
      .sort((a, b) => b.faceCount - a.faceCount || a.personId.localeCompare(b.personId));
    const start = page.cursor === undefined ? 0 : Number(page.cursor.replace(/^after-/, ''));
    if (page.cursor !== undefined && !/^after-\d+$/.test(page.cursor)) {
      throw new InvalidCursorError('cursor is not one this API returned');
    }
    const items = listed.slice(start, start + page.limit).map(publicOf);
    const end = start + page.limit;
    return end < listed.length ? { items, cursor: `after-${end}` } : { items };
  }

  async get(owner: string, personId: string): Promise<Person | undefined> {
    this.calls.push({ method: 'get', owner, args: [personId] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    return person && publicOf(person);
  }

  async rename(owner: string, personId: string, name: string | null): Promise<Person> {
    this.calls.push({ method: 'rename', owner, args: [personId, name] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    if (!person) throw new NotFoundError(`person ${personId} not found`);
    Object.assign(person, { name, updatedAt: this.now() });
    return publicOf(person);
  }

  async merge(owner: string, targetId: string, sourceIds: string[]): Promise<Person> {
    this.calls.push({ method: 'merge', owner, args: [targetId, sourceIds] });
    const target = this.people.get(`${owner}#${targetId}`);
    const sources = sourceIds.map((id) => this.people.get(`${owner}#${id}`));
    if (!target || target.mergedInto) throw new NotFoundError(`person ${targetId} not found`);
    for (const [i, source] of sources.entries()) {
      if (!source || source.mergedInto) throw new NotFoundError(`person ${sourceIds[i]} not found`);
    }
    const mergedFrom = [
      ...target.mergedFrom,
      ...sources.flatMap((source) => [source?.personId ?? '', ...(source?.mergedFrom ?? [])]),
    ];
    if (mergedFrom.length > 100) throw new ConflictError('a person may have at most 100 merged ids');
    for (const source of sources as StoredPerson[]) {
      target.faceCount += source.faceCount;
      Object.assign(source, { mergedInto: targetId, mergedFrom: [] });
    }
    for (const id of mergedFrom) {
      const merged = this.people.get(`${owner}#${id}`);
      if (merged) merged.mergedInto = targetId;
    }
    const repointing = [...new Set([...(target.repointing ?? []), ...mergedFrom.slice(target.mergedFrom.length)])];
    Object.assign(target, { mergedFrom, repointing, updatedAt: this.now() });
    return publicOf(target);
  }

  async termsOf(owner: string, personId: string): Promise<string[]> {
    this.calls.push({ method: 'termsOf', owner, args: [personId] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    return person ? [person.personId, ...(person.repointing ?? person.mergedFrom)] : [];
  }

  async mergedIdsOf(owner: string, personId: string): Promise<string[]> {
    this.calls.push({ method: 'mergedIdsOf', owner, args: [personId] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    return person ? [person.personId, ...person.mergedFrom] : [];
  }

  /** Hands every image of a face grouped under a person merged into this one to `repoint`; nothing is left after. */
  async repointMerged(
    owner: string,
    personId: string,
    repoint: RepointImage,
    { budget }: { budget: number },
  ): Promise<RepointOutcome> {
    this.calls.push({ method: 'repointMerged', owner, args: [personId, budget] });
    const person = this.people.get(`${owner}#${personId}`);
    if (!person || person.mergedInto) return { images: 0, done: true };
    const merged = new Set(person.mergedFrom);
    const images = [
      ...new Set(
        [...this.faces.entries()]
          .filter(([key]) => key.startsWith(`${owner}#`))
          .flatMap(([, faces]) => faces.filter((f) => merged.has(f.personId)).map((f) => f.imageId)),
      ),
    ];
    const done = (await Promise.all(images.slice(0, budget).map((id) => repoint(id, merged, personId)))).every(Boolean);
    if (done && images.length <= budget) person.repointing = [];
    return { images: Math.min(images.length, budget), done: done && images.length <= budget };
  }

  async named(owner: string, word: string): Promise<string[]> {
    this.calls.push({ method: 'named', owner, args: [word] });
    const finds = (name: string) =>
      normalizeName(name)
        .split(' ')
        .some((one) => ([...word].length < PREFIX_LENGTH ? one === word : one.startsWith(word)));
    return [...this.people.values()]
      .filter((person) => person.mergedInto === undefined && person.name !== null && finds(person.name))
      .filter((person) => this.people.get(`${owner}#${person.personId}`) === person)
      .slice(0, MAX_NAMED)
      .flatMap((person) => [person.personId, ...person.mergedFrom]);
  }

  async removeFaces(owner: string, personId: string, imageId: string, face?: number) {
    this.calls.push({ method: 'removeFaces', owner, args: [personId, imageId, face] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    if (!person) throw new NotFoundError(`person ${personId} not found`);
    const stored = this.faces.get(`${owner}#${imageId}`) ?? [];
    const removed = stored.filter(
      (one) => this.resolve(owner, one.personId) === person.personId && (face === undefined || one.face === face),
    );
    if (removed.length === 0) throw new NotFoundError(`image ${imageId} has no face of person ${personId}`);
    this.faces.set(
      `${owner}#${imageId}`,
      stored.filter((one) => !removed.includes(one)),
    );
    const grouped = this.grouped.get(`${owner}#${imageId}`);
    if (grouped) {
      const faces = grouped.faces.filter((one) => !removed.some((gone) => gone.face === one.face));
      this.grouped.set(`${owner}#${imageId}`, { ...grouped, faces });
    }
    person.faceCount -= removed.length;
    const faces = removed.map((one) => one.face);
    if (person.faceCount > 0) return { faces, person: publicOf(person) };
    this.people.delete(`${owner}#${person.personId}`);
    return { faces };
  }

  async assignFace(owner: string, imageId: string, face: number, target: FaceTarget, box?: Box) {
    this.calls.push({ method: 'assignFace', owner, args: [imageId, face, target, box] });
    const stored = this.faces.get(`${owner}#${imageId}`) ?? [];
    const found = stored.find((one) => one.face === face);
    if (!found && !box) throw new NotFoundError(`image ${imageId} has no face ${face}`);
    const person = this.targetOf(owner, target, imageId, found?.box ?? (box as Box));
    const item = found ?? { imageId, face, box: box as Box, personId: '' };
    const old = found?.personId ? this.people.get(`${owner}#${this.resolve(owner, found.personId)}`) : undefined;
    const described = found?.descriptor !== undefined;
    if (old && old.personId === person.personId) return { face, person: publicOf(person), described };
    item.personId = person.personId;
    if (!found) this.faces.set(`${owner}#${imageId}`, [...stored, item]);
    person.faceCount++;
    const grouped = this.grouped.get(`${owner}#${imageId}`);
    if (grouped) {
      const faces = [...grouped.faces.filter((one) => one.face !== face), { face, personId: person.personId }];
      this.grouped.set(`${owner}#${imageId}`, { ...grouped, faces });
    }
    if (!old) return { face, person: publicOf(person), described };
    old.faceCount--;
    if (old.faceCount <= 0) this.people.delete(`${owner}#${old.personId}`);
    const previous = { personId: old.personId, emptied: old.faceCount <= 0 };
    return { face, person: publicOf(person), described, previous };
  }

  async drawFace(owner: string, imageId: string, box: Box, target: FaceTarget, first = 900) {
    this.calls.push({ method: 'drawFace', owner, args: [imageId, box, target, first] });
    const taken = (this.faces.get(`${owner}#${imageId}`) ?? []).map((one) => one.face).filter((n) => n >= first);
    return this.assignFace(owner, imageId, Math.max(first, ...taken.map((n) => n + 1)), target, box);
  }

  /** The person a face is given to: one of the owner's (404 if none), or a new one by name. */
  private targetOf(owner: string, target: FaceTarget, imageId: string, box: Box): StoredPerson {
    if ('personId' in target) {
      const person = this.people.get(`${owner}#${this.resolve(owner, target.personId)}`);
      if (!person) throw new NotFoundError(`person ${target.personId} not found`);
      return person;
    }
    const at = this.now();
    const personId = `N${this.people.size}${at.replace(/\D/g, '')}`;
    const person = {
      ...{ personId, name: target.name, faceCount: 0, cover: { imageId, box }, createdAt: at, updatedAt: at },
      mergedFrom: [],
    };
    this.people.set(`${owner}#${personId}`, person);
    return person;
  }

  async setHidden(owner: string, personId: string, hidden: boolean): Promise<Person> {
    this.calls.push({ method: 'setHidden', owner, args: [personId, hidden] });
    const person = this.people.get(`${owner}#${this.resolve(owner, personId)}`);
    if (!person) throw new NotFoundError(`person ${personId} not found`);
    if (hidden) person.hidden = true;
    else delete person.hidden;
    person.updatedAt = this.now();
    return publicOf(person);
  }

  async deletePerson(owner: string, personId: string): Promise<void> {
    this.calls.push({ method: 'deletePerson', owner, args: [personId] });
    const person = this.people.get(`${owner}#${personId}`);
    if (!person || person.mergedInto) throw new NotFoundError(`person ${personId} not found`);
    this.people.delete(`${owner}#${personId}`);
  }

  /** Every pair of the owner's listed people with two faces within SUGGESTION_DISTANCE, not dismissed. */
  async suggestions(owner: string, page: { limit: number; cursor?: string }) {
    this.calls.push({ method: 'suggestions', owner, args: [page] });
    const { items: people } = await this.list(owner, { limit: 1000 });
    const facesOf = (id: string) =>
      [...this.faces.entries()]
        .filter(([key]) => key.startsWith(`${owner}#`))
        .flatMap(([, faces]) => faces)
        .filter((face) => this.resolve(owner, face.personId) === id && face.descriptor);
    const items: Array<{ people: [Person, Person]; distance: number }> = [];
    for (const [i, a] of people.entries()) {
      for (const b of people.slice(i + 1)) {
        if (this.dismissed.has(`${owner}#${a.personId}#${b.personId}`)) continue;
        const distances = facesOf(a.personId).flatMap((x) =>
          facesOf(b.personId).map((y) =>
            Math.hypot(...(x.descriptor ?? []).map((value, k) => value - (y.descriptor?.[k] ?? 0))),
          ),
        );
        const distance = Math.min(...distances);
        if (distance <= SUGGESTION_DISTANCE) items.push({ people: [a, b], distance });
      }
    }
    return { items };
  }

  async dismissSuggestion(owner: string, personIds: readonly [string, string]): Promise<void> {
    this.calls.push({ method: 'dismissSuggestion', owner, args: [personIds] });
    const [a, b] = personIds.map((id) => this.resolve(owner, id));
    for (const id of [a, b]) if (!this.people.get(`${owner}#${id}`)) throw new NotFoundError(`person ${id} not found`);
    this.dismissed.add(`${owner}#${a}#${b}`);
    this.dismissed.add(`${owner}#${b}#${a}`);
  }

  /** A person id through its merge (merges flatten: one hop). */
  private resolve(owner: string, personId: string): string {
    return this.people.get(`${owner}#${personId}`)?.mergedInto ?? personId;
  }

  /** The owner's nearest face of another image within `matchDistance`. */
  private nearest(owner: string, imageId: string, descriptor: number[] | undefined): StoredFace | undefined {
    if (!descriptor) return undefined;
    let best: { face: StoredFace; distance: number } | undefined;
    for (const [key, faces] of this.faces) {
      if (!key.startsWith(`${owner}#`) || key === `${owner}#${imageId}`) continue;
      for (const face of faces) {
        if (!face.descriptor) continue;
        const distance = Math.hypot(...face.descriptor.map((value, i) => value - (descriptor[i] ?? 0)));
        if (distance <= this.matchDistance && (!best || distance < best.distance)) best = { face, distance };
      }
    }
    return best?.face;
  }
}

function publicOf({ personId, name, faceCount, cover, hidden, createdAt, updatedAt }: StoredPerson): Person {
  return { personId, name, faceCount, cover, ...(hidden ? { hidden } : {}), createdAt, updatedAt };
}

/** A descriptor of FACE_DESCRIPTOR_LENGTH numbers, all `value`: two of them are `|a - b| * sqrt(128)` apart. */
export function descriptorOf(value: number): number[] {
  return Array.from({ length: 128 }, () => value);
}
