import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../../../../lambdas/cli/main';
import {
  listPeopleCommand,
  mergePeopleCommand,
  PEOPLE_EXIT,
  renamePersonCommand,
} from '../../../../lambdas/cli/people/people';
import { createApiServer, type Route } from '../../../../lambdas/local/api-server';
import type { PeoplePort } from '../../../../lambdas/people/ports';
import { LOCAL_OWNER } from '../../../../lambdas/store/owner';
import { handlerWithPeople } from '../../../support/people-api';
import { descriptorOf, PeopleFake } from '../../../support/people-fake';

/**
 * The people commands against the runner's API server, serving the real people handlers (auth none: every call is
 * the local owner's) on an in-memory people store.
 */
const BOX = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };
const IMAGES = ['01JABCDEFGHJKMNPQRSTVWXYZA', '01JABCDEFGHJKMNPQRSTVWXYZB', '01JABCDEFGHJKMNPQRSTVWXYZC'];
const [ADA, BOB, CY] = IMAGES.map((image) => `${image}00`) as [string, string, string];
let people: PeopleFake;
let server: Server;
let api: string;

beforeAll(async () => {
  const served = (name: string, method: string, resource: string): Route => ({
    method,
    resource,
    functionName: name,
    // No image records: a merge's re-pointing finds none of the faces' images (the people routes' own tests do).
    handler: handlerWithPeople(
      name,
      peopleProxy(),
      { AUTH_MODE: 'none' },
      { records: new Map(), upserted: [] },
    ) as unknown as Route['handler'],
  });
  server = createApiServer({
    routes: [
      served('list-people', 'GET', '/people'),
      served('get-person', 'GET', '/people/{id}'),
      served('rename-person', 'PATCH', '/people/{id}'),
      served('merge-people', 'POST', '/people/{id}/merge'),
    ],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Every call goes to this test's `people`, made afresh for each test, whichever method of the port it is. */
function peopleProxy(): PeoplePort {
  return new Proxy({} as PeoplePort, {
    get: (_, method) => {
      const value: unknown = Reflect.get(people, method);
      return typeof value === 'function' ? value.bind(people) : value;
    },
  });
}

beforeEach(async () => {
  people = new PeopleFake();
  // Ada in two photos, Bob and Cy in one each.
  const face = (value: number) => ({
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
    skipped: { tooSmall: 0, overCap: 0 },
  });
  await people.groupFaces(LOCAL_OWNER, IMAGES[0] as string, face(0));
  await people.groupFaces(LOCAL_OWNER, `${(IMAGES[0] as string).slice(0, 25)}D`, face(0.01));
  await people.groupFaces(LOCAL_OWNER, IMAGES[1] as string, face(0.5));
  await people.groupFaces(LOCAL_OWNER, IMAGES[2] as string, face(0.9));
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: (line: string) => out.push(line), warn: (line: string) => err.push(line) };
}

describe('image-intel people', () => {
  it('prints every person, most faces first, as a table of names, face counts and ids', async () => {
    await renamePersonCommand(
      ADA,
      'Ada Lovelace',
      { api },
      () => {},
      () => {},
    );
    const c = capture();
    expect(await listPeopleCommand({ api }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(c.out).toEqual([
      'NAME          FACES  PERSON-ID',
      `Ada Lovelace  2      ${ADA}`,
      `-             1      ${BOB}`,
      `-             1      ${CY}`,
    ]);
    // No signed URL for people to read past.
    expect(c.out.join('\n')).not.toContain('http');
  });

  it('prints every person with --json as one JSON line each, as the API gives it', async () => {
    const c = capture();
    expect(await listPeopleCommand({ api, json: true }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(c.out.map((line) => JSON.parse(line).personId)).toEqual([ADA, BOB, CY]);
    expect(JSON.parse(c.out[0] as string)).toMatchObject({ faceCount: 2, cover: { imageId: IMAGES[0], box: BOX } });
  });

  it('says so when there is no person', async () => {
    people = new PeopleFake();
    const c = capture();
    expect(await listPeopleCommand({ api }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(c.out).toEqual(['No people yet: face grouping makes them from the faces of new photos.']);
    await listPeopleCommand({ api, hidden: true }, c.write, c.warn);
    expect(c.out[1]).toBe('No hidden people.');
  });

  it('follows the cursor past a page of 100', async () => {
    for (let i = 0; i < 100; i++) {
      const image = `01JB${String(i).padStart(22, '0')}`;
      const face = { face: 0, box: BOX, descriptor: descriptorOf(10 + i) };
      await people.groupFaces(LOCAL_OWNER, image, { faces: [face], skipped: { tooSmall: 0, overCap: 0 } });
    }
    const c = capture();
    expect(await listPeopleCommand({ api, json: true }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(new Set(c.out.map((line) => JSON.parse(line).personId)).size).toBe(103);
    expect(people.calls.filter((call) => call.method === 'list').map((call) => call.args[0])).toEqual([
      { limit: 100 },
      { limit: 100, cursor: 'after-100' },
    ]);
  });

  it('prints at most --limit people', async () => {
    const c = capture();
    await listPeopleCommand({ api, limit: 2 }, c.write, c.warn);
    expect(c.out).toHaveLength(3);
    expect(c.out.slice(1).map((line) => line.split(/ +/).at(-1))).toEqual([ADA, BOB]);
  });

  it('renames a person and prints it; --clear takes the name away', async () => {
    const c = capture();
    expect(await renamePersonCommand(BOB, 'Bob', { api }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(JSON.parse(c.out[0] as string)).toMatchObject({ personId: BOB, name: 'Bob' });
    await renamePersonCommand(BOB, null, { api }, c.write, c.warn);
    expect((await people.get(LOCAL_OWNER, BOB))?.name).toBeNull();
  });

  it("exits 1 with the API's message for a name it refuses", async () => {
    const c = capture();
    expect(await renamePersonCommand(BOB, 'a'.repeat(10 * 1024), { api }, c.write, c.warn)).toBe(PEOPLE_EXIT.failed);
    expect(c.err).toEqual([`PATCH /people/${BOB}: 400 name: must be at most 64 characters`]);
  });

  it('merges people into one and prints it; merging into itself exits 1', async () => {
    const c = capture();
    expect(await mergePeopleCommand(ADA, [BOB, CY], { api }, c.write, c.warn)).toBe(PEOPLE_EXIT.ok);
    expect(JSON.parse(c.out[0] as string)).toMatchObject({ personId: ADA, faceCount: 4 });
    expect(await mergePeopleCommand(ADA, [ADA], { api }, c.write, c.warn)).toBe(PEOPLE_EXIT.failed);
    expect(c.err[0]).toMatch(/^POST \/people\/\w+\/merge: 400 personIds: .* cannot merge into itself$/);
  });

  it('takes its arguments from the command line: people is the list, rename and merge their ids', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['people', '--api', api, '--limit', '1', '--json'])).toBe(0);
      expect(await main(['people', 'rename', '--api', api, CY, 'Cy Twombly'])).toBe(0);
      expect(await main(['people', 'merge', '--api', api, BOB, CY])).toBe(0);
    } finally {
      stdout.mockRestore();
    }
    expect(people.calls.filter((call) => call.method !== 'get').map((call) => [call.method, ...call.args])).toEqual([
      ['groupFaces', expect.anything(), expect.anything()],
      ['groupFaces', expect.anything(), expect.anything()],
      ['groupFaces', expect.anything(), expect.anything()],
      ['groupFaces', expect.anything(), expect.anything()],
      ['list', { limit: 1 }],
      ['rename', CY, 'Cy Twombly'],
      ['merge', BOB, [CY]],
      // The merge route then re-points the merged person's images, at most 400 a request (merge-people.ts).
      ['repointMerged', BOB, 400],
    ]);
  });

  it('says face grouping is off, not a bare 404, against an API without the people routes', async () => {
    const bare = createApiServer({ routes: [] });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const without = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    try {
      type Out = (line: string) => void;
      for (const command of [
        (out: Out, err: Out) => listPeopleCommand({ api: without }, out, err),
        (out: Out, err: Out) => renamePersonCommand(ADA, 'Ada', { api: without }, out, err),
        (out: Out, err: Out) => mergePeopleCommand(ADA, [BOB], { api: without }, out, err),
      ]) {
        const c = capture();
        expect(await command(c.write, c.warn)).toBe(PEOPLE_EXIT.failed);
        expect(c.err).toEqual([expect.stringMatching(/^face grouping is off in this deployment: .*--face-grouping/)]);
        expect(c.out).toEqual([]);
      }
    } finally {
      bare.closeAllConnections();
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('still says a person that is not there is a 404 of the API, not that face grouping is off', async () => {
    const c = capture();
    expect(await renamePersonCommand(`${CY.slice(0, -2)}07`, 'Nobody', { api }, c.write, c.warn)).toBe(
      PEOPLE_EXIT.failed,
    );
    expect(c.err).toEqual([expect.stringMatching(/: 404 /)]);
    expect(c.err.join('\n')).not.toMatch(/face grouping is off/);
  });

  it('exits 2 for a rename with neither a name nor --clear, and for a merge without another person', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['people', 'rename', '--api', api, BOB])).toBe(2);
      expect(await main(['people', 'rename', '--api', api, BOB, 'Bob', '--clear'])).toBe(2);
      expect(await main(['people', 'merge', '--api', api, BOB])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(people.calls.some((call) => call.method === 'rename' || call.method === 'merge')).toBe(false);
  });
});
