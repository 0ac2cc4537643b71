import { execFile } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner } from '../support/runner-profiles';

/**
 * `image-intel duplicates` as a user runs it, against the shared jwt runner: this file's alice uploads a photo with
 * two copies (re-saved at quality 35, half the size) and another with one; the command prints a block per group with
 * the original marked to keep; `resolve` keeps it and trashes the copies; `dismiss` takes the other group off the
 * list. What the routes answer in every case is the API's suites'; the page's is test/browser/duplicates.test.ts.
 */
const BIN = join(__dirname, '../../bin/image-intel.js');

let api: string;
let token: string;
let client: ImageApiClient;
const ids = { pier: [] as string[], kite: [] as string[] };

beforeAll(async () => {
  const runner = await profileRunner('jwt');
  api = runner.ready.apiUrl;
  token = await runner.token({ user: fileUser('alice') });
  client = new ImageApiClient(api, { bearerToken: token });
  for (const name of ['pier', 'kite'] as const) {
    const bytes = fixture(`photos/${name}.jpg`);
    const { width = 0 } = await sharp(bytes).metadata();
    const copies = [
      bytes,
      await sharp(bytes).jpeg({ quality: 35 }).toBuffer(),
      ...(name === 'pier'
        ? [
            await sharp(bytes)
              .resize(Math.round(width / 2))
              .jpeg()
              .toBuffer(),
          ]
        : []),
    ];
    // One at a time, the original first: the suggestion's last tie-break is the first uploaded.
    for (const [index, copy] of copies.entries()) {
      const id = await client.upload(copy, { filename: `${name}-${index}.jpg` });
      expect((await client.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
      ids[name].push(id);
    }
  }
  // A cluster is made as its photos arrive: wait until both are listed whole.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { items } = (await client.call('GET', '/duplicates')) as { items: { members: unknown[] }[] };
    if (
      items
        .map((cluster) => cluster.members.length)
        .sort()
        .join() === '2,3'
    )
      break;
    if (Date.now() > deadline) throw new Error(`the clusters were not made: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 240_000);

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, IMAGE_INTEL_TOKEN: token };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--api', api], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The cluster id of the block that lists `imageId`, from the command's output for people. */
function clusterOf(stdout: string, imageId: string): string {
  const block = stdout.split('\n\n').find((text) => text.includes(imageId));
  return /^cluster (\S+):/.exec(block ?? '')?.[1] ?? '';
}

describe('image-intel duplicates', () => {
  it('prints a block per group, the original marked to keep with its reason', async () => {
    const listed = await cli(['duplicates']);
    expect(listed.code).toBe(0);
    const [original, ...copies] = ids.pier;
    const block = listed.stdout.split('\n\n').find((text) => text.includes(original as string)) ?? '';
    expect(block).toMatch(/^cluster \S+: 3 photos\n/);
    expect(block).toMatch(new RegExp(`\\n  ${original} .+ keep \\(.+\\)\\n`));
    for (const copy of copies) expect(block).toMatch(new RegExp(`\\n  ${copy} .+\\d\\s+-\\s*(\\n|$)`));
  });

  it('resolve keeps the suggestion and trashes the copies; dismiss takes the other group off the list', async () => {
    const listed = (await cli(['duplicates'])).stdout;
    const [original, ...copies] = ids.pier;
    const resolved = await cli(['duplicates', 'resolve', clusterOf(listed, original as string)]);
    expect({ code: resolved.code, stderr: resolved.stderr }).toEqual({ code: 0, stderr: '' });
    expect(resolved.stdout).toMatch(new RegExp(`^kept ${original}; 2 moved to the trash: `));
    const trashed = (await client.call('GET', '/images?status=TRASHED')) as { items: { imageId: string }[] };
    expect(trashed.items.map((item) => item.imageId).sort()).toEqual([...copies].sort());

    const kiteCluster = clusterOf(listed, ids.kite[0] as string);
    expect(await cli(['duplicates', 'dismiss', kiteCluster])).toMatchObject({ code: 0 });
    expect((await cli(['duplicates'])).stdout).toBe('no near-duplicates waiting\n');
    // Sent again (its answer lost): the same answer, nothing more done (docs/api.md#duplicates).
    const again = await cli(['duplicates', 'dismiss', kiteCluster]);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/dismissed/);
    const resolvedToo = await cli(['duplicates', 'dismiss', clusterOf(listed, original as string)]);
    expect(resolvedToo.code).toBe(1);
    expect(resolvedToo.stderr).toMatch(
      /^image-intel: POST \/duplicates\/\S+\/dismiss: 409 .*resolved already, keeping/,
    );
  });
});
