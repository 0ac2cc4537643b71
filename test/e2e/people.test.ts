import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { schemaErrors } from '../support/event-schemas';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { clientsFor, EventCollector } from './support';
import type { E2eTarget } from './target';

/**
 * People (issue 25, docs/people.md) through the local runner with face grouping on and the offline models: faces
 * described, grouped per owner, found with `person=`, named, merged and forgotten when their images are deleted.
 * On the run's shared `offline-faces` runner, as users of this file's own.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
let collector: EventCollector;
let alice: ImageApiClient;
let bob: ImageApiClient;
const tokens = { alice: '', bob: '' };
/** Image ids by name: alice's photos, and bob's copy of the astronaut. */
const ids = new Map<string, string>();

/** Bytes no other upload has: the image with random bytes after its end (the same pixels). */
const unique = (bytes: Buffer) => Buffer.concat([bytes, randomBytes(16)]);

/** A raw request as `who`, for the answers the client library turns into errors. */
async function raw(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

interface ImagePeopleView {
  faces: Array<{ face: number; personId: string; name: string | null }>;
  skipped: { tooSmall: number; overCap: number };
}

async function peopleOf(who: keyof typeof tokens, name: string): Promise<ImagePeopleView> {
  const answer = await raw(who, 'GET', `/images/${ids.get(name)}`);
  expect(answer.status).toBe(200);
  return answer.body.people as ImagePeopleView;
}

/** The one person the image's only face joined. */
async function personOf(who: keyof typeof tokens, name: string): Promise<string> {
  const { faces } = await peopleOf(who, name);
  expect(faces).toHaveLength(1);
  return faces[0]?.personId as string;
}

/** The image ids `GET /images?person=` lists to `who`. */
async function withPerson(who: keyof typeof tokens, personId: string): Promise<string[]> {
  const answer = await raw(who, 'GET', `/images?person=${personId}&limit=50`);
  expect(answer.status).toBe(200);
  return (answer.body.items as Array<{ imageId: string }>).map((item) => item.imageId).sort();
}

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  tokens.alice = await runner.token({ user: fileUser('alice') });
  tokens.bob = await runner.token({ user: fileUser('bob') });
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens.alice });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens.bob });
  const { sqs, events } = clientsFor({ apiUrl: runner.ready.apiUrl, endpoint: runner.ready.endpoint } as E2eTarget);
  collector = new EventCollector(sqs, events, runner.ready.eventBus);
  await collector.start();

  const astronaut = fixture('vision/person-astronaut.jpg');
  // A second photo of the same person: no second genuine photo of anyone can be had here (no network, and the
  // fixtures hold one photo per person), so it is a copy made different as photos of one face are: cropped
  // off-centre, smaller, brighter and re-encoded. Its pixels differ everywhere; only the face is the same.
  const copy = await sharp(astronaut)
    .extract({ left: 24, top: 8, width: 440, height: 470 })
    .resize({ width: 360 })
    .modulate({ brightness: 1.2 })
    .jpeg({ quality: 80 })
    .toBuffer();
  // The same face too small to describe: found, but its eyes 13 px apart, under MIN_EYE_DISTANCE_PX (20 px). (At
  // 100 px wide no face is found at all: nothing to skip.)
  // At 220 px the face is found (0.88, over the calibrated 0.86) with its eyes under MIN_EYE_DISTANCE_PX apart.
  const small = await sharp(astronaut).resize({ width: 220 }).jpeg({ quality: 90 }).toBuffer();
  const uploads: Array<[string, ImageApiClient, Buffer]> = [
    ['astronaut', alice, astronaut],
    ['astronaut-copy', alice, copy],
    ['hopper', alice, fixture('vision/person-hopper.jpg')],
    ['astronaut-small', alice, small],
    ['bob-astronaut', bob, astronaut],
    ['bob-hopper', bob, fixture('vision/person-hopper.jpg')],
  ];
  const processInOrder = async (batch: typeof uploads) => {
    for (const [name, api, bytes] of batch) ids.set(name, await api.upload(unique(bytes), { filename: `${name}.jpg` }));
    for (const [name, api] of batch) {
      expect((await api.waitForFinal(ids.get(name) as string, WAIT)).status).toBe('PROCESSED');
    }
  };
  // The first photo of the astronaut first: two photos of one new person processed at the same moment may found
  // two people (docs/people.md; a merge joins them), which is not what this suite is about.
  await processInOrder(uploads.slice(0, 1));
  await processInOrder(uploads.slice(1));
}, WAIT * 3);

afterAll(async () => {
  await collector?.stop();
});

describe('people, end to end', () => {
  it('groups two photos of one person into one person, and another person into another', async () => {
    const astronaut = await personOf('alice', 'astronaut');
    expect(await personOf('alice', 'astronaut-copy')).toBe(astronaut);
    const hopper = await personOf('alice', 'hopper');
    expect(hopper).not.toBe(astronaut);
    expect(await peopleOf('alice', 'astronaut')).toEqual({
      faces: [{ face: 0, personId: astronaut, name: null }],
      skipped: { tooSmall: 0, overCap: 0 },
    });

    const listed = await raw('alice', 'GET', '/people');
    expect(listed.status).toBe(200);
    const people = listed.body.items as Array<{ personId: string; faceCount: number; cover: { imageId: string } }>;
    // Most faces first: the astronaut's two, then Hopper's one.
    expect(people.map((person) => [person.personId, person.faceCount])).toEqual([
      [astronaut, 2],
      [hopper, 1],
    ]);
    expect([ids.get('astronaut'), ids.get('astronaut-copy')]).toContain(people[0]?.cover.imageId);
  });

  it('counts a face too small to describe as skipped, and groups nothing from it', async () => {
    const small = await peopleOf('alice', 'astronaut-small');
    expect(small).toEqual({ faces: [], skipped: { tooSmall: 1, overCap: 0 } });
  });

  it("never joins another owner's photo of the same person: bob's copy is a person of his own", async () => {
    const alices = await personOf('alice', 'astronaut');
    const bobs = await personOf('bob', 'bob-astronaut');
    expect(bobs).not.toBe(alices);
    const bobsPeople = await raw('bob', 'GET', '/people');
    const listed = (bobsPeople.body.items as Array<{ personId: string }>).map((person) => person.personId);
    expect(listed.sort()).toEqual([bobs, await personOf('bob', 'bob-hopper')].sort());
    expect(listed).not.toContain(alices);
    expect(await raw('bob', 'GET', `/people/${alices}`)).toEqual({
      status: 404,
      body: { message: expect.stringContaining(alices) },
    });
  });

  it("finds a person's images with person=, the owner's only", async () => {
    const astronaut = await personOf('alice', 'astronaut');
    expect(await withPerson('alice', astronaut)).toEqual([ids.get('astronaut'), ids.get('astronaut-copy')].sort());
    expect(await withPerson('alice', await personOf('alice', 'hopper'))).toEqual([ids.get('hopper')]);
    // Bob asking for alice's person finds nothing of hers; his own person finds his photo.
    expect(await withPerson('bob', astronaut)).toEqual([]);
    expect(await withPerson('bob', await personOf('bob', 'bob-astronaut'))).toEqual([ids.get('bob-astronaut')]);
  });

  it('carries the people of an image in its Image Processed event', async () => {
    const astronaut = await personOf('alice', 'astronaut');
    const event = await collector.waitFor(ids.get('astronaut-copy') as string, 'Image Processed', WAIT);
    expect(event.detail).toMatchObject({ summary: { people: [astronaut] } });
    expect(schemaErrors('Image Processed', event.detail)).toEqual([]);
    const small = await collector.waitFor(ids.get('astronaut-small') as string, 'Image Processed', WAIT);
    expect(small.detail).toMatchObject({ summary: { people: [] } });
  });

  it('names a person, and refuses a bad name, naming the field', async () => {
    const hopper = await personOf('alice', 'hopper');
    const named = await raw('alice', 'PATCH', `/people/${hopper}`, { name: '  Grace Hopper ' });
    expect(named).toMatchObject({ status: 200, body: { personId: hopper, name: 'Grace Hopper', faceCount: 1 } });
    expect((await peopleOf('alice', 'hopper')).faces).toEqual([{ face: 0, personId: hopper, name: 'Grace Hopper' }]);

    for (const name of ['x'.repeat(10_240), 'Grace\u0007Hopper', '']) {
      const refused = await raw('alice', 'PATCH', `/people/${hopper}`, { name });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/name/);
    }
    expect((await raw('alice', 'GET', `/people/${hopper}`)).body.name).toBe('Grace Hopper');
    // Bob cannot rename alice's person: it is not his to see.
    expect((await raw('bob', 'PATCH', `/people/${hopper}`, { name: 'Mine' })).status).toBe(404);
    // The search box finds her images by a word of her name (no filename has it), begun, in any case; bob's finds none.
    const found = async (who: keyof typeof tokens, q: string) =>
      ((await raw(who, 'GET', `/images?q=${q}&limit=50`)).body.items as Array<{ imageId: string }>).map(
        (item) => item.imageId,
      );
    expect(await found('alice', 'GRAC')).toEqual([ids.get('hopper')]);
    expect(await found('alice', 'grace%20hopp')).toEqual([ids.get('hopper')]);
    expect(await found('bob', 'grace')).toEqual([]);
  });

  it('answers an unknown person 404, a bad id 400, a merge into itself 400, and of another owner 404', async () => {
    const astronaut = await personOf('alice', 'astronaut');
    expect((await raw('alice', 'GET', `/people/${'Z'.repeat(28)}`)).status).toBe(404);
    const bad = await raw('alice', 'GET', '/people/not_a-person');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/id/);
    expect((await raw('alice', 'GET', '/images?person=not_a-person')).status).toBe(400);

    const itself = await raw('alice', 'POST', `/people/${astronaut}/merge`, { personIds: [astronaut] });
    expect(itself.status).toBe(400);
    const bobs = await personOf('bob', 'bob-astronaut');
    expect((await raw('alice', 'POST', `/people/${astronaut}/merge`, { personIds: [bobs] })).status).toBe(404);
    // Neither changed.
    expect((await raw('alice', 'GET', `/people/${astronaut}`)).body.faceCount).toBe(2);
    expect((await raw('bob', 'GET', `/people/${bobs}`)).body.faceCount).toBe(1);
  });

  it("deletes an image's faces with it: the count drops, and the person goes with its last image", async () => {
    const astronaut = await personOf('alice', 'astronaut');
    await alice.delete(ids.get('astronaut-copy') as string, { permanently: true });
    expect((await raw('alice', 'GET', `/people/${astronaut}`)).body).toMatchObject({
      faceCount: 1,
      cover: { imageId: ids.get('astronaut') },
    });
    expect(await withPerson('alice', astronaut)).toEqual([ids.get('astronaut')]);

    await alice.delete(ids.get('astronaut') as string, { permanently: true });
    expect((await raw('alice', 'GET', `/people/${astronaut}`)).status).toBe(404);
    expect(await withPerson('alice', astronaut)).toEqual([]);
    const left = (await raw('alice', 'GET', '/people')).body.items as Array<{ personId: string }>;
    expect(left.map((person) => person.personId)).toEqual([await personOf('alice', 'hopper')]);
    // Bob's person is his, untouched.
    expect((await raw('bob', 'GET', `/people/${await personOf('bob', 'bob-astronaut')}`)).body.faceCount).toBe(1);
  });

  it('merges a person into another: one person left, with both faces, found by either id', async () => {
    const [astronaut, hopper] = [await personOf('bob', 'bob-astronaut'), await personOf('bob', 'bob-hopper')];
    const merged = await raw('bob', 'POST', `/people/${astronaut}/merge`, { personIds: [hopper] });
    expect(merged).toMatchObject({ status: 200, body: { personId: astronaut, faceCount: 2 } });
    expect((await raw('bob', 'GET', `/people/${hopper}`)).body).toMatchObject({ personId: astronaut, faceCount: 2 });
    const people = (await raw('bob', 'GET', '/people')).body.items as Array<{ personId: string }>;
    expect(people.map((person) => person.personId)).toEqual([astronaut]);
    const both = [ids.get('bob-astronaut'), ids.get('bob-hopper')].sort();
    expect(await withPerson('bob', astronaut)).toEqual(both);
    expect(await withPerson('bob', hopper)).toEqual(both);
    // Merged once is merged: a second merge of it answers 404.
    expect((await raw('bob', 'POST', `/people/${astronaut}/merge`, { personIds: [hopper] })).status).toBe(404);
  });
});
