import { randomBytes } from 'node:crypto';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { fileUser, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * One legitimate user signing renditions without end (issue 28), on the shared `jwt` runner at the deployment's own
 * limits (`renditionsPerMinute`, `renditionsPerImage`, read from what the runner runs with): past the per-image cap a
 * new spec is a 409 while the specs the image has stay free; past the per-minute limit a 429 says when to come back;
 * another user is not held to alice's counter, and presets count against neither. Both counters are per owner and
 * per image, and this file's users are its own, so no other file on the runner moves them or is held by them.
 */
jest.setTimeout(180_000);

let runner: SharedRunner;
let alice: ImageApiClient;
let bob: ImageApiClient;

beforeAll(async () => {
  runner = await profileRunner('jwt');
  const [a, b] = await Promise.all([
    runner.token({ user: fileUser('alice') }),
    runner.token({ user: fileUser('bob') }),
  ]);
  alice = new ImageApiClient(runner.ready.apiUrl, { bearerToken: a });
  bob = new ImageApiClient(runner.ready.apiUrl, { bearerToken: b });
});

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

/** The wall-clock minute the counter of a signing made now falls in (store/rendition-quota.ts). */
const minuteNow = () => Math.floor(Date.now() / 60_000);

/**
 * The counter is per wall-clock minute: start the signings with at least 30 s of the minute left, so that they
 * fall in one minute. A loaded run that crossed the minute early in the signings saw one more admitted.
 */
async function earlyInAMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

it('holds one image to its custom specs and one owner to a number of signings a minute, presets aside', async () => {
  const { renditionsPerMinute: perMinute, renditionsPerImage: perImage } = runner.ready.settings;
  // The cap must come first for the steps below: the per-image cap's signings and two more fit in one minute.
  expect(perMinute).toBeGreaterThan(perImage + 2);
  const image = await processed(alice);
  await earlyInAMinute();
  const firstMinute = minuteNow();
  const widths = Array.from({ length: perImage }, (_, i) => 101 + i);
  for (const w of widths) expect([w, await outcome(alice.rendition(image, { w }))]).toEqual([w, 200]);
  expect(await outcome(alice.rendition(image, { w: 101 + perImage }))).toMatch(
    new RegExp(
      `^409 .*has ${perImage} custom renditions, the most this deployment keeps of one image \\(renditionsPerImage\\)`,
    ),
  );
  // A spec the image has is free of the cap, and a preset of both limits.
  expect(await outcome(alice.rendition(image, { w: 101 }))).toBe(200);
  expect(await outcome(alice.rendition(image, { preset: 'card' }))).toBe(200);
  // Counted this minute so far: the admitted specs, the refused one and the repeat. Repeats up to the limit are
  // signed, and the next waits.
  let counted = perImage + 2;
  let next = await outcome(alice.rendition(image, { w: 101 }));
  for (; next === 200 && counted < 2 * perMinute; next = await outcome(alice.rendition(image, { w: 101 }))) {
    counted += 1;
  }
  expect(next).toMatch(/^429 .*\(renditionsPerMinute\); try again in \d+ s$/);
  // Exactly the limit, when the signings stayed in one minute; should it have turned over, the counter started
  // again, and at least as many were signed in all.
  if (minuteNow() === firstMinute) expect(counted).toBe(perMinute);
  else expect(counted).toBeGreaterThanOrEqual(perMinute);
  // bob has his own counter.
  const his = await processed(bob);
  expect(await outcome(bob.rendition(his, { w: 101 }))).toBe(200);
});
