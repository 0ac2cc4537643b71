import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { eventually } from './support';

/**
 * Near-duplicates on the local runner (issue 81, docs/api.md "Duplicates"): a photo, its recompressed, resized and
 * lightly cropped copies form one cluster that suggests the original; two different photos of one moment
 * (KPhotoAlbum's demo album, bench/accuracy/set) and an unrelated photo are clustered with nothing. Resolving keeps
 * the original with a copy's tag and album, and the copies go to the trash; sent again, the resolve answers the same.
 * With search by meaning on (the jwt runner's tiny test model), a copy cropped off a corner that the hashes alone miss
 * joins through the embedding. Users of this file's own on the shared jwt runner. With face grouping (the shared
 * `offline-faces` runner), a person named on a copy names the original's face as the copies go.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

const SET = path.join(__dirname, '../../bench/accuracy/set');

interface Member {
  imageId: string;
  width: number;
  height: number;
}
interface Cluster {
  clusterId: string;
  members: Member[];
  suggestion: { keep: string; reason: string };
}

let runner: SharedRunner;
let api: ImageApiClient;
const ids: Record<string, string> = {};

/** Bytes made this file's own after the picture's end (the pixels unchanged), so no other file's upload is them. */
const own = (bytes: Buffer) => Buffer.concat([bytes, randomBytes(16)]);

beforeAll(async () => {
  runner = await profileRunner('jwt');
  const token = await runner.token({ user: fileUser('alice') });
  api = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
  const original = fixture('photos/pier.jpg');
  const { width = 0, height = 0 } = await sharp(original).metadata();
  const photos: Record<string, Buffer> = {
    original: own(original),
    recompressed: await sharp(original).jpeg({ quality: 35 }).toBuffer(),
    resized: await sharp(original)
      .resize({ width: Math.round(width / 2) })
      .jpeg({ quality: 85 })
      .toBuffer(),
    cropped: await sharp(original)
      .extract({
        left: Math.round(width * 0.05),
        top: Math.round(height * 0.05),
        width: Math.round(width * 0.9),
        height: Math.round(height * 0.9),
      })
      .jpeg({ quality: 90 })
      .toBuffer(),
    momentA: own(readFileSync(path.join(SET, 'tune/kpa-bar55.jpg'))),
    momentB: own(readFileSync(path.join(SET, 'tune/kpa-bar55-2.jpg'))),
    unrelated: own(fixture('photos/forest.jpg')),
  };
  // The original first, as a library usually gets it; the rest one by one, each processed before the next.
  for (const [name, bytes] of Object.entries(photos)) {
    ids[name] = await api.upload(bytes, { filename: `${name}.jpg` });
    expect((await api.waitForFinal(ids[name] as string, WAIT)).status).toBe('PROCESSED');
  }
}, WAIT * 3);

const clusters = async () => ((await api.call('GET', '/duplicates')) as { items: Cluster[] }).items;

describe('near-duplicates', () => {
  it('clusters a photo with its copies, suggests the original, and leaves other photos of the moment out', async () => {
    const [cluster, ...others] = await eventually('one cluster', 30_000, async () => {
      const found = await clusters();
      return found[0]?.members.length === 4 ? found : undefined;
    });
    expect(others).toEqual([]);
    const members = (cluster as Cluster).members.map((member) => member.imageId).sort();
    expect(members).toEqual([ids.original, ids.recompressed, ids.resized, ids.cropped].sort());
    expect((cluster as Cluster).suggestion.keep).toBe(ids.original);
    expect((cluster as Cluster).members[0]?.imageId).toBe(ids.original);
  });

  it("resolves: the original keeps a copy's tag and album, the copies go to the trash, the cluster goes", async () => {
    const [cluster] = await clusters();
    const { clusterId, suggestion } = cluster as Cluster;
    await api.call('PATCH', `/images/${ids.resized}/tags`, { add: ['harbour'] });
    const album = (await api.call('POST', '/albums', { name: 'Pier' })) as { albumId: string };
    await api.call('POST', `/albums/${album.albumId}/images`, { imageIds: [ids.cropped] });

    const copies = [ids.recompressed, ids.resized, ids.cropped] as string[];
    const resolved = (await api.call('POST', `/duplicates/${clusterId}/resolve`, {
      keep: [suggestion.keep],
      trash: copies,
    })) as { kept: string; trashed: string[]; carried: { tags: string[]; albums: string[] } };
    expect(resolved).toMatchObject({ kept: ids.original, trashed: copies });
    expect(resolved.carried).toMatchObject({ tags: ['harbour'], albums: [album.albumId], people: 0 });
    // Sent again, as a client whose answer timed out would: the same answer, nothing carried twice.
    const body = { keep: [suggestion.keep], trash: [...copies].reverse() };
    expect(await api.call('POST', `/duplicates/${clusterId}/resolve`, body)).toEqual(resolved);

    const kept = (await api.call('GET', `/images/${ids.original}`)) as { tags?: string[]; status: string };
    expect(kept).toMatchObject({ status: 'PROCESSED', tags: ['harbour'] });
    for (const copy of copies) {
      expect(((await api.call('GET', `/images/${copy}`)) as { status: string }).status).toBe('TRASHED');
    }
    const inAlbum = (await api.call('GET', `/albums/${album.albumId}`)) as { items: { imageId: string }[] };
    // The trashed copy is not shown in it (an album shows no trashed photo); the original is.
    expect(inAlbum.items.map((item) => item.imageId)).toEqual([ids.original]);
    expect(await clusters()).toEqual([]);
  });
});

describe('near-duplicates with search by meaning on (the jwt runner has the tiny test model)', () => {
  it('clusters a copy cropped off a corner, past NEAR_DISTANCE but within the looser bound, through the embedding', async () => {
    // kite.jpg and its 7 % corner crop are 10 bits apart by the rule (past 8, within 12); the tiny model's vectors,
    // made of the mean colour, put them within cosine 0.1. Without the embedding they would stay apart.
    const token = await runner.token({ user: fileUser('carol') });
    const carol = new ImageApiClient(runner.ready.apiUrl, { bearerToken: token });
    const original = fixture('photos/kite.jpg');
    const { width = 0, height = 0 } = await sharp(original).metadata();
    const corner = await sharp(original)
      .extract({
        left: Math.round(width * 0.07),
        top: Math.round(height * 0.07),
        width: Math.round(width * 0.93),
        height: Math.round(height * 0.93),
      })
      .jpeg({ quality: 90 })
      .toBuffer();
    const made: string[] = [];
    for (const [name, bytes] of [
      ['kite', own(original)],
      ['kite-corner', corner],
    ] as const) {
      const imageId = await carol.upload(bytes, { filename: `${name}.jpg` });
      expect((await carol.waitForFinal(imageId, WAIT)).status).toBe('PROCESSED');
      made.push(imageId);
    }
    const [cluster] = await eventually('a cluster', 30_000, async () => {
      const found = ((await carol.call('GET', '/duplicates')) as { items: Cluster[] }).items;
      return found.length > 0 ? found : undefined;
    });
    expect((cluster as Cluster).members.map((member) => member.imageId).sort()).toEqual([...made].sort());
  });
});

describe('near-duplicates with face grouping', () => {
  let faces: ImageApiClient;
  const photos: Record<string, string> = {};

  async function raw(method: string, route: string, body?: unknown) {
    const response = await fetch(`${faceRunner.ready.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${faceToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  let faceRunner: SharedRunner;
  let faceToken = '';

  beforeAll(async () => {
    faceRunner = await profileRunner('offline-faces');
    faceToken = await faceRunner.token({ user: fileUser('erin') });
    faces = new ImageApiClient(faceRunner.ready.apiUrl, { bearerToken: faceToken });
    const astronaut = fixture('vision/person-astronaut.jpg');
    const copy = await sharp(astronaut)
      .extract({ left: 26, top: 26, width: 460, height: 460 })
      .jpeg({ quality: 90 })
      .toBuffer();
    for (const [name, bytes] of [
      ['original', own(astronaut)],
      ['copy', copy],
    ] as const) {
      photos[name] = await faces.upload(bytes, { filename: `${name}.jpg` });
      expect((await faces.waitForFinal(photos[name] as string, WAIT)).status).toBe('PROCESSED');
    }
  }, WAIT * 3);

  it("names the original's face as the owner named the copy's; the resolve sent again answers the same", async () => {
    const cluster = await eventually('a cluster of the two', 30_000, async () => {
      const found = ((await faces.call('GET', '/duplicates')) as { items: Cluster[] }).items[0];
      return found?.members.length === 2 ? found : undefined;
    });
    const facesOf = async (id: string) =>
      ((await raw('GET', `/images/${id}`)).body.people as { faces: { face: number; personId: string }[] }).faces;
    const [copyFace] = await facesOf(photos.copy as string);
    expect(copyFace).toBeDefined();
    const named = await raw('PUT', `/images/${photos.copy}/faces/${copyFace?.face}`, { name: 'Ada' });
    expect(named.status).toBe(200);
    const ada = (named.body.person as { personId: string }).personId;

    const body = { keep: [photos.original], trash: [photos.copy] };
    const resolved = await raw('POST', `/duplicates/${cluster.clusterId}/resolve`, body);
    expect(resolved).toMatchObject({ status: 200, body: { kept: photos.original, carried: { people: 1 } } });
    expect((await facesOf(photos.original as string)).map((face) => face.personId)).toEqual([ada]);
    expect(await raw('GET', `/people/${ada}`)).toMatchObject({ status: 200, body: { name: 'Ada', faceCount: 2 } });

    expect(await raw('POST', `/duplicates/${cluster.clusterId}/resolve`, body)).toEqual(resolved);
    const other = await raw('POST', `/duplicates/${cluster.clusterId}/resolve`, {
      keep: [photos.copy],
      trash: [photos.original],
    });
    expect(other.status).toBe(409);
    expect(other.body.message).toContain(`keeping ${photos.original}`);
  });
});
