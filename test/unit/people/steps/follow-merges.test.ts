import { followMerges } from '../../../../lambdas/people/steps/group-people';
import { imageItem } from '../../../support/items';

const withFaces = (...personIds: string[]) =>
  imageItem({
    owner: 'alice',
    people: { faces: personIds.map((personId, face) => ({ face, personId })), skipped: { tooSmall: 0, overCap: 0 } },
  });

describe('followMerges (the processor, after indexing an image)', () => {
  it("re-points the merged images of each of the image's people, once each, and notes a failure", async () => {
    const asked: string[] = [];
    const notes: string[] = [];
    const people = {
      groupFaces: jest.fn(),
      deleteImageFaces: jest.fn(),
      repointMerged: async (_owner: string, personId: string) => {
        asked.push(personId);
        if (personId === 'cy') throw new Error('throttled');
        return { images: 0, done: true };
      },
    };
    await followMerges(withFaces('ada', 'cy', 'ada'), {
      people,
      store: {} as never,
      index: { upsert: async () => undefined },
      onNote: (message) => void notes.push(message),
    });
    expect(asked).toEqual(['ada', 'cy']);
    expect(notes).toEqual(['re-pointing the images of people merged by grouping failed; they are still found']);
  });
});
