/// <reference lib="dom" />
/**
 * Stacks in the web app (issue 81), in headless Chromium against the shared jwt runner: this file's alice uploads
 * three photos (no EXIF, so the processor stacks none of them) and stacks them from the gallery's selection bar. The
 * timeline then shows one tile with the count 3; opened, the viewer has a strip of the three frames, the primary
 * marked as shown; choosing another frame shows it, and Make primary makes it the tile the timeline shows. A frame's
 * own page has the same strip; Unstack there lists the three on their own again. What the routes answer in every
 * case is the API's suites' (test/e2e/stacks.test.ts).
 */
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(240_000);

const NAMES = ['kite.jpg', 'leaf.jpg', 'cups.jpg'];
const ids = new Map<string, string>();
const nameOf = (id: string) => [...ids].find(([, value]) => value === id)?.[0] ?? id;

interface Listed {
  imageId: string;
  stack?: { id: string; count?: number };
}

const suite = browserSuite({ profile: 'jwt' }, async (started) => {
  const api = started.api();
  for (const name of NAMES) {
    const id = await api.upload(fixture(`photos/${name}`), { filename: name });
    expect((await api.waitForFinal(id, 120_000)).status).toBe('PROCESSED');
    ids.set(name, id);
  }
});

const grid = () => suite.page.getByRole('list', { name: 'Images' });
const listed = async () => ((await suite.api().call('GET', '/images')) as { items: Listed[] }).items;
/** The tiles' image ids, in the grid's order. */
const tiles = () =>
  grid()
    .locator('li.card')
    .evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.imageId ?? ''));

let stackId = '';
let primary = '';
let other = '';

describe('stacks: one tile with its count, a strip of frames in the viewer', () => {
  it('stacks the selected photos from the selection bar: one tile with the count 3', async () => {
    const { page } = suite;
    await page.goto(suite.app());
    await page.getByText('3 images').waitFor();
    for (const name of NAMES) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('button', { name: 'Stack 3 images' }).click();
    const said = page.getByRole('status').filter({ hasText: /^Stacked 3 images: the lists show .+\.$/ });
    await said.waitFor();
    await page.getByText('1 image', { exact: true }).waitFor();

    // The API lists the stack as its primary, with the count the tile shows.
    const items = await listed();
    expect(items).toHaveLength(1);
    const [only] = items;
    expect(only?.stack?.count).toBe(3);
    stackId = only?.stack?.id ?? '';
    primary = only?.imageId ?? '';
    expect(await said.textContent()).toBe(`Stacked 3 images: the lists show ${nameOf(primary)}.`);
    expect(await tiles()).toEqual([primary]);
    const badge = grid().getByRole('img', { name: 'Stack of 3 photos' });
    expect(await badge.textContent()).toContain('3');
    // The link says so to a screen reader too.
    const link = grid().getByRole('link', { name: nameOf(primary), exact: true });
    expect(await link.getAttribute('aria-describedby')).toBe(`stack-${primary}`);
  });

  it('opens the stack in the viewer with its strip; another frame is shown, then made the primary', async () => {
    const { page } = suite;
    await grid()
      .getByRole('link', { name: nameOf(primary), exact: true })
      .click();
    let viewer = page.getByRole('dialog', { name: nameOf(primary) });
    await viewer.waitFor();
    const frames = viewer.getByRole('list', { name: 'Frames of the stack' }).getByRole('button');
    await frames.nth(2).waitFor();
    expect(await frames.count()).toBe(3);
    // The primary first, and shown.
    expect(await frames.first().getAttribute('data-image-id')).toBe(primary);
    expect(await viewer.locator('[aria-current="true"]').getAttribute('data-image-id')).toBe(primary);
    await viewer.getByText('The lists show this one').waitFor();
    expect(await viewer.locator('img.stack-thumb').count()).toBe(3);

    other = (await frames.nth(1).getAttribute('data-image-id')) ?? '';
    expect(other).not.toBe(primary);
    await viewer.getByRole('button', { name: nameOf(other), exact: true }).click();
    viewer = page.getByRole('dialog', { name: nameOf(other) });
    await viewer.waitFor();
    expect(page.url()).toContain(`view=${other}`);
    expect(await viewer.locator('[aria-current="true"]').getAttribute('data-image-id')).toBe(other);
    expect(await viewer.getByRole('list', { name: 'Frames of the stack' }).getByRole('button').count()).toBe(3);

    await viewer.getByRole('button', { name: 'Make primary' }).click();
    await viewer
      .getByRole('status')
      .filter({ hasText: `${nameOf(other)} is the stack's primary now: the lists show it.` })
      .waitFor();
    await viewer.getByText('The lists show this one').waitFor();
    await viewer.getByRole('button', { name: `${nameOf(other)}, the primary` }).waitFor();
    const stack = (await suite.api().call('GET', `/stacks/${stackId}`)) as { primary: string; count: number };
    expect(stack).toMatchObject({ primary: other, count: 3 });

    // Back on the timeline: its one tile is the new primary's, with the count.
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await grid().locator(`li.card[data-image-id="${other}"]`).getByRole('img', { name: 'Stack of 3 photos' }).waitFor();
    expect(await tiles()).toEqual([other]);
    expect((await listed()).map((item) => item.imageId)).toEqual([other]);
  });

  it('shows the strip on a frame opened by its link, and unstacks from it: three tiles again', async () => {
    const { page } = suite;
    // The old primary is a frame now (its record has `stackedIn`): its page has the strip.
    await page.goto(suite.app(`images/${primary}`));
    const strip = page.getByRole('region', { name: 'Stack of 3 photos' });
    const frames = strip.getByRole('list', { name: 'Frames of the stack' }).getByRole('button');
    await frames.nth(2).waitFor();
    expect(await frames.first().getAttribute('data-image-id')).toBe(other);
    expect(await strip.locator('[aria-current="true"]').getAttribute('data-image-id')).toBe(primary);

    await strip.getByRole('button', { name: 'Unstack' }).click();
    await page.getByRole('status').filter({ hasText: 'Unstacked: the 3 photos are listed on their own.' }).waitFor();
    await strip.waitFor({ state: 'detached' });
    expect((await listed()).every((item) => item.stack === undefined)).toBe(true);

    await page.goto(suite.app());
    await page.getByText('3 images').waitFor();
    expect((await tiles()).sort()).toEqual([...ids.values()].sort());
    expect(
      await grid()
        .getByRole('img', { name: /^Stack of/ })
        .count(),
    ).toBe(0);
  });
});
