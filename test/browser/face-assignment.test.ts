/// <reference lib="dom" />
/**
 * Faces given to people on the detail page (issue 60, docs/people.md#corrections), in headless Chromium against the
 * local runner with face grouping on and the offline models: a face given to another person ("Someone else…"), a face
 * left unassigned by "Not this person" named as a new person ("Who is this?"), and a face the detector missed drawn
 * over the photo ("Tag a face"), from the mouse and cancelled with Escape from the keyboard.
 *
 * Photos: the astronaut (Eileen Collins) and Grace Hopper's portrait, one face each, two people.
 */

import { fixture } from '../fixtures';
import { browserSuite } from './browser';

jest.setTimeout(300_000);

interface WithPeople {
  people?: { faces: Array<{ face: number; personId: string; box?: unknown }> };
}

const photo = new Map<string, string>();
const personOf = new Map<string, string>();

const suite = browserSuite({ profile: 'offline-fixed' }, async (started) => {
  const api = started.api();
  for (const [name, file, person] of [
    ['astronaut.jpg', 'vision/person-astronaut.jpg', 'Eileen Collins'],
    ['hopper.jpg', 'vision/person-hopper.jpg', 'Grace Hopper'],
  ] as const) {
    const id = await api.upload(fixture(file), { filename: name });
    expect((await api.waitForFinal(id, 180_000)).status).toBe('PROCESSED');
    const record = (await api.call('GET', `/images/${id}`)) as WithPeople;
    const personId = record.people?.faces[0]?.personId;
    if (!personId) throw new Error(`${name}: no face grouped (${JSON.stringify(record.people)})`);
    await api.call('PATCH', `/people/${personId}`, { name: person });
    photo.set(name, id);
    personOf.set(name, personId);
  }
  expect(personOf.get('astronaut.jpg')).not.toBe(personOf.get('hopper.jpg'));
});

const page = () => suite.page;
const peopleHere = () => page().getByRole('list', { name: 'People in this image' });
const record = async (name: string) => (await suite.api().call('GET', `/images/${photo.get(name)}`)) as WithPeople;
const withPerson = async (personId: string) => {
  const page = (await suite.api().call('GET', `/images?person=${personId}`)) as { items: Array<{ imageId: string }> };
  return page.items.map((item) => item.imageId).sort();
};

describe('faces given to people on the detail page', () => {
  it('gives a face to another person with "Someone else…": the chip, person= and the people follow', async () => {
    const eileen = personOf.get('astronaut.jpg') as string;
    await page().goto(suite.app(`images/${photo.get('hopper.jpg')}`));
    await peopleHere().getByRole('link', { name: 'Grace Hopper' }).waitFor();

    await page().getByRole('button', { name: 'Someone else: not Grace Hopper' }).click();
    const dialog = page().getByRole('dialog', { name: 'Who is this, if not Grace Hopper?' });
    await dialog.getByLabel('Person').selectOption({ label: 'Eileen Collins (1)' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page().getByRole('status').filter({ hasText: 'Grace Hopper is now Eileen Collins.' }).waitFor();
    await peopleHere().getByRole('link', { name: 'Eileen Collins' }).waitFor();
    expect(await peopleHere().getByRole('link', { name: 'Grace Hopper' }).count()).toBe(0);

    expect(await withPerson(eileen)).toEqual([photo.get('astronaut.jpg'), photo.get('hopper.jpg')].sort());
    // Grace Hopper's only face went: she is no more.
    const people = (await suite.api().call('GET', '/people')) as { items: Array<{ name: string | null }> };
    expect(people.items.map((person) => person.name)).toEqual(['Eileen Collins']);
  });

  it('names a face "Not this person" left unassigned as a new person with "Who is this?"', async () => {
    const eileen = personOf.get('astronaut.jpg') as string;
    await suite.api().call('DELETE', `/people/${eileen}/images/${photo.get('hopper.jpg')}`);
    await page().goto(suite.app(`images/${photo.get('hopper.jpg')}`));
    const unnamed = page().getByRole('list', { name: 'Faces in no person' });
    await unnamed.getByRole('button', { name: 'Who is this? Face 1' }).click();
    const dialog = page().getByRole('dialog', { name: 'Who is this? Face 1' });
    await dialog.getByLabel('Person').selectOption({ label: 'New person…' });
    await dialog.getByLabel('Name').fill('Amazing Grace');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page().getByRole('status').filter({ hasText: 'Face 1 is now Amazing Grace.' }).waitFor();
    await peopleHere().getByRole('link', { name: 'Amazing Grace' }).waitFor();
    expect(await unnamed.count()).toBe(0);
    const grace = (await record('hopper.jpg')).people?.faces[0]?.personId as string;
    expect(await withPerson(grace)).toEqual([photo.get('hopper.jpg')]);
  });

  it('tags a face the detector missed by drawing its box, after a drawing cancelled with Escape', async () => {
    await page().goto(suite.app(`images/${photo.get('astronaut.jpg')}`));
    await peopleHere().getByRole('link', { name: 'Eileen Collins' }).waitFor();
    const surface = page().getByRole('application', { name: /^Draw a box around the face/ });

    // From the keyboard: the layer takes the focus, and Escape leaves it.
    await page().getByRole('button', { name: 'Tag a face' }).click();
    await surface.waitFor();
    expect(await surface.evaluate((element) => element === document.activeElement)).toBe(true);
    await page().keyboard.press('Escape');
    await surface.waitFor({ state: 'detached' });

    await page().getByRole('button', { name: 'Tag a face' }).click();
    const area = await surface.boundingBox();
    if (!area) throw new Error('the drawing layer has no box');
    await page().mouse.move(area.x + area.width * 0.05, area.y + area.height * 0.6);
    await page().mouse.down();
    await page().mouse.move(area.x + area.width * 0.15, area.y + area.height * 0.7, { steps: 4 });
    await page().mouse.move(area.x + area.width * 0.25, area.y + area.height * 0.8, { steps: 4 });
    await page().mouse.up();
    const dialog = page().getByRole('dialog', { name: 'Who is in the box?' });
    await dialog.getByLabel('Person').selectOption({ label: 'New person…' });
    await dialog.getByLabel('Name').fill('Someone at the back');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await peopleHere().getByRole('link', { name: 'Someone at the back' }).waitFor();
    await surface.waitFor({ state: 'detached' });

    const drawn = (await record('astronaut.jpg')).people?.faces.find((face) => face.face === 900);
    expect(drawn?.box).toEqual({
      left: expect.closeTo(0.05, 1),
      top: expect.closeTo(0.6, 1),
      width: expect.closeTo(0.2, 1),
      height: expect.closeTo(0.2, 1),
    });
    expect(await withPerson(drawn?.personId as string)).toEqual([photo.get('astronaut.jpg')]);
  });
});
