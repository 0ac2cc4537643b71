import { type GetImageDeps, getImage } from '../../../../../lambdas/images/functions/get-image/get-image';
import { ImageDetailSchema } from '../../../../../lambdas/images/functions/get-image/route';
import { parseDeploymentSettings } from '../../../../../lambdas/settings';
import { renditionLimitsOf } from '../../../../../lambdas/settings/renditions';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../../../support/api-events';
import { IDS, imageItem } from '../../../../support/items';
import { descriptorOf, PeopleFake } from '../../../../support/people-fake';

const BOX = { left: 0.1, top: 0.1, width: 0.2, height: 0.2 };
const OTHER_IMAGE = '01JABCDEFGHJKMNPQRSTVWXYZA';
const settings = parseDeploymentSettings({});

function deps(item: ImageItem, people?: PeopleFake): GetImageDeps {
  return {
    store: { get: async (id) => (id === item.imageId ? item : undefined) },
    presigner: { presignDownload: async (bucket, key) => `https://${bucket}.example/${key}` },
    urlTtlSeconds: 300,
    renditions: {
      // No image here is renderable with no presets: the signer is never asked.
      signer: {
        keys: async () => Promise.reject(new Error('not asked')),
        baseUrl: 'https://r.example',
        ttlSeconds: 60,
      },
      presets: {},
      limits: renditionLimitsOf(settings),
      failed: () => undefined,
    },
    people,
  };
}

/** TEST_USER's image IDS.newer, its two faces grouped: Ada (named, then merged into Bob's person) and Bob. */
async function grouped() {
  const people = new PeopleFake();
  const skipped = { tooSmall: 2, overCap: 0 };
  const { faces } = await people.groupFaces(TEST_USER.sub, IDS.newer, {
    faces: [
      { face: 0, box: BOX, descriptor: descriptorOf(0) },
      { face: 2, box: BOX, descriptor: descriptorOf(0.9) },
    ],
    skipped,
  });
  const item = imageItem({ people: { faces, skipped } });
  return { people, item, ada: `${IDS.newer}00`, bob: `${IDS.newer}02` };
}

describe('GET /images/{id} with face grouping on', () => {
  it("answers each described face with the person it joined and the person's name", async () => {
    const { people, item, ada, bob } = await grouped();
    await people.rename(TEST_USER.sub, ada, 'Ada');
    const detail = await getImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(item, people));
    expect(detail.people).toEqual({
      faces: [
        { face: 0, personId: ada, name: 'Ada' },
        { face: 2, personId: bob, name: null },
      ],
      skipped: { tooSmall: 2, overCap: 0 },
    });
    expect(ImageDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('answers a person merged since under the id it was merged into, with that name', async () => {
    const { people, item, ada, bob } = await grouped();
    await people.rename(TEST_USER.sub, bob, 'Bob');
    await people.merge(TEST_USER.sub, bob, [ada]);
    const detail = await getImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(item, people));
    expect(detail.people?.faces).toEqual([
      { face: 0, personId: bob, name: 'Bob' },
      { face: 2, personId: bob, name: 'Bob' },
    ]);
  });

  it("reads the people of the image's owner, whoever asks (an admin reading another's image)", async () => {
    const { people, item } = await grouped();
    await getImage(IDS.newer, { owner: OTHER_USER.sub, admin: true }, deps(item, people));
    expect(new Set(people.calls.filter((c) => c.method === 'get').map((c) => c.owner))).toEqual(
      new Set([TEST_USER.sub]),
    );
  });

  it('keeps the id of a person the store no longer has, without a name', async () => {
    const { people, item, bob } = await grouped();
    await people.deleteImageFaces(TEST_USER.sub, IDS.newer);
    const detail = await getImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(item, people));
    expect(detail.people?.faces[1]).toEqual({ face: 2, personId: bob, name: null });
  });

  it('answers no people with face grouping off, nor for an image not grouped; never the raw record field', async () => {
    const { item } = await grouped();
    const off = await getImage(IDS.newer, { owner: TEST_USER.sub, admin: false }, deps(item));
    expect(off).not.toHaveProperty('people');
    const plain = imageItem({ imageId: OTHER_IMAGE });
    const notGrouped = await getImage(
      OTHER_IMAGE,
      { owner: TEST_USER.sub, admin: false },
      deps(plain, new PeopleFake()),
    );
    expect(notGrouped).not.toHaveProperty('people');
  });
});
