import type { Box } from '../../../../lambdas/core/vision-schema';
import { removePersonFaces } from '../../../../lambdas/people/functions/remove-person-faces/remove-person-faces';
import { withTerms } from '../../../../lambdas/search/postings';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { apiEvent, invoke, OTHER_USER, TEST_USER, type TestIdentity } from '../../../support/api-events';
import { handlerWithPeople, listPeopleEvent, renamePersonEvent } from '../../../support/people-api';
import { descriptorOf, PeopleFake } from '../../../support/people-fake';

/*
 * The corrections' routes (docs/people.md, corrections) on the in-memory PeopleFake: what each answers, and what it
 * asks of the store. The store's own rules are tested on moto (test/integration/people/corrections.test.ts).
 */

const BOX: Box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
const IMAGE_A = '01JABCDEFGHJKMNPQRSTVWXYZA';
const IMAGE_B = '01JABCDEFGHJKMNPQRSTVWXYZB';
const IMAGE_C = '01JABCDEFGHJKMNPQRSTVWXYZC';
const NO_SKIPS = { tooSmall: 0, overCap: 0 };

/** Ada in A and B; Bob in C, 0.52 from Ada's nearest face (past grouping's 0.5, within suggestions' 0.6). */
async function library() {
  const people = new PeopleFake();
  for (const [imageId, value] of [
    [IMAGE_A, 0],
    [IMAGE_B, 0.01],
    [IMAGE_C, 0.056],
  ] as const) {
    await people.groupFaces(TEST_USER.sub, imageId, {
      faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
      skipped: NO_SKIPS,
    });
  }
  return { people, ada: `${IMAGE_A}00`, bob: `${IMAGE_C}00` };
}

const deleteEvent = (id: string, as?: TestIdentity) =>
  apiEvent({ method: 'DELETE', resource: '/people/{id}', path: `/people/${id}`, pathParameters: { id }, as });
const suggestionsEvent = (query?: Record<string, string>) =>
  apiEvent({ method: 'GET', resource: '/people/suggestions', path: '/people/suggestions', query });
const dismissEvent = (body: unknown, as?: TestIdentity) =>
  apiEvent({
    method: 'POST',
    resource: '/people/suggestions/dismiss',
    path: '/people/suggestions/dismiss',
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });

describe('DELETE /people/{id}', () => {
  it('answers 204 and the person is gone from GET /people', async () => {
    const { people, ada, bob } = await library();
    const response = await invoke(handlerWithPeople('delete-person', people), deleteEvent(ada));
    expect(response.statusCode).toBe(204);
    const list = await invoke(handlerWithPeople('list-people', people), listPeopleEvent());
    expect((list.json as { items: Array<{ personId: string }> }).items.map((p) => p.personId)).toEqual([bob]);
  });

  it("answers 404 for another owner's person and 400 for a malformed id, deleting nothing", async () => {
    const { people, ada } = await library();
    expect((await invoke(handlerWithPeople('delete-person', people), deleteEvent(ada, OTHER_USER))).statusCode).toBe(
      404,
    );
    expect((await invoke(handlerWithPeople('delete-person', people), deleteEvent('no-such!'))).statusCode).toBe(400);
    expect(await people.get(TEST_USER.sub, ada)).toBeDefined();
  });
});

describe('PATCH /people/{id} hidden', () => {
  it('hides a person (answered with hidden: true), lists it only with hidden=true, and shows it again', async () => {
    const { people, ada, bob } = await library();
    const hidden = await invoke(handlerWithPeople('rename-person', people), renamePersonEvent(ada, { hidden: true }));
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json).toEqual(expect.objectContaining({ personId: ada, hidden: true, name: null }));
    const ids = async (query?: Record<string, string>) => {
      const list = await invoke(handlerWithPeople('list-people', people), listPeopleEvent(query));
      return (list.json as { items: Array<{ personId: string }> }).items.map((p) => p.personId);
    };
    expect(await ids()).toEqual([bob]);
    expect(await ids({ hidden: 'true' })).toEqual([ada]);
    const shown = await invoke(handlerWithPeople('rename-person', people), renamePersonEvent(ada, { hidden: false }));
    expect(shown.json).not.toHaveProperty('hidden');
    expect(await ids()).toEqual([ada, bob]);
  });

  it('names and hides at once, and refuses a body with neither or a hidden that is not a boolean', async () => {
    const { people, ada } = await library();
    const both = await invoke(
      handlerWithPeople('rename-person', people),
      renamePersonEvent(ada, { name: 'Ada', hidden: true }),
    );
    expect(both.json).toEqual(expect.objectContaining({ name: 'Ada', hidden: true }));
    const neither = await invoke(handlerWithPeople('rename-person', people), renamePersonEvent(ada, {}));
    expect(neither.statusCode).toBe(400);
    const notBoolean = await invoke(handlerWithPeople('rename-person', people), renamePersonEvent(ada, { hidden: 1 }));
    expect(notBoolean.json).toEqual({ message: 'hidden: must be true or false' });
  });

  it('refuses hidden=maybe on GET /people', async () => {
    const { people } = await library();
    const response = await invoke(handlerWithPeople('list-people', people), listPeopleEvent({ hidden: 'maybe' }));
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toMatch(/^hidden: /);
  });
});

describe('GET /people/suggestions and POST /people/suggestions/dismiss', () => {
  it('suggests the two close people with their covers, and not once dismissed', async () => {
    const { people, ada, bob } = await library();
    const response = await invoke(handlerWithPeople('list-merge-suggestions', people), suggestionsEvent());
    expect(response.statusCode).toBe(200);
    const { items } = response.json as { items: Array<{ people: Array<{ personId: string; cover: object }> }> };
    expect(items.map((item) => item.people.map((p) => p.personId))).toEqual([[ada, bob]]);
    expect(items[0]?.people[0]?.cover).toHaveProperty('thumbnailUrl');
    const dismissed = await invoke(
      handlerWithPeople('dismiss-merge-suggestion', people),
      dismissEvent({ personIds: [bob, ada] }),
    );
    expect(dismissed.statusCode).toBe(204);
    const after = await invoke(handlerWithPeople('list-merge-suggestions', people), suggestionsEvent());
    expect(after.json).toEqual({ items: [] });
  });

  it('examines at most 20 people a page, and refuses an unknown parameter', async () => {
    const { people } = await library();
    await invoke(handlerWithPeople('list-merge-suggestions', people), suggestionsEvent({ limit: '500' }));
    const asked = people.calls.filter((c) => c.method === 'suggestions').map((c) => c.args[0]);
    expect(asked).toEqual([{ limit: 20 }]);
    const bad = await invoke(handlerWithPeople('list-merge-suggestions', people), suggestionsEvent({ near: '1' }));
    expect(bad.json).toEqual({ message: 'query: unknown parameter: near' });
  });

  it.each([
    ['one id', { personIds: ['a'] }],
    ['three ids', { personIds: ['a', 'b', 'c'] }],
    ['one id twice', { personIds: ['a', 'a'] }],
    ['not an id', { personIds: ['a', 'b!'] }],
    ['another field', { personIds: ['a', 'b'], why: 'no' }],
  ])('refuses a dismissal of %s with 400', async (_case, body) => {
    const { people } = await library();
    const response = await invoke(handlerWithPeople('dismiss-merge-suggestion', people), dismissEvent(body));
    expect(response.statusCode).toBe(400);
    expect(people.calls.some((c) => c.method === 'dismissSuggestion')).toBe(false);
  });

  it("answers 404 for a dismissal naming another owner's people", async () => {
    const { people, ada, bob } = await library();
    const response = await invoke(
      handlerWithPeople('dismiss-merge-suggestion', people),
      dismissEvent({ personIds: [ada, bob] }, OTHER_USER),
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('removePersonFaces ("not this person")', () => {
  const CALLER = { owner: TEST_USER.sub, admin: false };
  const at = '2026-01-01T00:00:00.000Z';

  /** Image B's record, its face 0 grouped into `personId`, indexed under its terms. */
  function record(personId: string, owner = TEST_USER.sub): ImageItem {
    const item = {
      imageId: IMAGE_B,
      owner,
      status: 'PROCESSED',
      createdAt: at,
      updatedAt: at,
      people: { faces: [{ face: 0, personId }], skipped: NO_SKIPS },
    } as unknown as ImageItem;
    return withTerms(item, undefined);
  }

  function deps(people: PeopleFake, item: ImageItem | undefined) {
    const written: ImageItem[] = [];
    const upserted: ImageItem[] = [];
    const images = {
      get: async () => item,
      correctPeople: async (corrected: ImageItem) => {
        written.push(corrected);
        return true;
      },
      clearUnindexTerms: async () => undefined,
    };
    const index = { upsert: async (corrected: ImageItem) => void upserted.push(corrected) };
    const covers = {
      presigner: { presignDownload: async () => 'https://t' },
      bucket: 'b',
      thumbnailSizes: [256],
      ttlSeconds: 60,
    };
    return { written, upserted, deps: { people, covers, images, index, now: () => new Date('2026-02-01T00:00:00Z') } };
  }

  it("takes the face out of the person, the record's people and its person= posting", async () => {
    const { people, ada } = await library();
    const item = record(ada);
    expect(item.indexedTerms).toContain(`person=${ada}`);
    const run = deps(people, item);
    const answer = await removePersonFaces(ada, IMAGE_B, undefined, CALLER, run.deps as never);
    expect(answer).toEqual({
      imageId: IMAGE_B,
      faces: [0],
      person: expect.objectContaining({ personId: ada, faceCount: 1 }),
    });
    expect(run.written[0]?.people?.faces).toEqual([]);
    expect(run.written[0]?.indexedTerms ?? []).not.toContain(`person=${ada}`);
    expect(run.written[0]?.unindexTerms).toContain(`person=${ada}`);
    expect(run.upserted).toHaveLength(1);
  });

  it('answers the 404 of a person without a face in the image, and leaves the record alone', async () => {
    const { people, bob } = await library();
    const run = deps(people, record(bob));
    await expect(removePersonFaces(bob, IMAGE_B, undefined, CALLER, run.deps as never)).rejects.toThrow(
      /no face of person/,
    );
    expect(run.written).toEqual([]);
  });
});
