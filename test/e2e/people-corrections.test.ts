import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * People corrections (issue 43, docs/people.md#corrections) through the local runner with face grouping on and the
 * offline models: a face taken out of a person, a person hidden and deleted, suggestions read and dismissed. On the
 * run's shared `offline-faces` runner, as users of this file's own.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
const tokens = { carol: '', dave: '' };
const ids = new Map<string, string>();
const unique = (bytes: Buffer) => Buffer.concat([bytes, randomBytes(16)]);

async function raw(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function personOf(name: string): Promise<string> {
  const answer = await raw('carol', 'GET', `/images/${ids.get(name)}`);
  const faces = (answer.body.people as { faces: Array<{ personId: string }> }).faces;
  return faces[0]?.personId as string;
}

async function withPerson(personId: string): Promise<string[]> {
  const answer = await raw('carol', 'GET', `/images?person=${personId}&limit=50`);
  return (answer.body.items as Array<{ imageId: string }>).map((item) => item.imageId).sort();
}

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  tokens.carol = await runner.token({ user: fileUser('carol') });
  tokens.dave = await runner.token({ user: fileUser('dave') });
  const carol = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens.carol });
  const astronaut = fixture('vision/person-astronaut.jpg');
  const copy = await sharp(astronaut)
    .extract({ left: 24, top: 8, width: 440, height: 470 })
    .resize({ width: 360 })
    .jpeg({ quality: 80 })
    .toBuffer();
  // One at a time: each photo's person is founded before the next is grouped.
  for (const [name, bytes] of [
    ['astronaut', astronaut],
    ['astronaut-copy', copy],
    ['hopper', fixture('vision/person-hopper.jpg')],
  ] as const) {
    const id = await carol.upload(unique(bytes), { filename: `${name}.jpg` });
    ids.set(name, id);
    expect((await carol.waitForFinal(id, WAIT)).status).toBe('PROCESSED');
  }
}, WAIT * 3);

describe('people corrections, end to end', () => {
  it('takes a face out of a person: its count drops, the image leaves person= and its people', async () => {
    const astronaut = await personOf('astronaut');
    expect(await personOf('astronaut-copy')).toBe(astronaut);
    const removed = await raw('carol', 'DELETE', `/people/${astronaut}/images/${ids.get('astronaut-copy')}`);
    expect(removed).toMatchObject({ status: 200, body: { faces: [0], person: { personId: astronaut, faceCount: 1 } } });
    expect(await withPerson(astronaut)).toEqual([ids.get('astronaut')]);
    const record = await raw('carol', 'GET', `/images/${ids.get('astronaut-copy')}`);
    expect((record.body.people as { faces: unknown[] }).faces).toEqual([]);
    // Again: nothing of the person is left in the image.
    expect((await raw('carol', 'DELETE', `/people/${astronaut}/images/${ids.get('astronaut-copy')}`)).status).toBe(404);
    expect((await raw('dave', 'DELETE', `/people/${astronaut}/images/${ids.get('astronaut')}`)).status).toBe(404);
  });

  it('reads suggestions and dismisses a pair; refuses one person twice and another owner', async () => {
    const [astronaut, hopper] = [await personOf('astronaut'), await personOf('hopper')];
    const page = await raw('carol', 'GET', '/people/suggestions');
    expect(page.status).toBe(200);
    expect(Array.isArray(page.body.items)).toBe(true);
    const dismissed = await raw('carol', 'POST', '/people/suggestions/dismiss', { personIds: [astronaut, hopper] });
    expect(dismissed.status).toBe(204);
    const after = (await raw('carol', 'GET', '/people/suggestions')).body.items as Array<{ people: unknown[] }>;
    expect(after).toEqual([]);
    expect((await raw('carol', 'POST', '/people/suggestions/dismiss', { personIds: [hopper, hopper] })).status).toBe(
      400,
    );
    expect((await raw('dave', 'POST', '/people/suggestions/dismiss', { personIds: [astronaut, hopper] })).status).toBe(
      404,
    );
  });

  it('hides a person from the list and lists it with hidden=true', async () => {
    const hopper = await personOf('hopper');
    expect(await raw('carol', 'PATCH', `/people/${hopper}`, { hidden: true })).toMatchObject({
      status: 200,
      body: { personId: hopper, hidden: true },
    });
    const ids = async (query: string) =>
      ((await raw('carol', 'GET', `/people${query}`)).body.items as Array<{ personId: string }>).map((p) => p.personId);
    expect(await ids('')).not.toContain(hopper);
    expect(await ids('?hidden=true')).toEqual([hopper]);
    await raw('carol', 'PATCH', `/people/${hopper}`, { hidden: false });
    expect(await ids('')).toContain(hopper);
  });

  it('deletes a person: 404 after, person= finds nothing, the photo stays', async () => {
    const hopper = await personOf('hopper');
    expect((await raw('dave', 'DELETE', `/people/${hopper}`)).status).toBe(404);
    expect((await raw('carol', 'DELETE', `/people/${hopper}`)).status).toBe(204);
    expect((await raw('carol', 'GET', `/people/${hopper}`)).status).toBe(404);
    expect(await withPerson(hopper)).toEqual([]);
    expect((await raw('carol', 'GET', `/images/${ids.get('hopper')}`)).status).toBe(200);
  });

  it('gives a face to a person and then to a new one by name: the people, person= and the record follow', async () => {
    const [astronaut, copy] = [await personOf('astronaut'), ids.get('astronaut-copy') as string];
    // The copy's face was taken out of the astronaut by the first test: it is unassigned.
    const given = await raw('carol', 'PUT', `/images/${copy}/faces/0`, { personId: astronaut });
    expect(given).toMatchObject({ status: 200, body: { face: 0, person: { personId: astronaut, faceCount: 2 } } });
    expect(given.body.previousPersonId).toBeNull();
    expect(await withPerson(astronaut)).toEqual([ids.get('astronaut'), copy].sort());

    const renamed = await raw('carol', 'PUT', `/images/${copy}/faces/0`, { name: 'Eileen, later' });
    expect(renamed).toMatchObject({ status: 200, body: { previousPersonId: astronaut, person: { faceCount: 1 } } });
    const later = (renamed.body.person as { personId: string }).personId;
    expect(await withPerson(astronaut)).toEqual([ids.get('astronaut')]);
    expect(await withPerson(later)).toEqual([copy]);
    const record = await raw('carol', 'GET', `/images/${copy}`);
    expect((record.body.people as { faces: unknown[] }).faces).toEqual([
      { face: 0, personId: later, name: 'Eileen, later' },
    ]);

    expect((await raw('dave', 'PUT', `/images/${copy}/faces/0`, { personId: astronaut })).status).toBe(404);
    expect((await raw('carol', 'PUT', `/images/${copy}/faces/0`, { personId: astronaut, name: 'x' })).status).toBe(400);
    expect((await raw('carol', 'PUT', `/images/${copy}/faces/5`, { personId: astronaut })).status).toBe(404);
  });

  it('tags a face drawn on a photo: 201 from index 900, its box in the record, person= finds the photo', async () => {
    const astronaut = await personOf('astronaut');
    const photo = ids.get('astronaut') as string;
    const box = { left: 0.05, top: 0.6, width: 0.2, height: 0.2 };
    const drawn = await raw('carol', 'POST', `/images/${photo}/faces`, { box, name: 'At the back' });
    expect(drawn).toMatchObject({ status: 201, body: { face: 900, box, person: { name: 'At the back' } } });
    const back = (drawn.body.person as { personId: string }).personId;
    expect(await withPerson(back)).toEqual([photo]);
    const record = await raw('carol', 'GET', `/images/${photo}`);
    expect((record.body.people as { faces: unknown[] }).faces).toEqual([
      { face: 0, personId: astronaut, name: null },
      { face: 900, personId: back, name: 'At the back', box },
    ]);
    const outside = { ...box, left: 0.9 };
    expect((await raw('carol', 'POST', `/images/${photo}/faces`, { box: outside, personId: back })).status).toBe(400);
    expect((await raw('dave', 'POST', `/images/${photo}/faces`, { box, personId: back })).status).toBe(404);
  });
});
