/// <reference lib="dom" />
/**
 * People corrections in the web app (issue 43, docs/people.md#corrections), in headless Chromium against the local
 * runner with face grouping on and the offline models: "Not this person" on a person's photo takes it out for good,
 * a merge suggestion is confirmed from the People page, a person is hidden and shown again, and deleted.
 *
 * Photos (made as bench/people/set.ts makes its copies): the astronaut brightened (`brighter-1.4`) and cropped (the
 * top-left 80 %, one person as far as grouping can tell), and Grace Hopper's portrait scaled up 1.8 times: the
 * bench's closest pair of two people (0.587 apart: farther than grouping joins, 0.5, nearer than suggestions look,
 * 0.6), so the two are one suggestion. Each is processed before the next is uploaded.
 */

import sharp from 'sharp';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(300_000);

interface WithPeople {
  people?: { faces: Array<{ face: number; personId: string }> };
}

const ids = new Map<string, string>();
const personOf = new Map<string, string>();
let api: ImageApiClient;

const suite = browserSuite({ args: ['--inference', 'offline', '--face-grouping'] }, async ({ runner }) => {
  api = new ImageApiClient(runner.ready.apiUrl);
  const astronaut = fixture('vision/person-astronaut.jpg');
  const hopper = fixture('vision/person-hopper.jpg');
  const { width = 0, height = 0 } = await sharp(astronaut).metadata();
  const { width: hopperWidth = 0 } = await sharp(hopper).metadata();
  const files: Array<[string, Buffer]> = [
    ['astronaut-bright.jpg', await sharp(astronaut).linear(1.4, 20).jpeg({ quality: 95 }).toBuffer()],
    [
      'astronaut-cropped.jpg',
      await sharp(astronaut)
        .extract({ left: 0, top: 0, width: Math.round(width * 0.8), height: Math.round(height * 0.8) })
        .jpeg({ quality: 95 })
        .toBuffer(),
    ],
    ['hopper-large.jpg', await sharp(hopper).resize(Math.round(hopperWidth * 1.8)).jpeg({ quality: 95 }).toBuffer()],
  ];
  for (const [name, bytes] of files) {
    const id = await api.upload(bytes, { filename: name });
    ids.set(name, id);
    expect((await api.waitForFinal(id, 180_000)).status).toBe('PROCESSED');
    const record = (await api.call('GET', `/images/${id}`)) as WithPeople;
    const personId = record.people?.faces[0]?.personId;
    if (!personId) throw new Error(`${name}: no face grouped (${JSON.stringify(record.people)})`);
    personOf.set(name, personId);
  }
  // The premise: the two astronaut photos are one person, Grace Hopper another.
  expect(personOf.get('astronaut-cropped.jpg')).toBe(personOf.get('astronaut-bright.jpg'));
  expect(personOf.get('hopper-large.jpg')).not.toBe(personOf.get('astronaut-bright.jpg'));
});

const page = () => suite.page;
const peopleList = () => page().getByRole('list', { name: 'People' });
const tile = (name: string) => peopleList().getByRole('link', { name, exact: true });

async function imagesOf(personId: string): Promise<string[]> {
  const answer = (await api.call('GET', `/images?person=${personId}`)) as { items: Array<{ imageId: string }> };
  return answer.items.map((item) => item.imageId);
}

describe('people corrections in the web app', () => {
  it('takes a photo out of a person with "Not this person": gone from their photos, their count and person=', async () => {
    const astronaut = personOf.get('astronaut-bright.jpg') as string;
    await page().goto(suite.app(`people/${astronaut}`));
    await page().getByRole('heading', { level: 1, name: 'Unnamed person' }).waitFor();
    await page().getByText('2 faces', { exact: true }).waitFor();
    const photos = page().getByRole('list', { name: 'Photos' });
    await photos.getByRole('link', { name: 'astronaut-cropped.jpg', exact: true }).waitFor();

    await photos.getByRole('button', { name: 'Not this person: astronaut-cropped.jpg' }).click();
    await page()
      .getByRole('status')
      .filter({ hasText: 'astronaut-cropped.jpg is no longer in this person’s photos.' })
      .waitFor();
    await page().getByText('1 face', { exact: true }).waitFor();
    expect(await photos.getByRole('link', { name: 'astronaut-cropped.jpg', exact: true }).count()).toBe(0);
    expect(await photos.getByRole('listitem').count()).toBe(1);

    // The API says so too: the image is no longer found with person=, and its face is no one's.
    expect(await imagesOf(astronaut)).toEqual([ids.get('astronaut-bright.jpg')]);
    const record = (await api.call('GET', `/images/${ids.get('astronaut-cropped.jpg')}`)) as WithPeople;
    expect(record.people?.faces).toEqual([]);
    // After a reload, the page reads the same from the API.
    await page().reload();
    await page().getByText('1 face', { exact: true }).waitFor();
    await photos.getByRole('link', { name: 'astronaut-bright.jpg', exact: true }).waitFor();
    expect(await photos.getByRole('listitem').count()).toBe(1);
  });

  it('offers the two look-alikes as a merge suggestion, and "Same person" merges them', async () => {
    await page().goto(suite.app('people'));
    await tile('Unnamed person, 1 face').first().waitFor();
    expect(await peopleList().getByRole('listitem').count()).toBe(2);
    const suggestions = page().getByRole('list', { name: 'Merge suggestions' });
    const suggestion = suggestions.getByRole('listitem', { name: 'Unnamed person and Unnamed person' });
    await suggestion.waitFor();
    expect(await suggestions.getByRole('listitem').count()).toBe(1);

    await suggestion.getByRole('button', { name: 'Same person: merge Unnamed person and Unnamed person' }).click();
    await page().getByRole('status').filter({ hasText: 'Merged Unnamed person and Unnamed person.' }).waitFor();
    await tile('Unnamed person, 2 faces').waitFor();
    expect(await peopleList().getByRole('listitem').count()).toBe(1);
    expect(await suggestions.getByRole('listitem').count()).toBe(0);
    const people = (await api.call('GET', '/people')) as { items: Array<{ faceCount: number }> };
    expect(people.items.map((person) => person.faceCount)).toEqual([2]);
  });

  it('hides a person from the People page and shows it again, from the keyboard', async () => {
    const [person] = ((await api.call('GET', '/people')) as { items: Array<{ personId: string }> }).items;
    await page().goto(suite.app(`people/${person?.personId}`));
    const hide = page().getByRole('button', { name: 'Hide', exact: true });
    await hide.focus();
    await page().keyboard.press('Enter');
    await page().getByText('Hidden from the People page.').waitFor();
    await page().goto(suite.app('people'));
    await page().getByText('No people yet', { exact: false }).waitFor();
    await page().goto(suite.app(`people/${person?.personId}`));
    await page().getByRole('button', { name: 'Show on the People page' }).click();
    await page().getByRole('button', { name: 'Hide', exact: true }).waitFor();
    await page().goto(suite.app('people'));
    await tile('Unnamed person, 2 faces').waitFor();
  });

  it('deletes a person through the confirmation dialog: gone from People, its photos stay', async () => {
    const [person] = ((await api.call('GET', '/people')) as { items: Array<{ personId: string }> }).items;
    await page().goto(suite.app(`people/${person?.personId}`));
    await page().getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: 'Delete Unnamed person?' });
    await dialog.getByRole('button', { name: 'Delete person' }).click();
    await page().waitForURL(/\/app\/people$/);
    await page().getByText('No people yet', { exact: false }).waitFor();
    for (const id of ids.values()) {
      expect(((await api.call('GET', `/images/${id}`)) as { imageId: string }).imageId).toBe(id);
    }
    expect(await imagesOf(person?.personId as string)).toEqual([]);
  });
});
