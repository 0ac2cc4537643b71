/// <reference lib="dom" />
/**
 * The Duplicates page (issue 81), in headless Chromium against the shared jwt runner: this file's alice uploads a
 * photo and two copies of it (re-saved at quality 35, half the size) and another photo with one copy. The page shows
 * two groups; the first's three photos side by side with their sizes, the original marked as suggested. Keeping none
 * is refused in the API's words; Keep suggested trashes the two copies (and only them) and the group leaves the page
 * and `GET /duplicates`; Not duplicates dismisses the other group, both its photos staying. What the routes answer in
 * every case is the API's suites'.
 */
import sharp from 'sharp';
import type { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

interface Cluster {
  clusterId: string;
  members: { imageId: string }[];
  suggestion: { keep: string; reason: string };
}

const pier = { original: '', saved: '', half: '', halfSize: '' };
const kite = { original: '', saved: '' };
const clusters = { pier: '', kite: '' };

async function openClusters(api: ImageApiClient): Promise<Cluster[]> {
  return ((await api.call('GET', '/duplicates')) as { items: Cluster[] }).items;
}

const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  // One at a time, the original first: the suggestion's last tie-break is the first uploaded.
  const upload = async (bytes: Buffer, filename: string) => {
    const id = await api.upload(bytes, { filename });
    expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
    return id;
  };
  const copies = async (name: string) => {
    const bytes = fixture(`photos/${name}.jpg`);
    const { width = 0 } = await sharp(bytes).metadata();
    const half = await sharp(bytes)
      .resize(Math.round(width / 2))
      .jpeg()
      .toBuffer();
    const halfMeta = await sharp(half).metadata();
    return {
      bytes,
      saved: await sharp(bytes).jpeg({ quality: 35 }).toBuffer(),
      half,
      halfSize: `${halfMeta.width} × ${halfMeta.height} px`,
    };
  };
  const p = await copies('pier');
  pier.original = await upload(p.bytes, 'pier.jpg');
  pier.saved = await upload(p.saved, 'pier-saved.jpg');
  pier.half = await upload(p.half, 'pier-half.jpg');
  pier.halfSize = p.halfSize;
  const k = await copies('kite');
  kite.original = await upload(k.bytes, 'kite.jpg');
  kite.saved = await upload(k.saved, 'kite-saved.jpg');

  // A cluster is made as its photos arrive: wait until both are listed.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const items = await openClusters(api);
    const of = (id: string) => items.find((cluster) => cluster.members.some((member) => member.imageId === id));
    const [p3, k2] = [of(pier.original), of(kite.original)];
    if (p3?.members.length === 3 && k2?.members.length === 2) {
      Object.assign(clusters, { pier: p3.clusterId, kite: k2.clusterId });
      break;
    }
    if (Date.now() > deadline) throw new Error(`the clusters were not made: ${JSON.stringify(items)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

const card = (clusterId: string) => suite.page.locator(`li.duplicate-cluster[data-cluster-id="${clusterId}"]`);

describe('duplicates: keep the best copy, trash the rest', () => {
  it('shows each group with its photos side by side, the original first and marked as suggested', async () => {
    const { page } = suite;
    await page.goto(suite.app('duplicates'));
    await page.getByText('2 groups of duplicates').waitFor();
    const group = card(clusters.pier);
    const members = group.locator('li.duplicate-member');
    expect(await members.evaluateAll((items) => items.map((item) => item.getAttribute('data-image-id')))).toEqual([
      pier.original,
      ...[pier.saved, pier.half].sort(),
    ]);
    const suggested = group.locator('li.duplicate-member.suggested');
    expect(await suggested.getAttribute('data-image-id')).toBe(pier.original);
    expect(await suggested.locator('.duplicate-reason').textContent()).toMatch(/^Suggested: .+/);
    await suggested
      .locator('p.duplicate-name')
      .filter({ hasText: /^pier\.jpg$/ })
      .waitFor();
    // Each photo's thumbnail, from its record, and what sets them apart.
    await group.locator('img.duplicate-image').nth(2).waitFor();
    expect(await group.locator('img.duplicate-image').count()).toBe(3);
    await group.locator(`li.duplicate-member[data-image-id="${pier.half}"]`).getByText(pier.halfSize).waitFor();
    expect(await group.getByRole('checkbox', { checked: true }).count()).toBe(1);
  });

  it('refuses keeping none in the API’s words; Keep suggested trashes the copies and the group leaves', async () => {
    const { page } = suite;
    const group = card(clusters.pier);
    suite.expectErrors(/status of 400/);
    await group.getByRole('checkbox', { name: 'Keep pier.jpg' }).uncheck();
    await group.getByRole('button', { name: 'Keep selected (0)' }).click();
    await group.getByRole('alert').filter({ hasText: 'keep: must keep at least one photo' }).waitFor();

    await group.getByRole('button', { name: 'Keep suggested' }).click();
    await page.getByRole('status').filter({ hasText: 'Kept pier.jpg; 2 copies moved to the trash.' }).waitFor();
    await page.getByText('1 group of duplicates').waitFor();
    expect(await group.count()).toBe(0);

    const api = suite.api();
    const trashed = (await api.call('GET', '/images?status=TRASHED')) as { items: { imageId: string }[] };
    expect(trashed.items.map((item) => item.imageId).sort()).toEqual([pier.saved, pier.half].sort());
    expect((await api.get(pier.original))?.status).toBe('PROCESSED');
    expect((await openClusters(api)).map((cluster) => cluster.clusterId)).toEqual([clusters.kite]);
  });

  it('Not duplicates dismisses the other group: both its photos stay, and the page has none left', async () => {
    const { page } = suite;
    await card(clusters.kite).getByRole('button', { name: 'Not duplicates' }).click();
    await page.getByRole('status').filter({ hasText: 'no longer suggested as duplicates' }).waitFor();
    await page.getByText('No duplicates to review.').waitFor();

    const api = suite.api();
    expect(await openClusters(api)).toEqual([]);
    for (const id of [kite.original, kite.saved]) expect((await api.get(id))?.status).toBe('PROCESSED');
    await page.reload();
    await page.getByText('No duplicates to review.').waitFor();
  });
});
