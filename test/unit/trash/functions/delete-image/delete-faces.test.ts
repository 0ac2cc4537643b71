import { peopleCleanup } from '../../../../../lambdas/people/cleanup';
import type { PeoplePort } from '../../../../../lambdas/people/ports';
import { postingsCleanup } from '../../../../../lambdas/search/cleanup';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { type PurgeImageDeps, purgeImage } from '../../../../../lambdas/trash/purge-image';
import { OTHER_USER, TEST_USER } from '../../../../support/api-events';
import { IDS, imageItem } from '../../../../support/items';
import { descriptorOf, PeopleFake } from '../../../../support/people-fake';

const BOX = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };
const SECOND = '01JABCDEFGHJKMNPQRSTVWXYZA';
const NO_SKIPS = { tooSmall: 0, overCap: 0 };

/** A store holding `item` until it is deleted, and a record of every step's order. */
function deps(
  item: ImageItem,
  people: Pick<PeoplePort, 'deleteImageFaces'> | undefined,
  steps: string[] = [],
): PurgeImageDeps {
  let held: ImageItem | undefined = item;
  return {
    store: {
      get: async () => held,
      delete: async () => {
        steps.push('record');
        const last = held;
        held = undefined;
        return last;
      },
    },
    objects: { deleteObjects: async () => void steps.push('objects') },
    // With face grouping off the people room opens nothing (lambdas/manifest/cleanups.ts), so it is not in the list.
    cleanups: [
      postingsCleanup({ remove: async () => void steps.push('postings'), upsert: async () => undefined }),
      ...(people ? [peopleCleanup(people)] : []),
    ],
    publisher: { publish: async () => void steps.push('event') },
  };
}

async function twoPhotosOfAda() {
  const people = new PeopleFake();
  const face = (value: number) => ({
    faces: [{ face: 0, box: BOX, descriptor: descriptorOf(value) }],
    skipped: NO_SKIPS,
  });
  await people.groupFaces(TEST_USER.sub, IDS.newer, face(0));
  await people.groupFaces(TEST_USER.sub, SECOND, face(0.01));
  return { people, ada: `${IDS.newer}00` };
}

describe('DELETE /images/{id} with face grouping on', () => {
  it("removes the image's faces before its record, and the person keeps its other photo as its cover", async () => {
    const { people, ada } = await twoPhotosOfAda();
    const steps: string[] = [];
    const wrapped = {
      deleteImageFaces: async (owner: string, imageId: string) => {
        steps.push('faces');
        await people.deleteImageFaces(owner, imageId);
      },
    };
    await purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(imageItem(), wrapped, steps));
    expect(steps.indexOf('faces')).toBeGreaterThan(-1);
    expect(steps.indexOf('faces')).toBeLessThan(steps.indexOf('record'));
    expect(await people.get(TEST_USER.sub, ada)).toMatchObject({ faceCount: 1, cover: { imageId: SECOND } });
  });

  it('removes a person left with no face', async () => {
    const { people, ada } = await twoPhotosOfAda();
    await purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(imageItem(), people));
    await purgeImage(SECOND, { owner: TEST_USER.sub, admin: false }, deps(imageItem({ imageId: SECOND }), people));
    expect(await people.get(TEST_USER.sub, ada)).toBeUndefined();
    expect((await people.list(TEST_USER.sub, { limit: 10 })).items).toEqual([]);
  });

  it("removes the faces under the image's owner when an admin deletes it", async () => {
    const people = new PeopleFake();
    await purgeImage(IDS.newer, { owner: OTHER_USER.sub, admin: true }, deps(imageItem(), people));
    expect(people.calls).toEqual([{ method: 'deleteImageFaces', owner: TEST_USER.sub, args: [IDS.newer] }]);
  });

  it('keeps the record when the faces cannot be removed, so a retried DELETE finishes the job', async () => {
    const steps: string[] = [];
    const failing = { deleteImageFaces: async () => Promise.reject(new Error('people table down')) };
    await expect(
      purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(imageItem(), failing, steps)),
    ).rejects.toThrow('people table down');
    expect(steps).not.toContain('record');
    const people = new PeopleFake();
    await purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(imageItem(), people, steps));
    expect(steps).toContain('record');
  });

  it('touches no people with face grouping off, nor for an image without an owner', async () => {
    await expect(
      purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(imageItem(), undefined)),
    ).resolves.toMatchObject({ imageId: IDS.newer });
    const people = new PeopleFake();
    await purgeImage(IDS.newer, { owner: TEST_USER.sub, admin: true }, deps(imageItem({ owner: undefined }), people));
    expect(people.calls).toEqual([]);
  });
});
