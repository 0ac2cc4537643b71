import { randomBytes } from 'node:crypto';
import type { ImageView as ClientView } from '../../lambdas/cli/api-client';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { laplacianVariance } from '../support/sharpness';

/**
 * A moderation policy per owner (issue 44, docs/vision.md "Moderation"), through the local runner with the offline
 * models, on the run's shared `offline-faces` runner as users of this file's own. The thresholds are not guessed:
 * bob (the default policy) uploads the photos first, and alice's rules sit at half the confidence the offline model
 * gave them, so the suite holds whatever scores the model gives these photos.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

let runner: SharedRunner;
const tokens = { alice: '', bob: '', carol: '' };
const clients = {} as Record<keyof typeof tokens, ImageApiClient>;

/** Bytes no other upload has: the photo with random bytes after its end (the same pixels). */
const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);

/** The fields of GET /images/{id} this suite reads. */
type ImageView = ClientView & {
  vision?: { moderation: { flagged: boolean; labels: Array<{ name: string; confidence: number }> } };
  moderationPolicy?: unknown;
  rejection?: { code: string; message: string };
};

async function raw(who: keyof typeof tokens, method: string, path: string, body?: unknown) {
  const response = await fetch(`${runner.ready.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

async function processed(who: keyof typeof tokens, name: string): Promise<ImageView> {
  const api = clients[who];
  const imageId = await api.upload(unique(name), { filename: name.split('/').pop() });
  return (await api.waitForFinal(imageId, WAIT)) as ImageView;
}

function score(image: ImageView, category: string): number {
  const label = image.vision?.moderation.labels.find((l) => l.name === category);
  if (!label) throw new Error(`no ${category} score on image ${image.imageId}`);
  return label.confidence;
}

async function fetched(url: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { accept: 'image/webp,*/*' } });
  expect({ url, status: response.status }).toEqual({ url, status: 200 });
  return Buffer.from(await response.arrayBuffer());
}

/** Every picture of the image a viewer can be shown: thumbnails, a custom rendition, each preset (public ones too). */
async function shownPictures(who: keyof typeof tokens, image: ImageView): Promise<Record<string, Buffer>> {
  const detail = (await raw(who, 'GET', `/images/${image.imageId}`)).body as ClientView;
  const urls: Record<string, string> = {};
  for (const [size, url] of Object.entries(detail.urls?.thumbnails ?? {})) urls[`thumbnail ${size}`] = url;
  for (const [preset, { url, publicUrl }] of Object.entries(detail.renditions ?? {})) {
    urls[`preset ${preset}`] = url;
    if (publicUrl) urls[`public ${preset}`] = publicUrl;
  }
  urls['custom w=400'] = (await clients[who].rendition(image.imageId, { w: 400, format: 'webp' })).url;
  const pictures: Record<string, Buffer> = {};
  for (const [what, url] of Object.entries(urls)) pictures[what] = await fetched(url);
  return pictures;
}

let bobCups: ImageView;
let bobPier: ImageView;

beforeAll(async () => {
  runner = await profileRunner('offline-faces');
  for (const who of Object.keys(tokens) as (keyof typeof tokens)[]) {
    tokens[who] = await runner.token({ user: fileUser(who) });
    clients[who] = new ImageApiClient(runner.ready.apiUrl, { bearerToken: tokens[who] });
  }
  [bobCups, bobPier] = await Promise.all([processed('bob', 'photos/cups.jpg'), processed('bob', 'photos/pier.jpg')]);
}, WAIT * 2);

describe('a moderation policy per owner', () => {
  it('is the default, flagging every category at the deployment threshold, until the owner sets one', async () => {
    const answer = await raw('bob', 'GET', '/policy');
    expect(answer.status).toBe(200);
    expect(answer.body.source).toBe('default');
    const rules = answer.body.rules as Array<{ category: string; action: string; threshold: number }>;
    expect(rules.map((r) => r.action)).toEqual(rules.map(() => 'flag'));
    expect(rules.map((r) => r.category)).toEqual(expect.arrayContaining(['Explicit Nudity', 'Suggestive']));
    expect(bobCups.moderationPolicy).toEqual({ source: 'default', triggered: [], blurred: false });
  });

  it("refuses a rule of an unknown category, and another owner's policy to a non-admin", async () => {
    const bad = await raw('carol', 'PUT', '/policy', {
      rules: [{ category: 'Nudity', threshold: 0.5, action: 'blur' }],
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toMatch(/rules\[0\]\.category/);
    const other = await raw('carol', 'GET', `/policy?owner=${encodeURIComponent(fileUser('bob'))}`);
    expect(other.status).toBe(403);
  });

  it("blurs every thumbnail and rendition of the owner's Suggestive photo, and not another owner's", async () => {
    const suggestive = score(bobCups, 'Suggestive');
    expect(suggestive).toBeGreaterThan(0);
    const set = await raw('alice', 'PUT', '/policy', {
      rules: [{ category: 'Suggestive', threshold: suggestive / 2, action: 'blur' }],
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ source: 'owner', updatedBy: fileUser('alice') });

    const aliceCups = await processed('alice', 'photos/cups.jpg');
    expect(aliceCups.status).toBe('PROCESSED');
    expect(aliceCups.vision?.moderation.flagged).toBe(true);
    expect(aliceCups.moderationPolicy).toEqual({
      source: 'owner',
      blurred: true,
      triggered: [{ category: 'Suggestive', threshold: suggestive / 2, action: 'blur', confidence: suggestive }],
    });

    const [blurred, sharpOnes] = await Promise.all([shownPictures('alice', aliceCups), shownPictures('bob', bobCups)]);
    expect(Object.keys(blurred).sort()).toEqual(Object.keys(sharpOnes).sort());
    expect(Object.keys(blurred)).toEqual(expect.arrayContaining(['custom w=400', expect.stringMatching(/^thumbnail/)]));
    for (const [what, bytes] of Object.entries(blurred)) {
      const [was, is] = [await laplacianVariance(sharpOnes[what] as Buffer, 256), await laplacianVariance(bytes, 256)];
      // Blurred: under a tenth of the detail the same picture of bob's unblurred photo has.
      expect({ what, ratio: is / was < 0.1 }).toEqual({ what, ratio: true });
    }
  });

  it('rejects the photo a reject rule reaches, keeping its original and recording why', async () => {
    const explicit = score(bobPier, 'Explicit Nudity');
    expect(explicit).toBeGreaterThan(0);
    const admin = await runner.token({ user: fileUser('admin'), admin: true });
    // An admin sets carol's policy for her.
    const set = await fetch(`${runner.ready.apiUrl}/policy?owner=${encodeURIComponent(fileUser('carol'))}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ category: 'Explicit Nudity', threshold: explicit / 2, action: 'reject' }] }),
    });
    expect(set.status).toBe(200);
    expect((await raw('carol', 'GET', '/policy')).body).toMatchObject({
      source: 'owner',
      updatedBy: fileUser('admin'),
    });
    // Carol may not overwrite the policy an admin set for her.
    const overwrite = await raw('carol', 'PUT', '/policy', { rules: [] });
    expect(overwrite.status).toBe(403);
    expect(String(overwrite.body.message)).toMatch(/set by an admin: only an admin may change it/);
    expect((await raw('carol', 'GET', '/policy')).body).toMatchObject({ updatedBy: fileUser('admin') });

    const carolPier = await processed('carol', 'photos/pier.jpg');
    expect(carolPier.status).toBe('REJECTED');
    expect(carolPier.rejection?.code).toBe('MODERATION_POLICY');
    expect(carolPier.rejection?.message).toMatch(/Explicit Nudity/);
    expect(carolPier.moderationPolicy).toMatchObject({ source: 'owner', blurred: true });
    await expect(clients.carol.rendition(carolPier.imageId, { w: 100 })).rejects.toMatchObject({ status: 409 });
    // The original is still there for its owner to download.
    const detail = (await raw('carol', 'GET', `/images/${carolPier.imageId}`)).body as { urls: { original: string } };
    const original = await fetched(detail.urls.original);
    expect(original.subarray(0, fixture('photos/pier.jpg').length)).toEqual(fixture('photos/pier.jpg'));
    // Bob's copy, under the default policy, is processed as before.
    expect(bobPier.status).toBe('PROCESSED');
  });
});
