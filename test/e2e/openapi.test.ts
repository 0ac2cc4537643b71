import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { postToS3, type UploadTicket, withSlash } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { OpenApiValidator, operationsOf, readOpenApi } from '../support/openapi';
import { WebhookReceiver } from '../support/webhook-receiver';
import { eventually } from './support';
import { loadTarget, usersOf } from './target';

const target = loadTarget();
const WAIT = target.timeoutSeconds * 1000;
jest.setTimeout(WAIT * 3);

const users = usersOf(target);

/** The committed document, as a client would read it: every real answer below must match it. */
const document = readOpenApi();
const validator = new OpenApiValidator(document);
/** `GET /images/{id} 200`: each route and status whose answer was checked, for the last test. */
const checked = new Set<string>();

interface Request {
  /** Default alice's; null sends none. */
  token?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Besides the credential and the content type. */
  headers?: Record<string, string>;
  body?: unknown;
}
// biome-ignore lint/suspicious/noExplicitAny: an answer is read as the document says it is, after it was checked.
type Answer = { status: number; body: any };

/** One request as a client sends it; its answer is checked against the document's schema for route and status. */
async function call(method: string, route: string, request: Request = {}): Promise<Answer> {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(request.params?.[name] ?? ''));
  const url = new URL(path.replace(/^\//, ''), withSlash(target.apiUrl));
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  const headers = new Headers(request.headers);
  const token = request.token === undefined ? users.alice.token : request.token;
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (target.apiKey) headers.set('x-api-key', target.apiKey);
  if (request.body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(url, {
    method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  const body = text === '' ? undefined : JSON.parse(text);
  const answer = `${method} ${route} ${response.status}`;
  expect({ [answer]: validator.responseErrors(method, route, response.status, body) }).toEqual({ [answer]: [] });
  checked.add(answer);
  return { status: response.status, body };
}

/** Bytes no other test uploaded: the fixture with random bytes after its end. */
const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);

describe('every answer of the API, as the OpenAPI document says', () => {
  const photo = unique('photos/kite.jpg');
  const notAnImage = unique('bad/text.jpg');
  let photoTicket: UploadTicket;
  let badTicket: UploadTicket;

  it('POST /uploads: 201 with the form, 400 for a type not allowed, 401 without a token', async () => {
    const upload = (bytes: Buffer, filename: string) =>
      call('POST', '/uploads', {
        body: { contentType: 'image/jpeg', size: bytes.length, filename, tags: ['openapi'], metadata: { by: 'e2e' } },
      });
    const [photoAnswer, badAnswer] = await Promise.all([upload(photo, 'kite.jpg'), upload(notAnImage, 'text.jpg')]);
    expect([photoAnswer.status, badAnswer.status]).toEqual([201, 201]);
    photoTicket = photoAnswer.body;
    badTicket = badAnswer.body;

    const svg = await call('POST', '/uploads', { body: { contentType: 'image/svg+xml', size: 10 } });
    expect(svg.status).toBe(400);
    const anonymous = await call('POST', '/uploads', { token: null, body: { contentType: 'image/png', size: 10 } });
    expect(anonymous.status).toBe(401);
  });

  it('GET /images/{id}: 200 for a PENDING image (no original yet), then for a PROCESSED and a REJECTED one', async () => {
    const pending = await call('GET', '/images/{id}', { params: { id: photoTicket.imageId } });
    expect(pending).toMatchObject({ status: 200, body: { status: 'PENDING', tags: ['openapi'], urls: {} } });
    expect(pending.body.urls.original).toBeUndefined();

    await Promise.all([postToS3(photoTicket, photo), postToS3(badTicket, notAnImage)]);
    const final = (imageId: string) =>
      eventually(`a final status for ${imageId}`, WAIT, async () => {
        const answer = await call('GET', '/images/{id}', { params: { id: imageId } });
        return answer.body.status === 'PENDING' ? undefined : answer.body;
      });
    const [processed, rejected] = await Promise.all([final(photoTicket.imageId), final(badTicket.imageId)]);
    expect(processed).toMatchObject({ status: 'PROCESSED', urls: { original: expect.any(String) } });
    expect(Object.keys(processed.renditions ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(processed.urls.thumbnails).length).toBeGreaterThan(0);
    expect(rejected).toMatchObject({ status: 'REJECTED', rejection: { code: expect.any(String) } });
  });

  it("GET /images/{id}: 400 for a malformed id, 404 for an unknown id and for another owner's image", async () => {
    expect((await call('GET', '/images/{id}', { params: { id: 'not-an-id' } })).status).toBe(400);
    expect((await call('GET', '/images/{id}', { params: { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' } })).status).toBe(404);
    const bobs = await call('GET', '/images/{id}', { params: { id: photoTicket.imageId }, token: users.bob.token });
    expect(bobs.status).toBe(404);
  });

  it('GET /images: 200 pages with and without a cursor, by owner, filtered; 400 for a bad query, 403', async () => {
    const first = await call('GET', '/images', { query: { limit: '1' } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const next = await call('GET', '/images', { query: { limit: '1', cursor: first.body.cursor } });
    expect(next.status).toBe(200);
    const rejected = await call('GET', '/images', { query: { status: 'REJECTED', limit: '100' } });
    expect(rejected.body.items.map((item: { imageId: string }) => item.imageId)).toContain(badTicket.imageId);
    const byOwner = await call('GET', '/images', {
      query: { owner: users.alice.owner, limit: '5' },
      token: users.admin.token,
    });
    expect(byOwner.status).toBe(200);
    // With a filter the page comes from the search index, its items with more fields (dimensions, colour...).
    const searched = await call('GET', '/images', { query: { format: 'jpeg', orientation: 'landscape' } });
    expect(searched.status).toBe(200);

    expect((await call('GET', '/images', { query: { status: 'DONE', limit: '0' } })).status).toBe(400);
    const bobAsAlice = await call('GET', '/images', { query: { owner: users.alice.owner }, token: users.bob.token });
    expect(bobAsAlice.status).toBe(403);
  });

  it('GET /images/{id}/similar: 200 for a processed image, 409 for a rejected one, 400 and 404', async () => {
    const similar = await call('GET', '/images/{id}/similar', {
      params: { id: photoTicket.imageId },
      query: { maxDistance: '8', limit: '5' },
    });
    expect(similar.status).toBe(200);
    expect((await call('GET', '/images/{id}/similar', { params: { id: badTicket.imageId } })).status).toBe(409);
    const tooFar = await call('GET', '/images/{id}/similar', {
      params: { id: photoTicket.imageId },
      query: { maxDistance: '40' },
    });
    expect(tooFar.status).toBe(400);
    const bobs = await call('GET', '/images/{id}/similar', {
      params: { id: photoTicket.imageId },
      token: users.bob.token,
    });
    expect(bobs.status).toBe(404);
  });

  it('PATCH /images/{id}/labels: 200 for a processed image, 409 for a rejected one, 400 and 404', async () => {
    const id = photoTicket.imageId;
    const patched = await call('PATCH', '/images/{id}/labels', { params: { id }, body: { add: ['Sky'] } });
    expect(patched.status).toBe(200);
    const rejected = await call('PATCH', '/images/{id}/labels', {
      params: { id: badTicket.imageId },
      body: { add: ['x'] },
    });
    expect(rejected.status).toBe(409);
    expect((await call('PATCH', '/images/{id}/labels', { params: { id }, body: {} })).status).toBe(400);
    const bobs = await call('PATCH', '/images/{id}/labels', {
      params: { id },
      body: { add: ['x'] },
      token: users.bob.token,
    });
    expect(bobs.status).toBe(404);
  });

  it('the edit routes: PATCH tags, PUT and DELETE the date taken, PUT a favourite: 200, and 400, 409 and 404', async () => {
    const id = photoTicket.imageId;
    const tagged = await call('PATCH', '/images/{id}/tags', { params: { id }, body: { add: ['Docs'] } });
    expect(tagged).toMatchObject({ status: 200, body: { imageId: id, tags: expect.arrayContaining(['Docs']) } });
    const dated = await call('PUT', '/images/{id}/taken', {
      params: { id },
      body: { takenAt: '2020-05-06T07:08:09+02:00' },
    });
    expect(dated).toMatchObject({ status: 200, body: { takenAt: '2020-05-06T07:08:09' } });
    const undated = await call('DELETE', '/images/{id}/taken', { params: { id } });
    expect(undated).toMatchObject({ status: 200, body: { imageId: id } });
    expect(undated.body.takenAt).not.toBe('2020-05-06T07:08:09');
    const liked = await call('PUT', '/images/{id}/favourite', { params: { id }, body: { favourite: true } });
    expect(liked).toMatchObject({ status: 200, body: { imageId: id, favourite: true } });
    expect((await call('PATCH', '/images/{id}/tags', { params: { id }, body: {} })).status).toBe(400);
    expect((await call('PUT', '/images/{id}/taken', { params: { id }, body: { takenAt: '2020-05-06' } })).status).toBe(
      400,
    );
    expect((await call('PUT', '/images/{id}/favourite', { params: { id }, body: { favourite: 1 } })).status).toBe(400);
    const rejected = await call('PUT', '/images/{id}/favourite', {
      params: { id: badTicket.imageId },
      body: { favourite: true },
    });
    expect(rejected.status).toBe(409);
    const bobs = await call('PATCH', '/images/{id}/tags', {
      params: { id },
      body: { add: ['x'] },
      token: users.bob.token,
    });
    expect(bobs.status).toBe(404);
  });

  it('PUT archived: 200 each way, and 400, 409 and 404', async () => {
    const id = photoTicket.imageId;
    const archive = (body: unknown, params = { id }, token?: string) =>
      call('PUT', '/images/{id}/archived', { params, body, token });
    expect(await archive({ archived: true })).toMatchObject({ status: 200, body: { imageId: id, archived: true } });
    expect(await archive({ archived: false })).toMatchObject({ status: 200, body: { imageId: id, archived: false } });
    expect((await archive({ archived: 'yes' })).status).toBe(400);
    expect((await archive({ archived: true }, { id: badTicket.imageId })).status).toBe(409);
    expect((await archive({ archived: true }, { id }, users.bob.token)).status).toBe(404);
  });

  it('the locked folder: a PIN set, asked and changed, a lock each way, an unlock; 400, 403, 404, 409 and 429', async () => {
    const id = photoTicket.imageId;
    const pin = (body: unknown) => call('PUT', '/locked/pin', { body });
    const unlock = (value: string, token?: string) => call('POST', '/locked/unlock', { body: { pin: value }, token });
    const lock = (body: unknown, params = { id }, token?: string) =>
      call('PUT', '/images/{id}/locked', { params, body, token });
    const isSet = async (token?: string) => (await call('GET', '/locked/pin', { token })).body;
    expect((await unlock('2468', users.bob.token)).status).toBe(409);
    expect(await isSet(users.bob.token)).toEqual({ set: false });
    expect((await pin({ pin: '12' })).status).toBe(400);
    expect((await pin({ pin: '2468' })).status).toBe(200);
    expect(await isSet()).toEqual({ set: true });
    expect((await pin({ pin: '1357' })).status).toBe(400);
    expect((await pin({ pin: '1357', current: '0000' })).status).toBe(403);
    expect((await pin({ pin: '1357', current: '2468' })).body.pinVersion).toBeGreaterThan(1);

    expect(await lock({ locked: true })).toMatchObject({ status: 200, body: { imageId: id, locked: true } });
    expect((await lock({ locked: 'yes' })).status).toBe(400);
    expect((await lock({ locked: true }, { id: badTicket.imageId })).status).toBe(409);
    expect((await lock({ locked: true }, { id }, users.bob.token)).status).toBe(404);
    expect((await call('GET', '/images/{id}', { params: { id } })).status).toBe(403);
    expect((await call('GET', '/images', { query: { locked: 'true' } })).status).toBe(403);
    expect((await unlock('0000')).status).toBe(403);
    const opened = await unlock('1357');
    expect(opened.status).toBe(200);
    const headers = { 'x-unlock-token': opened.body.token };
    expect((await call('GET', '/images', { query: { locked: 'true' }, headers })).body.items).toEqual([
      expect.objectContaining({ imageId: id }),
    ]);
    expect((await call('GET', '/images/{id}', { params: { id }, headers })).status).toBe(200);
    expect(await lock({ locked: false })).toMatchObject({ status: 200, body: { imageId: id, locked: false } });
    // Five wrong PINs in a row shut the folder: the next try is a 429, even with the right PIN.
    for (let wrong = 0; wrong < 5; wrong++) expect((await unlock('0000')).status).toBe(403);
    expect((await unlock('1357')).status).toBe(429);
  });

  it('the partner routes: POST 200 and 400, GET 200, DELETE 204 and 404; a partner reads, then no more', async () => {
    const [alice, bob] = [users.alice.owner, users.bob.owner];
    const granted = await call('POST', '/partners', { body: { partner: bob } });
    expect(granted).toMatchObject({ status: 200, body: { grantor: alice, partner: bob } });
    expect((await call('POST', '/partners', { body: { partner: alice } })).status).toBe(400);
    expect((await call('POST', '/partners', { body: { partner: bob, from: '2024-02-30' } })).status).toBe(400);
    expect(await call('GET', '/partners', {})).toMatchObject({ status: 200, body: { granted: [{ partner: bob }] } });
    const asBob = { token: users.bob.token };
    expect((await call('GET', '/images', { query: { partner: alice }, ...asBob })).status).toBe(200);
    const read = await call('GET', '/images/{id}', { params: { id: photoTicket.imageId }, ...asBob });
    expect(read.status).toBe(200);
    expect((await call('DELETE', '/partners/{partner}', { params: { partner: bob } })).status).toBe(204);
    expect((await call('DELETE', '/partners/{partner}', { params: { partner: bob } })).status).toBe(404);
    expect((await call('GET', '/images', { query: { partner: alice }, ...asBob })).status).toBe(404);
    expect((await call('GET', '/images/{id}', { params: { id: photoTicket.imageId }, ...asBob })).status).toBe(404);
  });

  it('the stack routes: POST 201, GET and PUT primary 200, DELETE 204; 400, 404 and 409', async () => {
    // A second PROCESSED photo of alice's to stack with the first.
    const bytes = unique('photos/pier.jpg');
    const ticket = await call('POST', '/uploads', {
      body: { contentType: 'image/jpeg', size: bytes.length, filename: 'pier.jpg' },
    });
    await postToS3(ticket.body, bytes);
    const other: string = ticket.body.imageId;
    await eventually('the second photo processed', WAIT, async () => {
      const answer = await call('GET', '/images/{id}', { params: { id: other } });
      return answer.body.status === 'PROCESSED' ? answer.body : undefined;
    });
    const imageIds = [photoTicket.imageId, other];
    const made = await call('POST', '/stacks', { body: { imageIds, primary: other } });
    expect(made).toMatchObject({ status: 201, body: { primary: other, count: 2 } });
    const params = { id: made.body.stackId };
    expect((await call('POST', '/stacks', { body: { imageIds } })).status).toBe(409);
    expect((await call('POST', '/stacks', { body: { imageIds: [other] } })).status).toBe(400);
    expect((await call('POST', '/stacks', { body: { imageIds: ['01JZZZZZZZZZZZZZZZZZZZZZZZ', other] } })).status).toBe(
      404,
    );
    const read = await call('GET', '/stacks/{id}', { params });
    expect(read.body.frames.map((frame: { imageId: string }) => frame.imageId)).toEqual([other, photoTicket.imageId]);
    expect((await call('GET', '/stacks/{id}', { params, token: users.bob.token })).status).toBe(404);
    expect((await call('GET', '/stacks/{id}', { params: { id: 'not-a-stack' } })).status).toBe(400);
    const primary = await call('PUT', '/stacks/{id}/primary', { params, body: { imageId: photoTicket.imageId } });
    expect(primary).toMatchObject({ status: 200, body: { primary: photoTicket.imageId } });
    expect((await call('PUT', '/stacks/{id}/primary', { params, body: { imageId: badTicket.imageId } })).status).toBe(
      400,
    );
    const listed = await call('GET', '/images', { query: { stacked: 'expand', limit: '100' } });
    const frames = listed.body.items.filter((item: { imageId: string }) => imageIds.includes(item.imageId));
    expect(frames.map((item: { stack?: { id: string } }) => item.stack?.id)).toEqual([params.id, params.id]);
    expect((await call('DELETE', '/stacks/{id}', { params })).status).toBe(204);
    expect((await call('DELETE', '/stacks/{id}', { params })).status).toBe(404);
  });

  it('the duplicates routes: GET 200, resolve and dismiss 200; 400 and 404', async () => {
    // Two recompressed copies of alice's photo, one after the other: each joins (or makes) its cluster.
    const copyOf = async (name: string) => {
      const bytes = await sharp(photo)
        .jpeg({ quality: 35 })
        .withMetadata({ density: 71 + name.length })
        .toBuffer();
      const ticket = await call('POST', '/uploads', {
        body: { contentType: 'image/jpeg', size: bytes.length, filename: name },
      });
      await postToS3(ticket.body, bytes);
      const id: string = ticket.body.imageId;
      await eventually(`${name} processed`, WAIT, async () => {
        const answer = await call('GET', '/images/{id}', { params: { id } });
        return answer.body.status === 'PROCESSED' ? answer.body : undefined;
      });
      return id;
    };
    const clusterWith = (id: string) =>
      eventually(`a cluster with ${id}`, WAIT, async () => {
        const page = await call('GET', '/duplicates', { query: { limit: '50' } });
        return page.body.items.find((cluster: { members: { imageId: string }[] }) =>
          cluster.members.some((member) => member.imageId === id),
        ) as { clusterId: string; members: { imageId: string }[] } | undefined;
      });
    const copy = await copyOf('copy.jpg');
    const cluster = await clusterWith(copy);
    const params = { id: cluster.clusterId };
    // Other suites upload kite.jpg as alice too: the copy may join one of theirs rather than this suite's photo.
    const kept = cluster.members.find((member) => member.imageId !== copy)?.imageId as string;
    expect((await call('GET', '/duplicates', { query: { limit: 'many' } })).status).toBe(400);
    const unknown = { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' };
    expect((await call('POST', '/duplicates/{id}/dismiss', { params: unknown })).status).toBe(404);
    expect((await call('POST', '/duplicates/{id}/dismiss', { params: { id: 'no' } })).status).toBe(400);
    expect(
      (await call('POST', '/duplicates/{id}/resolve', { params, body: { keep: [unknown.id], trash: [copy] } })).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/duplicates/{id}/resolve', {
          params,
          token: users.bob.token,
          body: { keep: [kept], trash: [copy] },
        })
      ).status,
    ).toBe(404);
    const resolved = await call('POST', '/duplicates/{id}/resolve', { params, body: { keep: [kept], trash: [copy] } });
    expect(resolved).toMatchObject({ status: 200, body: { kept, trashed: [copy] } });
    const again = await copyOf('again.jpg');
    const next = await clusterWith(again);
    const dismissed = await call('POST', '/duplicates/{id}/dismiss', { params: { id: next.clusterId } });
    expect(dismissed.status).toBe(200);
    // Sent again, it answers the same (docs/api.md#duplicates); resolving what was dismissed is a 409.
    const again2 = await call('POST', '/duplicates/{id}/dismiss', { params: { id: next.clusterId } });
    expect({ status: again2.status, body: again2.body }).toEqual({ status: 200, body: dismissed.body });
    const late = await call('POST', '/duplicates/{id}/resolve', {
      params: { id: next.clusterId },
      body: { keep: [again], trash: [] },
    });
    expect(late.status).toBe(409);
  });

  it('PUT a rotation: 202 while it is made again, 200 once it is, and 400, 409 and 404', async () => {
    const id = photoTicket.imageId;
    const rotate = (degrees: unknown, params = { id }, token?: string) =>
      call('PUT', '/images/{id}/rotation', { params, body: { degrees }, token });
    /** Until the processor has made it again turned so (the next test's conditional writes must not race it). */
    const made = (degrees: number) =>
      eventually(`${id} turned ${degrees}`, WAIT, async () => {
        const { body } = await call('GET', '/images/{id}', { params: { id } });
        return (body.rotationApplied ?? 0) === degrees ? true : undefined;
      });
    expect(await rotate(90)).toEqual({ status: 202, body: { imageId: id, rotation: 90, status: 'REANALYSING' } });
    await made(90);
    expect(await rotate(90)).toEqual({ status: 200, body: { imageId: id, rotation: 90, status: 'UNCHANGED' } });
    expect((await rotate(45)).status).toBe(400);
    expect((await rotate(90, { id: badTicket.imageId })).status).toBe(409);
    expect((await rotate(180, { id }, users.bob.token)).status).toBe(404);
    expect((await rotate(0)).status).toBe(202);
    await made(0);
  });

  it('PUT and DELETE a crop: 202 while it is cut again, 200 once it is, and 400, 409 and 404', async () => {
    const id = photoTicket.imageId;
    const left = { left: 0, top: 0, width: 0.5, height: 1 };
    const crop = (body: unknown, params = { id }, token?: string) =>
      call('PUT', '/images/{id}/crop', { params, body, token });
    const uncrop = () => call('DELETE', '/images/{id}/crop', { params: { id } });
    /** Until the processor has cut it so (the next test's conditional writes must not race it); uncut: none. */
    const made = (width: number) =>
      eventually(`${id} cut to a width of ${width}`, WAIT, async () => {
        const { body } = await call('GET', '/images/{id}', { params: { id } });
        return body.status === 'PROCESSED' && (body.cropApplied?.width ?? 1) === width ? true : undefined;
      });
    expect(await crop(left)).toMatchObject({ status: 202, body: { imageId: id, status: 'REANALYSING' } });
    await made(0.5);
    expect(await crop(left)).toMatchObject({ status: 200, body: { imageId: id, status: 'UNCHANGED' } });
    expect((await crop({ ...left, left: 0.7 })).status).toBe(400);
    expect((await crop(left, { id: badTicket.imageId })).status).toBe(409);
    expect((await crop(left, { id }, users.bob.token)).status).toBe(404);
    expect((await uncrop()).status).toBe(202);
    await made(1);
    expect((await uncrop()).status).toBe(200);
  });

  it('the place routes: PUT a position and a name, the suggestions, GET /places, DELETE back to the GPS; 400, 409 and 404', async () => {
    const id = photoTicket.imageId;
    const moved = await call('PUT', '/images/{id}/place', {
      params: { id },
      body: { position: { latitude: 47.5947, longitude: 7.6208 } },
    });
    expect(moved).toMatchObject({ status: 200, body: { place: { locality: { name: 'Weil am Rhein' } } } });
    const named = await call('PUT', '/images/{id}/place', {
      params: { id },
      body: { place: { locality: { name: 'Riehen' }, country: { name: 'Switzerland', code: 'CH' } } },
    });
    expect(named).toMatchObject({ status: 200, body: { place: { source: 'owner' } } });
    const suggested = await call('GET', '/places/suggestions', { query: { q: 'riehen', limit: '3' } });
    expect(suggested).toMatchObject({
      status: 200,
      body: { suggestions: [{ kind: 'locality', place: { locality: { name: 'Riehen' }, country: { code: 'CH' } } }] },
    });
    expect((await call('GET', '/places/suggestions', { query: { q: '' } })).status).toBe(400);
    const places = await call('GET', '/places');
    expect(places).toMatchObject({ status: 200, body: { countries: [{ name: 'Switzerland', place: ['ch'] }] } });
    expect((await call('DELETE', '/images/{id}/place', { params: { id } })).status).toBe(200);
    const off = { params: { id }, body: { position: { latitude: 91, longitude: 0 } } };
    expect((await call('PUT', '/images/{id}/place', off)).status).toBe(400);
    const rejected = await call('PUT', '/images/{id}/place', {
      params: { id: badTicket.imageId },
      body: { cleared: true },
    });
    expect(rejected.status).toBe(409);
    const bobs = await call('DELETE', '/images/{id}/place', { params: { id }, token: users.bob.token });
    expect(bobs.status).toBe(404);
  });

  it('PUT /images/{id}/owner: 200 for the owner it has, 403 for a caller who is no admin, 400 and 404', async () => {
    const id = photoTicket.imageId;
    const admin = users.admin.token;
    const same = await call('PUT', '/images/{id}/owner', {
      params: { id },
      body: { owner: users.alice.owner },
      token: admin,
    });
    expect(same).toMatchObject({ status: 200, body: { imageId: id, owner: users.alice.owner, status: 'UNCHANGED' } });
    const alices = await call('PUT', '/images/{id}/owner', { params: { id }, body: { owner: users.bob.owner } });
    expect(alices.status).toBe(403);
    const bad = await call('PUT', '/images/{id}/owner', { params: { id }, body: { owner: 'a#b' }, token: admin });
    expect(bad.status).toBe(400);
    const unknown = await call('PUT', '/images/{id}/owner', {
      params: { id: '01JD5Y4ZQK8V3N2M1B0C9X8W7V' },
      body: { owner: users.bob.owner },
      token: admin,
    });
    expect(unknown.status).toBe(404);
  });

  it("the policy routes: the default policy, a policy set and read back, 400 for a bad rule, 403 for another owner's", async () => {
    const bob = users.bob.token;
    const initial = await call('GET', '/policy', { token: bob });
    expect(initial).toMatchObject({ status: 200, body: { owner: users.bob.owner, source: 'default' } });
    const rules = [{ category: 'Suggestive', threshold: 1, action: 'flag' }];
    const set = await call('PUT', '/policy', { body: { rules }, token: bob });
    expect(set).toMatchObject({ status: 200, body: { owner: users.bob.owner, source: 'owner', rules } });
    expect((await call('GET', '/policy', { token: bob })).body).toMatchObject({ source: 'owner', rules });
    const unknown = { rules: [{ category: 'Sarcasm', threshold: 0.5, action: 'flag' }] };
    expect((await call('PUT', '/policy', { body: unknown, token: bob })).status).toBe(400);
    const alices = await call('GET', '/policy', { query: { owner: users.alice.owner }, token: bob });
    expect(alices.status).toBe(403);
  });

  it("the album routes: 201, 200, 204; 400 for a malformed body, 404 for another owner's album or image", async () => {
    const imageId = photoTicket.imageId;
    const created = await call('POST', '/albums', { body: { name: 'openapi' } });
    expect(created.status).toBe(201);
    expect((await call('POST', '/albums', { body: { name: '' } })).status).toBe(400);
    const params = { id: created.body.albumId as string };
    const added = await call('POST', '/albums/{id}/images', { params, body: { imageIds: [imageId] } });
    expect(added).toMatchObject({ status: 200, body: { added: 1 } });
    const bobs = await call('POST', '/albums/{id}/images', {
      params,
      body: { imageIds: [imageId] },
      token: users.bob.token,
    });
    expect(bobs.status).toBe(404);
    expect((await call('PATCH', '/albums/{id}', { params, body: { coverImageId: imageId } })).status).toBe(200);
    expect((await call('GET', '/albums')).status).toBe(200);
    expect((await call('GET', '/albums/{id}', { params })).body.items).toHaveLength(1);
    expect((await call('GET', '/albums/{id}', { params, token: users.bob.token })).status).toBe(404);
    expect((await call('GET', '/images/{id}/albums', { params: { id: imageId } })).status).toBe(200);
    // Shared with bob: he lists and reads it; only its owner manages its members.
    const bob = { ...params, owner: users.bob.owner };
    const member = await call('PUT', '/albums/{id}/members/{owner}', { params: bob, body: { role: 'viewer' } });
    expect(member).toMatchObject({ status: 200, body: { member: users.bob.owner, role: 'viewer' } });
    expect((await call('PUT', '/albums/{id}/members/{owner}', { params: bob, body: { role: 'x' } })).status).toBe(400);
    expect(
      (
        await call('PUT', '/albums/{id}/members/{owner}', {
          params: bob,
          body: { role: 'viewer' },
          token: users.bob.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (await call('GET', '/albums', { query: { shared: 'true' }, token: users.bob.token })).body.items,
    ).toHaveLength(1);
    expect((await call('GET', '/albums/{id}', { params, token: users.bob.token })).body.album.role).toBe('viewer');
    expect((await call('GET', '/albums/{id}', { params })).body.members).toHaveLength(1);
    expect((await call('DELETE', '/albums/{id}/members/{owner}', { params: bob })).status).toBe(204);
    expect((await call('DELETE', '/albums/{id}/members/{owner}', { params: bob })).status).toBe(404);
    const removed = await call('DELETE', '/albums/{id}/images', { params, body: { imageIds: [imageId] } });
    expect(removed).toMatchObject({ status: 200, body: { removed: 1 } });
    expect((await call('DELETE', '/albums/{id}', { params })).status).toBe(204);
    expect((await call('DELETE', '/albums/{id}', { params })).status).toBe(404);
  });

  it("the share routes: 201, 200, 202, 204; 400, 401 without the password, 404 for another owner's, 410 revoked", async () => {
    const image = { id: photoTicket.imageId };
    const password = 'openapi password';
    const made = await call('POST', '/images/{id}/shares', { params: image, body: { password } });
    expect(made.status).toBe(201);
    const past = { expiresAt: '2020-01-01T00:00:00Z' };
    expect((await call('POST', '/images/{id}/shares', { params: image, body: past })).status).toBe(400);
    const bobs = await call('POST', '/images/{id}/shares', { params: image, body: {}, token: users.bob.token });
    expect(bobs.status).toBe(404);
    const album = await call('POST', '/albums', { body: { name: 'openapi shared' } });
    const albumParams = { id: album.body.albumId as string };
    expect((await call('POST', '/albums/{id}/shares', { params: albumParams, body: {} })).status).toBe(201);
    // Signed out: no credential at all.
    const params = { token: made.body.token as string };
    expect((await call('GET', '/shared/{token}', { params, token: null })).status).toBe(401);
    const opened = await call('GET', '/shared/{token}', {
      params,
      token: null,
      headers: { 'x-share-password': password },
    });
    expect(opened.status).toBe(200);
    // Signed in, another owner saves the link's photo into their library: 202, and the same copy when asked again.
    const photo = (opened.body.items as { id: string }[])[0]?.id;
    const saving = { params, token: users.bob.token, headers: { 'x-share-password': password }, body: { photo } };
    const saved = await call('POST', '/shared/{token}/save', saving);
    expect(saved.status).toBe(202);
    expect((await call('POST', '/shared/{token}/save', saving)).body.imageId).toBe(saved.body.imageId);
    expect((await call('POST', '/shared/{token}/save', { ...saving, token: null })).status).toBe(401);
    expect((await call('GET', '/shared/{token}', { params: { token: 'x'.repeat(43) }, token: null })).status).toBe(404);
    expect((await call('GET', '/shares')).status).toBe(200);
    // By its shareId, as GET /shares names it (the list holds no token).
    const shareId = (made.body.share as { shareId: string }).shareId;
    expect((await call('DELETE', '/shares/{id}', { params: { id: shareId } })).status).toBe(204);
    expect((await call('GET', '/shared/{token}', { params, token: null })).status).toBe(410);
    expect((await call('DELETE', '/albums/{id}', { params: albumParams })).status).toBe(204);
  });

  it("the webhook routes: 201, 200, 202, 204; 400 for a private address, 404 for another owner's endpoint", async () => {
    // On the runner a loopback receiver; a deployed stack allows only public https: give it one in E2E_WEBHOOK_URL.
    const receiver = new WebhookReceiver();
    const url = process.env.E2E_WEBHOOK_URL ?? (await receiver.start());
    try {
      const created = await call('POST', '/webhooks', { body: { url, description: 'openapi' } });
      expect(created.status).toBe(201);
      expect((await call('POST', '/webhooks', { body: { url: 'https://10.0.0.1/' } })).status).toBe(400);
      const params = { id: created.body.endpoint.endpointId as string };
      expect((await call('GET', '/webhooks')).status).toBe(200);
      expect((await call('GET', '/webhooks/{id}', { params })).status).toBe(200);
      expect((await call('GET', '/webhooks/{id}', { params, token: users.bob.token })).status).toBe(404);
      expect((await call('PATCH', '/webhooks/{id}', { params, body: { description: 'checked' } })).status).toBe(200);
      expect((await call('POST', '/webhooks/{id}/rotate-secret', { params })).status).toBe(200);
      // An event for it, once the delivery function's 5 s cache of alice's endpoints (none) has expired.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const id = photoTicket.imageId;
      expect((await call('PATCH', '/images/{id}/labels', { params: { id }, body: { add: ['Hooked'] } })).status).toBe(
        200,
      );
      const log = await eventually('its delivery in the log', WAIT, async () => {
        const page = await call('GET', '/webhooks/{id}/deliveries', { params });
        return page.body.items.length > 0 ? page : undefined;
      });
      const webhookId = log.body.items[0].webhookId as string;
      expect((await call('POST', '/webhooks/{id}/replay', { params, body: { webhookId } })).status).toBe(202);
      const range = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date().toISOString() };
      expect((await call('POST', '/webhooks/{id}/replay', { params, body: range })).status).toBe(202);
      expect(await call('DELETE', '/webhooks/{id}', { params })).toEqual({ status: 204, body: undefined });
    } finally {
      await receiver.stop();
    }
  });

  it('POST /images/{id}/renditions: 200 for a processed image, 409 for a rejected one, 400 and 404', async () => {
    const id = photoTicket.imageId;
    const signed = await call('POST', '/images/{id}/renditions', { params: { id }, body: { w: 200, format: 'webp' } });
    expect(signed.status).toBe(200);
    expect((await fetch(signed.body.url)).status).toBe(200);
    const rejected = await call('POST', '/images/{id}/renditions', {
      params: { id: badTicket.imageId },
      body: { w: 200 },
    });
    expect(rejected.status).toBe(409);
    const bad = await call('POST', '/images/{id}/renditions', { params: { id }, body: { w: 0, width: 200 } });
    expect(bad.status).toBe(400);
    const bobs = await call('POST', '/images/{id}/renditions', {
      params: { id },
      body: { w: 200 },
      token: users.bob.token,
    });
    expect(bobs.status).toBe(404);
  });

  it("DELETE /images/{id}: 404 for another owner's image, 200 to the trash, restore, 204 for good, then 404; 400 for a malformed id", async () => {
    const id = photoTicket.imageId;
    expect((await call('DELETE', '/images/{id}', { params: { id }, token: users.bob.token })).status).toBe(404);
    expect((await call('DELETE', '/images/{id}', { params: { id } })).body).toMatchObject({ status: 'TRASHED' });
    expect((await call('POST', '/images/{id}/restore', { params: { id } })).status).toBe(200);
    expect((await call('POST', '/images/{id}/restore', { params: { id } })).status).toBe(409);
    expect((await call('DELETE', '/images/{id}', { params: { id } })).status).toBe(200);
    const forGood = { params: { id }, query: { permanently: 'true' } };
    expect(await call('DELETE', '/images/{id}', forGood)).toEqual({ status: 204, body: undefined });
    expect((await call('DELETE', '/images/{id}', { params: { id } })).status).toBe(404);
    expect((await call('POST', '/trash/empty')).status).toBe(202);
    const rejected = { params: { id: badTicket.imageId }, query: { permanently: 'true' } };
    expect((await call('DELETE', '/images/{id}', rejected)).status).toBe(204);
    expect((await call('DELETE', '/images/{id}', { params: { id: 'not-an-id' } })).status).toBe(400);
  });

  it('POST /backfills: 202 for an admin, 400 for a bucket the stack may not read, 403 for anyone else; GET them', async () => {
    const admin = users.admin.token;
    // Over this file's own upload (its key the prefix; deleted by now, so the run lists nothing): a run over the
    // runner's whole uploads/ re-analysed every image of every e2e file on the shared runner, and raced their deletes.
    const body = { bucket: target.bucket, prefix: `uploads/${photoTicket.imageId}`, reprocess: true };
    const started = await call('POST', '/backfills', { body, token: admin });
    expect(started).toMatchObject({ status: 202, body: { status: 'RUNNING', bucket: target.bucket } });
    const unknown = await call('POST', '/backfills', { body: { bucket: 'not-a-source-of-this-stack' }, token: admin });
    expect(unknown.status).toBe(400);
    expect((await call('POST', '/backfills', { body })).status).toBe(403);

    expect((await call('GET', '/backfills', { token: admin })).status).toBe(200);
    const run = await call('GET', '/backfills/{id}', { params: { id: started.body.id }, token: admin });
    expect(run).toMatchObject({ status: 200, body: { id: started.body.id } });
    const missing = await call('GET', '/backfills/{id}', {
      params: { id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' },
      token: admin,
    });
    expect(missing.status).toBe(404);
    expect((await call('GET', '/backfills/{id}', { params: { id: started.body.id } })).status).toBe(403);
  });

  it('called every operation of the document and saw a success answer of each', () => {
    // The people routes (and an image's faces given to people) exist only with face grouping on, which this target does
    // not have: the people suites call them (e2e/people.test.ts, e2e/people-corrections.test.ts).
    const served = operationsOf(document).filter(
      (operation) => !/ \/people(\/|$)| \/images\/\{id\}\/faces/.test(operation),
    );
    const unanswered = served.filter(
      (operation) => ![...checked].some((answer) => answer.startsWith(`${operation} 2`)),
    );
    expect(unanswered).toEqual([]);
  });
});
