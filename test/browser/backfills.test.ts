/// <reference lib="dom" />
/**
 * The web app's Backfills page (issue 23) in a real browser, against the runner with tokens (`--auth jwt`) and a
 * source bucket: an admin starts a backfill of photos put straight into that bucket and watches it finish with its
 * counts; someone who is not an admin has no Backfills link, and no page at its address. And a runner without face
 * grouping has no People page.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { fixture } from '../fixtures';
import {
  fileUser,
  profileRunner,
  type SharedRunner,
  PROFILE_SOURCE_BUCKET as SOURCE,
} from '../support/runner-profiles';
import { openPage, sharedChromium } from './browser';

jest.setTimeout(180_000);

/** This run's own prefix in the shared runner's source bucket, as the e2e backfill suites each have theirs. */
const PREFIX = `browser-backfills-${randomBytes(4).toString('hex')}/`;
let runner: SharedRunner;
let browser: Browser;

beforeAll(async () => {
  // The run's shared jwt runner (its source bucket, no face grouping), as users of this file's own.
  [runner, browser] = await Promise.all([profileRunner('jwt'), sharedChromium()]);
  const s3 = new S3Client({
    endpoint: runner.ready.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: SOURCE })).catch((error: Error) => {
    if (!/BucketAlready(OwnedByYou|Exists)/.test(error.name)) throw error;
  });
  const put = (Key: string, Body: Buffer) =>
    s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: `${PREFIX}${Key}`, Body }));
  // Bytes no other file has: the photos are new, whatever the shared runner holds.
  const unique = (name: string) => Buffer.concat([fixture(name), randomBytes(16)]);
  await Promise.all([
    put('2019/kite.jpg', unique('photos/kite.jpg')),
    put('2019/boats.jpg', unique('photos/boats.jpg')),
    put('2019/notes.jpg', Buffer.from('not an image')),
    put('2019/', Buffer.alloc(0)),
  ]);
});
afterAll(async () => {
  await browser?.close();
});

/** A new page signed in with a token of the runner's for `user` (of this file's own). */
async function signedIn(user: string, admin: boolean) {
  const opened = await openPage(browser);
  const { page } = opened;
  await page.goto(runner.ready.webUrl);
  await page.getByLabel('Token').fill(await runner.token({ user: fileUser(user), admin }));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Shown once the API has taken the token.
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return opened;
}

/** A count of a run, as its list of counts shows it. */
async function count(page: Page, where: string, label: string): Promise<string> {
  const counts = page
    .getByRole('list', { name: 'Backfill runs' })
    .getByRole('listitem', { name: `Backfill of ${where}` });
  return (
    (await counts
      .locator('dt', { hasText: new RegExp(`^${label}$`) })
      .locator('xpath=../dd')
      .textContent()) ?? ''
  );
}

describe('the Backfills page', () => {
  it('lets an admin start a backfill, says why the API refuses one, and shows it finish with its counts', async () => {
    const { context, page, console: watch } = await signedIn('root', true);
    try {
      // The shared runner's admin view lists every file's runs: the page's empty state from an empty list.
      const list = (url: URL) => url.pathname === '/backfills';
      await page.route(list, async (route) => {
        if (route.request().method() !== 'GET') return route.continue();
        const answer = await route.fetch();
        await route.fulfill({ response: answer, json: { ...(await answer.json()), items: [], next: undefined } });
      });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backfills' }).click();
      await page.getByRole('heading', { level: 1, name: 'Backfills' }).waitFor();
      await page.getByText('No backfill has run yet.').waitFor();
      await page.unroute(list);
      // Where a backfill may read, from the API: the pipeline's uploads, then the runner's source buckets.
      const sources = page.getByRole('list', { name: 'This deployment may backfill from:' }).getByRole('listitem');
      await sources.first().waitFor();
      const listed = await sources.allTextContents();
      expect({ first: listed[0], sources: listed.length - 1 }).toEqual({
        first: expect.stringMatching(/\/uploads\/$/),
        sources: runner.ready.settings.sourceBuckets.length,
      });
      expect(listed).toContain(`${SOURCE} (whole bucket)`);

      const form = page.getByRole('form', { name: 'Start a backfill' });
      // Face grouping is off on this runner: nothing to regroup.
      expect(await form.getByLabel('Group every face afresh', { exact: false }).count()).toBe(0);
      await form.getByLabel('Bucket').fill('not-a-source');
      await form.getByRole('button', { name: 'Start backfill' }).click();
      await form.getByRole('alert').filter({ hasText: 'not-a-source is not a source bucket' }).waitFor();

      await form.getByLabel('Bucket').fill(SOURCE);
      await form.getByLabel('Prefix').fill(`${PREFIX}2019/`);
      // The source names no owner, and this runner has users: the run must give its images one.
      await form.getByRole('button', { name: 'Start backfill' }).click();
      await form
        .getByRole('alert')
        .filter({ hasText: `${SOURCE}/ would have no owner` })
        .waitFor();
      await form.getByLabel('Owner', { exact: true }).fill(fileUser('alice'));
      await form.getByLabel('Re-own images', { exact: false }).check();
      await form.getByRole('button', { name: 'Start backfill' }).click();
      const where = `${SOURCE}/${PREFIX}2019/`;
      const run = page
        .getByRole('list', { name: 'Backfill runs' })
        .getByRole('listitem', { name: `Backfill of ${where}` });
      await run.waitFor();
      await run.getByText('Done', { exact: true }).waitFor({ timeout: 60_000 });
      // Listed, processed of listed, the other outcomes, and the state: not SUCCEEDED with 0 processed.
      expect(await run.locator('[data-progress]').textContent()).toBe(
        'Listed 4 · processed 2 of 4 · 1 rejected · 1 placeholders · done',
      );
      expect(await form.getByRole('alert').count()).toBe(0);
      expect(
        await run.getByRole('progressbar', { name: `Progress of ${where}` }).evaluate((bar) => {
          const progress = bar as HTMLProgressElement;
          return [progress.value, progress.max];
        }),
      ).toEqual([4, 4]);
      const shown: Record<string, string> = {};
      for (const label of ['Listed', 'Queued', 'Processed', 'Rejected', 'Skipped', 'Placeholders', 'In flight']) {
        shown[label] = await count(page, where, label);
      }
      expect(shown).toEqual({
        Listed: '4',
        Queued: '4',
        Processed: '2',
        Rejected: '1',
        Skipped: '0',
        Placeholders: '1',
        'In flight': '0',
      });
      // The refused starts are the only failed requests.
      expect(watch.unexpected([/Failed to load resource.*400/])).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows someone who is not an admin no Backfills link, and no page at its address', async () => {
    const { context, page, console: watch } = await signedIn('alice', false);
    try {
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).not.toContain('Backfills');
      await page.goto(`${runner.ready.webUrl}backfills`);
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      expect(await nav.getByRole('link', { name: 'Backfills' }).count()).toBe(0);
      expect(watch.unexpected()).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('has no People page with face grouping off (the default): no link to it, and its address is not found', async () => {
    const { context, page, console: watch } = await signedIn('alice', false);
    try {
      await page.getByRole('link', { name: 'Upload', exact: true }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).count()).toBe(
        0,
      );
      await page.goto(`${runner.ready.webUrl}people`);
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      expect(watch.unexpected()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
