import { randomBytes } from 'node:crypto';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { clientsFor, EventCollector, eventually } from './support';
import type { E2eTarget } from './target';

/**
 * Issue 43: an admin re-owns an image (`PUT /images/{id}/owner`) and everything keyed by its owner follows: the old
 * owner's search finds nothing and their person left empty is gone; the new owner's search finds it, its face is in
 * one of their people, and `Image Processed` names them; her album whose cover it was links it no more. On the run's
 * shared `offline-faces` runner (face grouping on), as users of this file's own.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
let collector: EventCollector;
const tokens = { alice: '', bob: '', admin: '' };
const owners = { alice: '', bob: '' };
let imageId = '';
/** Alice's album of the image, which she made its cover before the move. */
let albumId = '';

async function raw(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

/** The image ids `GET /images?<query>` lists to `who`. */
async function listed(who: keyof typeof tokens, query: string): Promise<string[]> {
  const answer = await raw(who, 'GET', `/images?${query}&limit=100`);
  expect(answer.status).toBe(200);
  return (answer.body.items as Array<{ imageId: string }>).map((item) => item.imageId);
}

/** The people of the image's faces, as `who` reads the image. */
async function facesOf(who: keyof typeof tokens): Promise<Array<{ personId: string }>> {
  const answer = await raw(who, 'GET', `/images/${imageId}`);
  expect(answer.status).toBe(200);
  return (answer.body.people as { faces: Array<{ personId: string }> }).faces;
}

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  owners.alice = fileUser('alice');
  owners.bob = fileUser('bob');
  tokens.alice = await runner.token({ user: owners.alice });
  tokens.bob = await runner.token({ user: owners.bob });
  tokens.admin = await runner.token({ user: fileUser('admin'), admin: true });
  const { sqs, events } = clientsFor({ apiUrl: runner.ready.apiUrl, endpoint: runner.ready.endpoint } as E2eTarget);
  collector = new EventCollector(sqs, events, runner.ready.eventBus);
  await collector.start();
  const alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens.alice });
  // Bytes no other upload has: the astronaut with random bytes after its end.
  const bytes = Buffer.concat([fixture('vision/person-astronaut.jpg'), randomBytes(16)]);
  imageId = await alice.upload(bytes, { filename: 'astronaut.jpg' });
  expect((await alice.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
  const album = await raw('alice', 'POST', '/albums', { name: 'Moon' });
  albumId = album.body.albumId as string;
  expect((await raw('alice', 'POST', `/albums/${albumId}/images`, { imageIds: [imageId] })).status).toBe(200);
  const covered = await raw('alice', 'PATCH', `/albums/${albumId}`, { coverImageId: imageId });
  expect(covered.body).toMatchObject({ coverImageId: imageId, coverUrl: expect.any(String) });
}, WAIT * 2);

afterAll(async () => {
  await collector?.stop();
});

describe('PUT /images/{id}/owner', () => {
  it('refuses a caller who is no admin (403), an unknown image (404) and an owner that is no owner id (400)', async () => {
    expect((await raw('alice', 'PUT', `/images/${imageId}/owner`, { owner: owners.bob })).status).toBe(403);
    expect((await raw('admin', 'PUT', '/images/01JD5Y4ZQK8V3N2M1B0C9X8W7V/owner', { owner: owners.bob })).status).toBe(
      404,
    );
    const bad = await raw('admin', 'PUT', `/images/${imageId}/owner`, { owner: 'a#b' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/owner/);
  });

  it("moves the image's postings and people from alice to bob, and Image Processed names bob", async () => {
    const [face] = await facesOf('alice');
    const alicesPerson = face?.personId as string;
    expect(alicesPerson).toEqual(expect.any(String));
    expect(await listed('alice', 'format=jpeg')).toContain(imageId);
    expect(await listed('alice', `person=${alicesPerson}`)).toEqual([imageId]);

    const moved = await raw('admin', 'PUT', `/images/${imageId}/owner`, { owner: owners.bob });
    expect(moved).toMatchObject({
      status: 202,
      body: { imageId, owner: owners.bob, previousOwner: owners.alice, status: 'MOVING' },
    });
    await eventually(`${imageId} to be bob's`, WAIT, async () => {
      const answer = await raw('bob', 'GET', `/images/${imageId}`);
      return answer.status === 200 && answer.body.status === 'PROCESSED' ? true : undefined;
    });

    // The old owner's: the image, its postings and the person its face was alone in, gone.
    expect((await raw('alice', 'GET', `/images/${imageId}`)).status).toBe(404);
    expect(await listed('alice', 'format=jpeg')).not.toContain(imageId);
    expect((await raw('alice', 'GET', `/people/${alicesPerson}`)).status).toBe(404);
    // The new owner's: found by search, its face grouped into a person of theirs.
    expect(await listed('bob', 'format=jpeg')).toContain(imageId);
    const bobsFaces = await facesOf('bob');
    expect(bobsFaces).toHaveLength(1);
    const bobsPerson = bobsFaces[0]?.personId as string;
    expect(await listed('bob', `person=${bobsPerson}`)).toEqual([imageId]);
    const people = await raw('bob', 'GET', '/people');
    expect((people.body.items as Array<{ personId: string }>).map((person) => person.personId)).toEqual([bobsPerson]);
    await eventually('Image Processed naming bob', WAIT, async () =>
      collector.events.some(
        (event) =>
          event.detailType === 'Image Processed' &&
          event.detail.imageId === imageId &&
          event.detail.owner === owners.bob,
      )
        ? true
        : undefined,
    );
  });

  it("leaves alice's album whose cover it was linking it no more (GET /albums, GET /albums/{id})", async () => {
    const listed = await raw('alice', 'GET', '/albums');
    const mine = (listed.body.items as Array<Record<string, unknown>>).find((album) => album.albumId === albumId);
    const read = await raw('alice', 'GET', `/albums/${albumId}`);
    expect(read.status).toBe(200);
    for (const album of [mine, read.body.album as Record<string, unknown>]) {
      expect(album).toMatchObject({ albumId, count: 1 });
      expect(album).not.toHaveProperty('coverImageId');
      expect(album).not.toHaveProperty('coverUrl');
    }
    // Nor does its page show the photo: it is bob's now.
    expect(read.body.items).toEqual([]);
  });

  it('answers 200 UNCHANGED to the same request again, and moves nothing', async () => {
    const again = await raw('admin', 'PUT', `/images/${imageId}/owner`, { owner: owners.bob });
    expect(again).toMatchObject({ status: 200, body: { previousOwner: owners.bob, status: 'UNCHANGED' } });
    expect(await listed('bob', 'format=jpeg')).toContain(imageId);
  });
});
