import { randomBytes } from 'node:crypto';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { type RunnerProcess, startRunner } from '../support/runner-process';

/**
 * One legitimate user signing renditions without end (issue 28): the runner with `--auth jwt` and low limits
 * (`renditionsPerMinute` 6, `renditionsPerImage` 3), as a deployment would set them. Past the per-image cap a new
 * spec is a 409 while the specs the image has stay free; past the per-minute limit a 429 says when to come back;
 * another user is not held to alice's counter, and presets count against neither.
 */
jest.setTimeout(180_000);

let runner: RunnerProcess;
let alice: ImageApiClient;
let bob: ImageApiClient;

beforeAll(async () => {
  runner = await startRunner({
    auth: 'jwt',
    args: ['-c', 'renditionsPerMinute=6', '-c', 'renditionsPerImage=3', '--inference', 'none'],
  });
  const [a, b] = await Promise.all([runner.token({ user: 'alice' }), runner.token({ user: 'bob' })]);
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: a });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: b });
});
afterAll(() => runner?.stop());

async function processed(client: ImageApiClient): Promise<string> {
  const imageId = await client.upload(Buffer.concat([fixture('photos/pier.jpg'), randomBytes(16)]), {
    filename: 'pier.jpg',
  });
  expect((await client.waitForFinal(imageId, 120_000)).status).toBe('PROCESSED');
  return imageId;
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: { status: number; message: string }) => `${error.status} ${error.message}`,
  );

/**
 * The counter is per wall-clock minute (store/rendition-quota.ts): start the signings with at least 30 s of the
 * minute left, so that they fall in one minute. A loaded run that crossed the minute early in the signings saw the
 * eighth admitted too.
 */
async function earlyInAMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

it('holds one image to its custom specs and one owner to a number of signings a minute, presets aside', async () => {
  const image = await processed(alice);
  await earlyInAMinute();
  for (const w of [101, 102, 103]) expect(await outcome(alice.rendition(image, { w }))).toBe(200);
  expect(await outcome(alice.rendition(image, { w: 104 }))).toMatch(
    /^409 .*has 3 custom renditions, the most this deployment keeps of one image \(renditionsPerImage\)/,
  );
  // A spec the image has is free of the cap, and a preset of both limits.
  expect(await outcome(alice.rendition(image, { w: 101 }))).toBe(200);
  expect(await outcome(alice.rendition(image, { preset: 'card' }))).toBe(200);
  // Six signings counted this minute (three admitted, the refused one and the repeat): the seventh waits. Should
  // the minute turn over mid-test, the counter starts again, so allow for one more.
  const next = await outcome(alice.rendition(image, { w: 101 }));
  const after = next === 200 ? await outcome(alice.rendition(image, { w: 101 })) : next;
  expect(after).toMatch(/^429 .*\(renditionsPerMinute\); try again in \d+ s$/);
  // bob has his own counter.
  const his = await processed(bob);
  expect(await outcome(bob.rendition(his, { w: 101 }))).toBe(200);
});
