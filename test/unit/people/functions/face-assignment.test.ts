import type { Box } from '../../../../lambdas/core/vision-schema';
import type { ImageItem } from '../../../../lambdas/store/image-item';
import { apiEvent, invoke, OTHER_USER, TEST_USER, type TestIdentity } from '../../../support/api-events';
import { imageItem } from '../../../support/items';
import { handlerWithPeople, type ImagesFake } from '../../../support/people-api';
import { descriptorOf, PeopleFake } from '../../../support/people-fake';

/*
 * `PUT /images/{id}/faces/{face}` and `POST /images/{id}/faces` (docs/people.md, corrections) on the in-memory
 * PeopleFake and image records: what each answers, refuses, and makes the record and its postings say. The store's own
 * rules (counts, an emptied person deleted, races, re-clusters) are test/integration/people/face-assignment.test.ts'.
 */

const BOX: Box = { left: 0.1, top: 0.2, width: 0.3, height: 0.4 };
const DRAWN: Box = { left: 0.5, top: 0.5, width: 0.2, height: 0.25 };
const IMAGE_A = '01JABCDEFGHJKMNPQRSTVWXYZA';
const IMAGE_C = '01JABCDEFGHJKMNPQRSTVWXYZC';
const NO_SKIPS = { tooSmall: 0, overCap: 0 };
const ENV = { SEARCH_TABLE_NAME: 'images-search' };

/** Ada in image A; Bob in image C, which has a second face, found too small to describe: in no person. */
async function library() {
  const people = new PeopleFake();
  for (const [imageId, value] of [
    [IMAGE_A, 0],
    [IMAGE_C, 0.5],
  ] as const) {
    await people.groupFaces(TEST_USER.sub, imageId, {
      faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
      skipped: NO_SKIPS,
    });
  }
  const ada = `${IMAGE_A}00`;
  const bob = `${IMAGE_C}00`;
  const photo = imageItem({
    imageId: IMAGE_C,
    vision: {
      labels: [],
      objects: [],
      text: { fullText: '', lines: [] },
      moderation: { checked: false, flagged: false, threshold: 0.5, labels: [] },
      faces: [
        { box: BOX, confidence: 0.9 },
        { box: DRAWN, confidence: 0.8 },
      ],
    } as never,
    people: { faces: [{ face: 0, personId: bob }], skipped: { tooSmall: 1, overCap: 0 } },
    indexedTerms: [`person=${bob}`],
  });
  const images: ImagesFake = { records: new Map([[IMAGE_C, photo]]), upserted: [] };
  return { people, images, ada, bob };
}

const assignEvent = (face: string, body: unknown, as?: TestIdentity) =>
  apiEvent({
    method: 'PUT',
    resource: '/images/{id}/faces/{face}',
    path: `/images/${IMAGE_C}/faces/${face}`,
    pathParameters: { id: IMAGE_C, face },
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });

const drawEvent = (body: unknown, as?: TestIdentity) =>
  apiEvent({
    method: 'POST',
    resource: '/images/{id}/faces',
    path: `/images/${IMAGE_C}/faces`,
    pathParameters: { id: IMAGE_C },
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });

const record = (images: ImagesFake): ImageItem => images.records.get(IMAGE_C) as ImageItem;

describe('PUT /images/{id}/faces/{face}', () => {
  it('gives a face to another person: the record, its person= postings and the answer follow', async () => {
    const { people, images, ada, bob } = await library();
    const response = await invoke(
      handlerWithPeople('assign-face', people, ENV, images),
      assignEvent('0', { personId: ada }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      imageId: IMAGE_C,
      face: 0,
      box: BOX,
      person: expect.objectContaining({ personId: ada, faceCount: 2 }),
      previousPersonId: bob,
    });
    expect(record(images).people?.faces).toEqual([{ face: 0, personId: ada }]);
    expect(images.upserted[0]?.indexedTerms).toContain(`person=${ada}`);
    expect(images.upserted[0]?.unindexTerms).toEqual([`person=${bob}`]);
    // Bob's only face went: he is no more.
    expect(await people.get(TEST_USER.sub, bob)).toBeUndefined();
  });

  it('gives a face too small to describe to a new person by name: the record keeps its box, as grouping does', async () => {
    const { people, images, bob } = await library();
    const response = await invoke(
      handlerWithPeople('assign-face', people, ENV, images),
      assignEvent('1', { name: '  Grace Hopper ' }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ face: 1, box: DRAWN, person: { name: 'Grace Hopper', faceCount: 1 } });
    const grace = (response.json as { person: { personId: string } }).person.personId;
    expect(record(images).people?.faces).toEqual([
      { face: 0, personId: bob },
      // Its box says the analysis did not describe it: the page counts it named, no longer too small.
      { face: 1, personId: grace, box: DRAWN },
    ]);
    expect(images.upserted[0]?.indexedTerms).toEqual(expect.arrayContaining([`person=${bob}`, `person=${grace}`]));
  });

  it.each([
    [
      'neither personId nor name',
      {},
      'personId: give exactly one of personId (one of your people) and name (a new person)',
    ],
    [
      'both',
      { personId: 'abc', name: 'Eve' },
      'personId: give exactly one of personId (one of your people) and name (a new person)',
    ],
    ['a name of spaces', { name: '   ' }, 'name: must not be empty or only spaces'],
    ['a malformed person id', { personId: 'a-b' }, 'personId: must be a person id (letters and digits, at most 64)'],
    [
      'another field',
      { personId: 'abc', box: BOX },
      'body: must be a JSON object {"personId": string} or {"name": string}',
    ],
  ])('answers 400 for %s, changing nothing', async (_, body, message) => {
    const { people, images } = await library();
    const response = await invoke(handlerWithPeople('assign-face', people, ENV, images), assignEvent('0', body));
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toContain(message);
    expect(people.calls.some((call) => call.method === 'assignFace')).toBe(false);
  });

  it('answers 400 for a face that is not an index', async () => {
    const { people, images, ada } = await library();
    const response = await invoke(
      handlerWithPeople('assign-face', people, ENV, images),
      assignEvent('x', { personId: ada }),
    );
    expect(response.statusCode).toBe(400);
  });

  // An unknown person's 404 is the store's (test/integration/people/face-assignment.test.ts).
  it("answers 404 for another owner's image and a face it does not have", async () => {
    const { people, images, ada } = await library();
    const handler = handlerWithPeople('assign-face', people, ENV, images);
    expect((await invoke(handler, assignEvent('0', { personId: ada }, OTHER_USER))).statusCode).toBe(404);
    expect((await invoke(handler, assignEvent('7', { personId: ada }))).statusCode).toBe(404);
    expect(images.upserted).toEqual([]);
  });

  it('answers 409 for an image not grouped into people yet', async () => {
    const { people, images, ada } = await library();
    images.records.set(IMAGE_C, { ...record(images), people: undefined });
    const response = await invoke(
      handlerWithPeople('assign-face', people, ENV, images),
      assignEvent('0', { personId: ada }),
    );
    expect(response.statusCode).toBe(409);
  });
});

describe('POST /images/{id}/faces', () => {
  it('draws a face past vision.faces into a person: 201, the record keeps its box, person= follows', async () => {
    const { people, images, ada, bob } = await library();
    const box = { left: 0.7, top: 0, width: 0.3, height: 0.3 };
    const response = await invoke(
      handlerWithPeople('draw-face', people, ENV, images),
      drawEvent({ box, personId: ada }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({
      face: 900,
      box,
      person: { personId: ada, faceCount: 2 },
      previousPersonId: null,
    });
    expect(record(images).people?.faces).toEqual([
      { face: 0, personId: bob },
      { face: 900, personId: ada, box },
    ]);
    expect(images.upserted[0]?.indexedTerms).toContain(`person=${ada}`);
  });

  it.each([
    ['outside the image', { left: 0.8, top: 0, width: 0.3, height: 0.2 }, 'width: left + width must be at most 1'],
    [
      'a sliver',
      { left: 0.1, top: 0.1, width: 0.005, height: 0.2 },
      "box.width: must be at least 0.01 of the image's width",
    ],
    ['negative', { left: -0.1, top: 0.1, width: 0.2, height: 0.2 }, 'box.left'],
    ['not numbers', { left: '0', top: 0, width: 0.2, height: 0.2 }, 'box.left: must be a number from 0 to 1'],
  ])('answers 400 for a box %s, drawing nothing', async (_, box, message) => {
    const { people, images, ada } = await library();
    const response = await invoke(
      handlerWithPeople('draw-face', people, ENV, images),
      drawEvent({ box, personId: ada }),
    );
    expect(response.statusCode).toBe(400);
    expect((response.json as { message: string }).message).toContain(message);
    expect(people.calls.some((call) => call.method === 'drawFace')).toBe(false);
  });

  it("answers 404 for another owner's image", async () => {
    const { people, images, ada } = await library();
    const response = await invoke(
      handlerWithPeople('draw-face', people, ENV, images),
      drawEvent({ box: DRAWN, personId: ada }, OTHER_USER),
    );
    expect(response.statusCode).toBe(404);
  });
});
