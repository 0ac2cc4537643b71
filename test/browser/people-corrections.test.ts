/// <reference lib="dom" />
/**
 * People corrections in the web app (issue 43, docs/people.md#corrections), in headless Chromium against the local
 * runner with face grouping on and the offline models: "Not this person" on a person's photo takes it out for good,
 * a merge suggestion is confirmed from the People page, a person is hidden and shown again, and deleted.
 *
 * Photos, each processed before the next is uploaded: the astronaut (Eileen Collins), and a copy blurred (3.5) and
 * turned 25 degrees, whose face the offline models put 0.556 from the original's (measured as bench/people/set.ts
 * measures: farther than grouping joins, 0.5, nearer than suggestions look, 0.6): one person grouped as two, the case
 * a merge suggestion is for. Grace Hopper's portrait and a mirrored copy of it: one person of two photos.
 */

import sharp from 'sharp';
import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(300_000);

interface WithPeople {
  people?: { faces: Array<{ face: number; personId: string }> };
}

const personOf = new Map<string, string>();

// The blurred astronaut's face scores under the calibrated 0.865: this tests the corrections, not the models (the
// shared runner at the thresholds of before the calibration, as a user of this file's own). What each correction does
// to the API's answers (person=, the image's people, the counts, the photos kept) is test/e2e/people-corrections'.
const suite = browserSuite({ profile: 'offline-fixed' }, async (started) => {
  const api = started.api();
  const astronaut = fixture('vision/person-astronaut.jpg');
  const hopper = fixture('vision/person-hopper.jpg');
  const files: Array<[string, Buffer]> = [
    ['astronaut.jpg', astronaut],
    [
      'astronaut-blurred.jpg',
      await sharp(astronaut).blur(3.5).rotate(25, { background: '#000' }).jpeg({ quality: 90 }).toBuffer(),
    ],
    ['hopper.jpg', hopper],
    ['hopper-mirrored.jpg', await sharp(hopper).flop().jpeg({ quality: 90 }).toBuffer()],
  ];
  for (const [name, bytes] of files) {
    const id = await api.upload(bytes, { filename: name });
    expect((await api.waitForFinal(id, 180_000)).status).toBe('PROCESSED');
    const record = (await api.call('GET', `/images/${id}`)) as WithPeople;
    const personId = record.people?.faces[0]?.personId;
    if (!personId) throw new Error(`${name}: no face grouped (${JSON.stringify(record.people)})`);
    personOf.set(name, personId);
  }
  // The premise: the blurred astronaut grouped apart, the mirrored Hopper with Hopper.
  expect(personOf.get('astronaut-blurred.jpg')).not.toBe(personOf.get('astronaut.jpg'));
  expect(personOf.get('hopper-mirrored.jpg')).toBe(personOf.get('hopper.jpg'));
  for (const [photo, name] of [
    ['astronaut.jpg', 'Eileen Collins'],
    ['astronaut-blurred.jpg', 'Eileen blurred'],
    ['hopper.jpg', 'Grace Hopper'],
  ]) {
    await api.call('PATCH', `/people/${personOf.get(photo as string)}`, { name });
  }
});

const page = () => suite.page;
const peopleList = () => page().getByRole('list', { name: 'People' });
const tile = (name: string) => peopleList().getByRole('link', { name, exact: true });

describe('people corrections in the web app', () => {
  it('takes a photo out of a person with "Not this person": gone from their photos and their count', async () => {
    const hopper = personOf.get('hopper.jpg') as string;
    await page().goto(suite.app(`people/${hopper}`));
    await page().getByRole('heading', { level: 1, name: 'Grace Hopper' }).waitFor();
    await page().getByText('2 faces', { exact: true }).waitFor();
    const photos = page().getByRole('list', { name: 'Photos' });
    await photos.getByRole('link', { name: 'hopper-mirrored.jpg', exact: true }).waitFor();

    await photos.getByRole('button', { name: 'Not this person: hopper-mirrored.jpg' }).click();
    await page()
      .getByRole('status')
      .filter({ hasText: 'hopper-mirrored.jpg is no longer in this person’s photos.' })
      .waitFor();
    await page().getByText('1 face', { exact: true }).waitFor();
    expect(await photos.getByRole('link', { name: 'hopper-mirrored.jpg', exact: true }).count()).toBe(0);
    expect(await photos.getByRole('listitem').count()).toBe(1);

    // After a reload, the page reads the same from the API.
    await page().reload();
    await page().getByText('1 face', { exact: true }).waitFor();
    await photos.getByRole('link', { name: 'hopper.jpg', exact: true }).waitFor();
    expect(await photos.getByRole('listitem').count()).toBe(1);
  });

  it('offers the astronaut grouped apart as a merge suggestion, and "Same person" merges them', async () => {
    await page().goto(suite.app('people'));
    await tile('Grace Hopper, 1 face').waitFor();
    expect(await peopleList().getByRole('listitem').count()).toBe(3);
    const suggestions = page().getByRole('list', { name: 'Merge suggestions' });
    const pair = /^(Eileen Collins and Eileen blurred|Eileen blurred and Eileen Collins)$/;
    const suggestion = suggestions.getByRole('listitem', { name: pair });
    await suggestion.waitFor();
    const names = (await suggestion.getAttribute('aria-label')) as string;
    const kept = names.split(' and ')[0] as string;

    await suggestion.getByRole('button', { name: `Same person: merge ${names}` }).click();
    await page()
      .getByRole('status')
      .filter({ hasText: `Merged ${names}.` })
      .waitFor();
    await tile(`${kept}, 2 faces`).waitFor();
    expect(await peopleList().getByRole('listitem').count()).toBe(2);
    expect(await suggestions.getByRole('listitem', { name: pair }).count()).toBe(0);
  });

  it('hides a person from the People page and shows it again, from the keyboard', async () => {
    const hopper = personOf.get('hopper.jpg') as string;
    await page().goto(suite.app(`people/${hopper}`));
    const hide = page().getByRole('button', { name: 'Hide', exact: true });
    await hide.focus();
    await page().keyboard.press('Enter');
    await page().getByText('Hidden from the People page.').waitFor();
    await page().goto(suite.app('people'));
    await peopleList().getByRole('listitem').first().waitFor();
    expect(await tile('Grace Hopper, 1 face').count()).toBe(0);
    expect(await peopleList().getByRole('listitem').count()).toBe(1);
    await page().goto(suite.app(`people/${hopper}`));
    await page().getByRole('button', { name: 'Show on the People page' }).click();
    await page().getByRole('button', { name: 'Hide', exact: true }).waitFor();
    await page().goto(suite.app('people'));
    await tile('Grace Hopper, 1 face').waitFor();
  });

  it('deletes a person through the confirmation dialog: gone from People', async () => {
    const hopper = personOf.get('hopper.jpg') as string;
    await page().goto(suite.app(`people/${hopper}`));
    await page().getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: 'Delete Grace Hopper?' });
    await dialog.getByRole('button', { name: 'Delete person' }).click();
    await page().waitForURL(/\/app\/people$/);
    await peopleList().getByRole('listitem').first().waitFor();
    expect(await tile('Grace Hopper, 1 face').count()).toBe(0);
    expect(await peopleList().getByRole('listitem').count()).toBe(1);
  });
});
