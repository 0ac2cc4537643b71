import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageView as ClientView, ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { run } from '../integration/cli/run-cli';
import { schemaErrors } from '../support/event-schemas';
import { credentialFixtures, xmpOnlyPng } from '../support/provenance';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';
import { payloadOf, type Received, WebhookReceiver } from '../support/webhook-receiver';
import { clientsFor, EventCollector } from './support';
import type { E2eTarget } from './target';

/**
 * Provenance on the runner, as issue 62's done-when lines say (docs/provenance.md): a C2PA-signed AI-generated JPEG,
 * a tampered copy of it, an XMP-only `trainedAlgorithmicMedia` PNG and a plain photo uploaded through the API are
 * recorded as their bytes say; `provenance=` and `q=` find them by it; the `Image Processed` event and a webhook
 * carry the summary; and `image-intel analyze` on the same files prints what the pipeline recorded. On the shared
 * `jwt` runner (inference none: no model loads for the tampered copy's new pixels), as a user of this file's own, with
 * no trust anchors configured: an intact manifest is `untrusted`, as the CLI reads it without `--trust-anchors`.
 * The credentials are made here (test/support/provenance.ts), on leaf.jpg, whose tampered copy still decodes.
 */
const WAIT = 120_000;
jest.setTimeout(WAIT * 3);

type Provenance = {
  summary: string;
  basis: string;
  generator?: string;
  credentials?: { validation: string; signer?: { name?: string; organization?: string } };
};
type ImageView = ClientView & { provenance?: Provenance };
type Kind = 'generated' | 'tampered' | 'xmp' | 'plain';
const FILES: Record<Kind, string> = {
  generated: 'generated.jpg',
  tampered: 'tampered.jpg',
  xmp: 'xmp-only.png',
  plain: 'plain.jpg',
};

let runner: SharedRunner;
let client: ImageApiClient;
let collector: EventCollector;
const receiver = new WebhookReceiver();
let dir: string;
const bytes = {} as Record<Kind, Buffer>;
const images = {} as Record<Kind, ImageView>;

const processedOf = (imageId: string) => (got: Received) =>
  payloadOf(got).type === 'Image Processed' && payloadOf(got).data.imageId === imageId;

/** The ids of the user's images a search finds (one page: the file's user has four images). */
async function found(query: Record<string, string>): Promise<string[]> {
  return (await client.list(query)).items.map((item) => item.imageId);
}

beforeAll(async () => {
  runner = await profileRunner('jwt');
  client = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  const { sqs, events } = clientsFor({ apiUrl: runner.ready.apiUrl, endpoint: runner.ready.endpoint } as E2eTarget);
  collector = new EventCollector(sqs, events, runner.ready.eventBus);
  await collector.start();
  // The endpoint before the uploads: its owner's endpoints are read afresh (none was cached for this new owner).
  await client.call('POST', '/webhooks', { url: await receiver.start(), eventTypes: ['Image Processed'] });

  const photo = fixture('photos/leaf.jpg');
  const signed = await credentialFixtures(photo);
  Object.assign(bytes, {
    generated: signed.generated,
    tampered: signed.tampered,
    xmp: await xmpOnlyPng(photo),
    plain: fixture('photos/kite.jpg'),
  });
  const kinds = Object.keys(FILES) as Kind[];
  const uploaded = await Promise.all(
    kinds.map(async (kind) => {
      const imageId = await client.upload(bytes[kind], { filename: FILES[kind] });
      return (await client.waitForFinal(imageId, WAIT)) as ImageView;
    }),
  );
  for (const [i, kind] of kinds.entries()) images[kind] = uploaded[i] as ImageView;
  // Sent once the search index has the image (processor/steps.ts): every search below finds what it is to find.
  await Promise.all(uploaded.map(({ imageId }) => collector.waitFor(imageId, 'Image Processed', WAIT)));

  dir = await mkdtemp(join(tmpdir(), 'image-intel-e2e-provenance-'));
  await Promise.all(kinds.map((kind) => writeFile(join(dir, FILES[kind]), bytes[kind])));
}, WAIT * 2);

afterAll(async () => {
  await collector?.stop();
  await receiver.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('provenance on the runner', () => {
  it('records the signed AI JPEG ai-generated from its credentials, with its generator and signer', () => {
    expect(images.generated.status).toBe('PROCESSED');
    expect(images.generated.provenance).toMatchObject({
      summary: 'ai-generated',
      basis: 'c2pa',
      generator: 'Imagine 3.1',
      credentials: { validation: 'untrusted', signer: { name: 'Imagine Test Signer', organization: 'Imagine Labs' } },
    });
  });

  it('records the tampered copy invalid, the XMP-only PNG ai-generated from its XMP, the plain photo unknown', () => {
    expect(images.tampered.provenance?.credentials?.validation).toBe('invalid');
    expect(images.xmp.provenance).toEqual({
      summary: 'ai-generated',
      basis: 'xmp',
      digitalSourceType: 'trainedAlgorithmicMedia',
    });
    expect(images.plain.provenance).toEqual({ summary: 'unknown', basis: 'none' });
  });

  it('finds the AI images by provenance=ai-generated, none by provenance=camera, the plain photo by unknown', async () => {
    const ai = await found({ provenance: 'ai-generated' });
    expect(ai.sort()).toEqual([images.generated, images.tampered, images.xmp].map((one) => one.imageId).sort());
    expect(await found({ provenance: 'camera' })).toEqual([]);
    expect(await found({ provenance: 'unknown' })).toEqual([images.plain.imageId]);
  });

  it('finds the signed image by the words of its summary and credentials, saying where each matched', async () => {
    const page = await client.list({ q: 'imagine labs' });
    expect(page.items.map((item) => item.imageId)).toEqual([images.generated.imageId]);
    expect((page.items[0] as { matchedBy?: unknown }).matchedBy).toEqual([
      { asked: 'q', word: 'imagine', field: 'credit', value: 'imagine 31' },
      { asked: 'q', word: 'labs', field: 'credit', value: 'imagine labs' },
    ]);
    // The tampered copy keeps its AI claim and its generator, never its signer's names.
    expect((await found({ q: 'imagine' })).sort()).toEqual(
      [images.generated, images.tampered].map((one) => one.imageId).sort(),
    );
    const words = await found({ q: 'ai-generated' });
    expect(words.sort()).toEqual([images.generated, images.tampered, images.xmp].map((one) => one.imageId).sort());
    expect(await found({ q: 'unknown' })).toEqual([]);
  });

  it('puts the summary on the tiles of a list and a search, and none on the plain photo', async () => {
    const tiles = new Map((await client.list({})).items.map((item) => [item.imageId, item as { provenance?: string }]));
    expect(tiles.get(images.generated.imageId)?.provenance).toBe('ai-generated');
    expect(tiles.get(images.xmp.imageId)?.provenance).toBe('ai-generated');
    expect(tiles.get(images.plain.imageId)).not.toHaveProperty('provenance');
    const [hit] = (await client.list({ provenance: 'ai-generated', q: 'imagine labs' })).items;
    expect((hit as { provenance?: string }).provenance).toBe('ai-generated');
  });

  it('carries the summary and the check in Image Processed, as its committed schema says', () => {
    const expected: Record<Kind, object> = {
      generated: { summary: 'ai-generated', validation: 'untrusted' },
      tampered: { summary: 'ai-generated', validation: 'invalid' },
      xmp: { summary: 'ai-generated' },
      plain: { summary: 'unknown' },
    };
    for (const kind of Object.keys(FILES) as Kind[]) {
      const [event] = collector.of(images[kind].imageId, 'Image Processed');
      expect(schemaErrors('Image Processed', event?.detail)).toEqual([]);
      const summary = event?.detail.summary as { provenance?: object } | undefined;
      expect({ kind, provenance: summary?.provenance }).toEqual({ kind, provenance: expected[kind] });
    }
  });

  it("delivers it in the owner's webhook", async () => {
    const [delivery] = await receiver.waitFor(1, processedOf(images.tampered.imageId), WAIT);
    const summary = payloadOf(delivery as Received).data.summary as { provenance?: object };
    expect(summary.provenance).toEqual({
      summary: 'ai-generated',
      validation: 'invalid',
    });
  });

  it('prints with image-intel analyze the provenance the pipeline recorded for the same files', async () => {
    const kinds = Object.keys(FILES) as Kind[];
    const { code, records } = await run('analyze', ...kinds.map((kind) => join(dir, FILES[kind])));
    expect(code).toBe(0);
    for (const [i, kind] of kinds.entries()) {
      expect({ kind, provenance: records[i]?.provenance }).toEqual({ kind, provenance: images[kind].provenance });
    }
  });
});
