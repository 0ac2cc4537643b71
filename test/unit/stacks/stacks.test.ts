import { createStack, deleteStack, leaveStack, ownStack, setPrimary, stepBack } from '../../../lambdas/stacks/stacks';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../support/identities';
import { imageItem } from '../../support/items';
import { FakeStacks } from './fake-stacks';

const me = { owner: TEST_USER.sub, admin: false };
const ids = ['01JABCDEFGHJKMNPQRSTVWXY01', '01JABCDEFGHJKMNPQRSTVWXY02', '01JABCDEFGHJKMNPQRSTVWXY03'] as const;
const [a, b, c] = ids;

let fake: FakeStacks;
let clock: number;
const deps = () => ({ stacks: fake, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)) });

beforeEach(() => {
  fake = new FakeStacks();
  clock = 0;
  fake.add(...ids.map((imageId) => imageItem({ imageId })));
});

const roleOf = (record: ImageItem) =>
  record.stack ? `primary of ${record.stack.count}` : record.stackedIn ? 'frame' : 'alone';

describe('a stack made by its owner', () => {
  it('files the primary with the count and the others behind it', async () => {
    const stack = await createStack({ imageIds: [a, b, c], primary: b }, me, deps());
    expect(stack).toMatchObject({ primary: b, frames: [b, a, c], kind: 'manual', owner: me.owner });
    expect(stack.stackId).toMatch(/^st_[0-9a-f]{20}$/);
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['frame', 'primary of 3', 'frame']);
    expect(fake.get(a).stackedIn).toBe(stack.stackId);
    // Each frame records the primary, which a search shows for it.
    expect([a, c].map((id) => fake.get(id).stackPrimary)).toEqual([b, b]);
    expect(fake.get(b).stackPrimary).toBeUndefined();
  });

  it('refuses a photo already in a stack, saying which and how to undo it', async () => {
    const first = await createStack({ imageIds: [a, b] }, me, deps());
    await expect(createStack({ imageIds: [c, b] }, me, deps())).rejects.toMatchObject({
      name: 'ConflictError',
      message: `image ${b} is already in stack ${first.stackId}: unstack it first (DELETE /stacks/${first.stackId})`,
    });
    expect(roleOf(fake.get(c))).toBe('alone');
  });

  it('refuses a locked photo, one not PROCESSED, and answers 404 for another owner’s', async () => {
    fake.add(imageItem({ imageId: a, locked: true }));
    await expect(createStack({ imageIds: [a, b] }, me, deps())).rejects.toThrow('a locked photo joins no stack');
    fake.add(imageItem({ imageId: a, status: 'PENDING' }));
    await expect(createStack({ imageIds: [a, b] }, me, deps())).rejects.toThrow('only PROCESSED photos are stacked');
    fake.add(imageItem({ imageId: a, owner: OTHER_USER.sub }));
    await expect(createStack({ imageIds: [a, b] }, me, deps())).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(fake.stacks.size).toBe(0);
  });

  it('refuses a primary that is not among the photos, and fewer than two distinct photos', async () => {
    await expect(createStack({ imageIds: [a, b], primary: c }, me, deps())).rejects.toThrow('primary: must be one of');
    await expect(createStack({ imageIds: [a, a] }, me, deps())).rejects.toThrow('2 to 50 distinct photos');
  });

  it('reads again when a photo changed between its read and the write, and then finds it stacked', async () => {
    // Another request stacks b between this one's read and its write.
    fake.beforeCommit = () => {
      fake.add({ ...fake.get(b), stackedIn: 'st_00000000000000000000', updatedAt: 'later' });
    };
    await expect(createStack({ imageIds: [a, b] }, me, deps())).rejects.toThrow(
      `image ${b} is already in stack st_00000000000000000000`,
    );
    expect(fake.stacks.size).toBe(0);
    expect(roleOf(fake.get(a))).toBe('alone');
  });

  it('is read by its owner only', async () => {
    const stack = await createStack({ imageIds: [a, b] }, me, deps());
    await expect(ownStack(stack.stackId, me, deps())).resolves.toMatchObject({ frames: [a, b] });
    await expect(ownStack(stack.stackId, { owner: OTHER_USER.sub, admin: false }, deps())).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});

describe('a stack changed', () => {
  it('moves the count to a new primary, the old one behind it', async () => {
    const stack = await createStack({ imageIds: [a, b, c] }, me, deps());
    const changed = await setPrimary(stack.stackId, c, me, deps());
    expect(changed).toMatchObject({ primary: c, frames: [c, a, b] });
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['frame', 'frame', 'primary of 3']);
    // Every frame records the new primary, the one that was not the old primary's or the new one's too.
    expect(ids.map((id) => fake.get(id).stackPrimary)).toEqual([c, c, undefined]);
    await expect(setPrimary(stack.stackId, '01JZZZZZZZZZZZZZZZZZZZZZZZ', me, deps())).rejects.toThrow('is no frame of');
  });

  it('unstacks: every frame on its own again, the stack gone', async () => {
    const stack = await createStack({ imageIds: [a, b, c] }, me, deps());
    await deleteStack(stack.stackId, me, deps());
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['alone', 'alone', 'alone']);
    expect(fake.stacks.size).toBe(0);
  });
});

describe('a frame that leaves its stack (the trash, the locked folder)', () => {
  it('lowers the count when a frame behind the primary leaves', async () => {
    const stack = await createStack({ imageIds: [a, b, c] }, me, deps());
    await leaveStack(c, deps());
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['primary of 2', 'frame', 'alone']);
    expect(fake.stacks.get(stack.stackId)?.frames).toEqual([a, b]);
  });

  it('makes the next frame the primary when the primary leaves', async () => {
    const stack = await createStack({ imageIds: [a, b, c] }, me, deps());
    await leaveStack(a, deps());
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['alone', 'primary of 2', 'frame']);
    expect(ids.map((id) => fake.get(id).stackPrimary)).toEqual([undefined, undefined, b]);
    expect(fake.stacks.get(stack.stackId)).toMatchObject({ primary: b, frames: [b, c] });
  });

  it('dissolves a stack of one', async () => {
    await createStack({ imageIds: [a, b] }, me, deps());
    await leaveStack(b, deps());
    expect([a, b].map((id) => roleOf(fake.get(id)))).toEqual(['alone', 'alone']);
    expect(fake.stacks.size).toBe(0);
  });

  it('does nothing for a photo in no stack, and again for one that left (idempotent)', async () => {
    await leaveStack(a, deps());
    expect(fake.commits).toBe(0);
    await createStack({ imageIds: [a, b, c] }, me, deps());
    await leaveStack(c, deps());
    const commits = fake.commits;
    await leaveStack(c, deps());
    expect(fake.commits).toBe(commits);
  });
});

describe('an archived primary (PUT /images/{id}/archived)', () => {
  it('steps back: the next frame not archived becomes the primary, every frame naming it', async () => {
    const stack = await createStack({ imageIds: [a, b, c] }, me, deps());
    fake.add({ ...fake.get(b), archived: true });
    fake.add({ ...fake.get(a), archived: true });
    await stepBack(a, deps());
    expect(fake.stacks.get(stack.stackId)).toMatchObject({ primary: c, frames: [c, a, b] });
    expect(ids.map((id) => roleOf(fake.get(id)))).toEqual(['frame', 'frame', 'primary of 3']);
    expect([a, b].map((id) => fake.get(id).stackPrimary)).toEqual([c, c]);
  });

  it('changes nothing for a photo not archived, a frame behind the primary, or a stack all archived', async () => {
    await createStack({ imageIds: [a, b] }, me, deps());
    const commits = fake.commits;
    await stepBack(a, deps());
    fake.add({ ...fake.get(b), archived: true });
    await stepBack(b, deps());
    fake.add({ ...fake.get(a), archived: true });
    await stepBack(a, deps());
    expect(fake.commits).toBe(commits);
    expect(roleOf(fake.get(a))).toBe('primary of 2');
  });
});
