import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteVectorsCommand, ListVectorsCommand, S3VectorsClient } from '@aws-sdk/client-s3vectors';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Search by meaning through the local runner (`npm start -- --meaning <folder>`), with the test model the shared
 * `jwt` profile writes (test/support/tiny-image-text-model.ts: it puts colour words near images of their colour, and
 * `invoice` near none). Every image of the profile is embedded, other files' too; its cut-off keeps every word but
 * the model's colours from finding anything by meaning, and this file's users are its own (`fileUser`), so what it
 * finds is its own images, and the re-analysis below runs over its own uploads, each under its key. Everything else
 * is the real path: the processor embeds each image, its vector goes to S3 Vectors in moto (QueryVectors added by
 * the launcher) and `q=` fuses the nearest with the words' hits.
 */
jest.setTimeout(300_000);

const COLOURS = { red: [230, 20, 20], green: [20, 200, 30], blue: [20, 30, 220] } as const;
type Colour = keyof typeof COLOURS;

let runner: SharedRunner;
let alice: ImageApiClient;
let bob: ImageApiClient;
const ids: Partial<Record<Colour, string>> = {};
let bobsRed: string;

async function photo([r, g, b]: readonly number[], seed: number): Promise<Buffer> {
  // A flat colour with a few pixels of noise of its own, so no two uploads are the same bytes.
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i += 3) raw.set([r as number, g as number, b as number], i);
  raw[seed % raw.length] = 255;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/** Clients of the runner's emulator, to see and change what the API does not show. */
const emulator = () => ({
  endpoint: runner.ready.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const vectors = () => new S3VectorsClient(emulator());
const dynamo = () => new DynamoDBClient(emulator());

const search = async (client: ImageApiClient, query: string) =>
  (await client.call('GET', `/images?${query}`)) as { items: { imageId: string; matched?: string[] }[] };

beforeAll(async () => {
  runner = await profileRunner('jwt');
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('alice') }) });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: await runner.token({ user: fileUser('bob') }) });
  let seed = 0;
  for (const colour of Object.keys(COLOURS) as Colour[]) {
    ids[colour] = await alice.upload(await photo(COLOURS[colour], seed++), { filename: `${colour}-swatch.jpg` });
  }
  bobsRed = await bob.upload(await photo(COLOURS.red, seed++), { filename: 'mine.jpg' });
  for (const id of [...Object.values(ids), bobsRed]) {
    const image = await (id === bobsRed ? bob : alice).waitForFinal(id as string, 120_000);
    expect(image).toMatchObject({ status: 'PROCESSED', embedding: { model: 'onnx:tiny-test-colours', dimension: 4 } });
  }
});

describe('search by meaning on the runner', () => {
  it('ranks by meaning: a word no filename has finds the image of its colour, and says why', async () => {
    const { items } = await search(alice, 'q=crimson');
    expect(items.map((item) => item.imageId)).toEqual([ids.red]);
    expect(items[0]?.matched).toEqual(['meaning']);
    expect((await search(alice, 'q=grass')).items.map((item) => item.imageId)).toEqual([ids.green]);
  });

  it('fuses with the words: an image found both ways comes first and says both', async () => {
    const { items } = await search(alice, 'q=red');
    expect(items[0]).toMatchObject({ imageId: ids.red, matched: ['words', 'meaning'] });
    // `swatch` is in every filename and means nothing to the model: words alone, newest first.
    const swatch = await search(alice, 'q=swatch');
    expect(swatch.items.map((item) => [item.imageId, item.matched])).toEqual(
      [ids.blue, ids.green, ids.red].map((id) => [id, ['words']]),
    );
  });

  it('cuts off what is unrelated: a word near no image finds nothing', async () => {
    expect((await search(alice, 'q=invoice')).items).toEqual([]);
  });

  it("applies the filters inside the vector query, and never answers another owner's image", async () => {
    expect((await search(alice, 'q=crimson&color=blue')).items).toEqual([]);
    expect((await search(bob, 'q=crimson')).items.map((item) => item.imageId)).toEqual([bobsRed]);
  });

  it('embeds, on a --reprocess backfill, the images the model has no vector of, and skips the others', async () => {
    // The green swatch as if processed before search by meaning was on: no vector, no `embedding`.
    const { vectorBucketName, indexName } = runner.ready.meaning ?? { vectorBucketName: '', indexName: '' };
    await vectors().send(new DeleteVectorsCommand({ vectorBucketName, indexName, keys: [ids.green as string] }));
    await dynamo().send(
      new UpdateItemCommand({
        TableName: runner.ready.table,
        Key: { imageId: { S: ids.green as string } },
        UpdateExpression: 'REMOVE embedding',
      }),
    );
    expect((await search(alice, 'q=grass')).items).toEqual([]);
    const admin = new ImageApiClient(runner.ready.apiUrl, {
      bearerToken: await runner.token({ user: fileUser('root'), admin: true }),
    });
    // One run over each of this file's uploads (its key the prefix): the runner's whole uploads/ is every file's.
    // Forced: their prefixes do not overlap, and the bucket's start lease would let only one start at a time.
    const runOver = async (id: string) => {
      const request = { bucket: runner.ready.bucket, prefix: `uploads/${id}`, reprocess: true, force: true };
      const started = (await admin.call('POST', '/backfills', request)) as { id: string };
      const deadline = Date.now() + 120_000;
      let run: { done?: boolean; processed?: number; skipped?: number } = {};
      while (!run.done && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        run = (await admin.call('GET', `/backfills/${started.id}`)) as typeof run;
      }
      return run;
    };
    const runs = await Promise.all([...Object.values(ids), bobsRed].map((id) => runOver(id as string)));
    const total = (count: 'processed' | 'skipped') => runs.reduce((sum, run) => sum + (run[count] ?? 0), 0);
    // Alice's green swatch re-analysed; her red and blue and Bob's red already had a vector of this model.
    expect(runs.map((run) => run.done)).toEqual([true, true, true, true]);
    expect({ processed: total('processed'), skipped: total('skipped') }).toEqual({ processed: 1, skipped: 3 });
    expect((await search(alice, 'q=grass')).items.map((item) => item.imageId)).toEqual([ids.green]);
  });

  it('forgets the vector of a deleted image', async () => {
    await bob.call('DELETE', `/images/${bobsRed}?permanently=true`);
    expect((await search(bob, 'q=crimson')).items).toEqual([]);
    const { vectorBucketName, indexName } = runner.ready.meaning ?? { vectorBucketName: '', indexName: '' };
    // Every file's vectors are in the index: of this file's, Bob's is gone and Alice's are left.
    const mine = new Set([...Object.values(ids), bobsRed]);
    const keys: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await vectors().send(new ListVectorsCommand({ vectorBucketName, indexName, nextToken }));
      keys.push(...(page.vectors ?? []).flatMap((vector) => (vector.key && mine.has(vector.key) ? [vector.key] : [])));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(keys.sort()).toEqual(Object.values(ids).sort());
  });
});
