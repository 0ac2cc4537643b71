import { randomBytes } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors';
import type { ImageItem } from '../store/image-item';
import type { Caller } from '../store/owner';
import type { FrameRole, StackItem, StackKind, StackPort, StackWrite } from './stack-store';
import { MAX_STACK_FRAMES } from './table-design';

/*
 * The stacks' use cases (docs/api.md#stacks): made by their owner, or as a burst or a RAW+JPEG pair arrives
 * (auto-stack.ts); a change of primary; an unstack; a frame that leaves (the trash, the locked folder). Each is one
 * transaction over the stack and its frames' records (stack-store.ts), tried again from a fresh read when something
 * changed meanwhile.
 */

/** Tries of a change that finds its stack or frames changed since it read them. */
const ATTEMPTS = 4;

export interface StacksDeps {
  stacks: StackPort;
  now?: () => Date;
}

export function newStackId(): string {
  return `st_${randomBytes(10).toString('hex')}`;
}

/** The stack a record is in, as the record says: the primary's `stack`, a frame's `stackedIn`. */
export function stackOf(record: Pick<ImageItem, 'stack' | 'stackedIn'>): string | undefined {
  return record.stack?.id ?? record.stackedIn;
}

/** Why a photo may not join a stack, or undefined when it may. */
export function refusal(record: ImageItem): string | undefined {
  const id = record.imageId;
  if (record.status !== 'PROCESSED') return `image ${id} is ${record.status}: only PROCESSED photos are stacked`;
  if (record.locked === true) return `image ${id} is in the locked folder: a locked photo joins no stack`;
  if (record.archived === true) return `image ${id} is archived: bring it back first (PUT /images/{id}/archived)`;
  const stack = stackOf(record);
  if (stack !== undefined)
    return `image ${id} is already in stack ${stack}: unstack it first (DELETE /stacks/${stack})`;
  return undefined;
}

const at = (deps: StacksDeps) => (deps.now?.() ?? new Date()).toISOString();

/**
 * Each frame's write of a stack made or changed: the primary with the count, the others behind it with the primary's
 * id. A change of primary writes every frame (at most MAX_STACK_FRAMES, one transaction), so each frame's
 * `stackPrimary` stays the stack's.
 */
export function roles(stack: StackItem, records: readonly ImageItem[]): StackWrite['frames'] {
  return records.map((record) => ({
    record,
    stackId: stack.stackId,
    becomes:
      record.imageId === stack.primary
        ? ({ role: 'primary', count: stack.frames.length } as FrameRole)
        : ({ role: 'frame', primary: stack.primary } as FrameRole),
  }));
}

/**
 * Make a stack of photos of the caller's (`POST /stacks`):
 * 1. 2 to MAX_STACK_FRAMES distinct ids, the primary among them (default: the first);
 * 2. read each record: 404 unless the caller's; 409 unless PROCESSED, neither locked nor archived, in no stack;
 * 3. one transaction: the stack put, each record filed as its role says, each as it was read; a record changed
 *    meanwhile starts it again from step 2, and after a few tries it is a 409.
 */
export async function createStack(
  input: { imageIds: string[]; primary?: string },
  caller: Caller,
  deps: StacksDeps,
  kind: StackKind = 'manual',
): Promise<StackItem> {
  const ids = [...new Set(input.imageIds)];
  if (ids.length < 2 || ids.length > MAX_STACK_FRAMES) {
    throw new BadRequestError(`imageIds: a stack has 2 to ${MAX_STACK_FRAMES} distinct photos`);
  }
  // At least two ids, checked above.
  const primary = input.primary ?? (ids[0] as string);
  if (!ids.includes(primary)) throw new BadRequestError('primary: must be one of imageIds');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const records = await deps.stacks.records(ids);
    for (const id of ids) {
      const record = records.find((one) => one.imageId === id);
      if (!record || record.owner !== caller.owner) throw new NotFoundError(`image ${id} not found`);
      const why = refusal(record);
      if (why) throw new ConflictError(why);
    }
    const now = at(deps);
    const frames = [primary, ...ids.filter((id) => id !== primary)];
    const stack: StackItem = {
      stackId: newStackId(),
      owner: caller.owner,
      primary,
      frames,
      kind,
      createdAt: now,
      updatedAt: now,
    };
    if (await deps.stacks.commit({ stack: { put: stack }, frames: roles(stack, records), at: now })) return stack;
  }
  throw new ConflictError('the photos changed while the stack was being made: try again');
}

/** The caller's stack, or a 404 (another owner's too). */
export async function ownStack(stackId: string, caller: Caller, deps: StacksDeps): Promise<StackItem> {
  const stack = await deps.stacks.stack(stackId);
  if (!stack || stack.owner !== caller.owner) throw new NotFoundError(`stack ${stackId} not found`);
  return stack;
}

/** The records of a stack's frames that are still in it, in its order (the primary first). */
export async function framesOf(stack: StackItem, deps: StacksDeps): Promise<ImageItem[]> {
  const records = await deps.stacks.records(stack.frames);
  return stack.frames
    .map((id) => records.find((record) => record.imageId === id))
    .filter((record): record is ImageItem => record !== undefined && stackOf(record) === stack.stackId);
}

/**
 * Another frame the lists show for the stack (`PUT /stacks/{id}/primary`): 400 unless it is a frame of it; the old
 * primary goes behind it, the new one carries the count, in one transaction with the stack.
 */
export async function setPrimary(
  stackId: string,
  imageId: string,
  caller: Caller,
  deps: StacksDeps,
): Promise<StackItem> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stack = await ownStack(stackId, caller, deps);
    if (!stack.frames.includes(imageId)) throw new BadRequestError(`imageId: ${imageId} is no frame of ${stackId}`);
    if (stack.primary === imageId) return stack;
    // Every frame: each records the new primary (stackPrimary), the old one goes behind it, the new one has the count.
    const records = await framesOf(stack, deps);
    const now = at(deps);
    const next: StackItem = {
      ...stack,
      primary: imageId,
      frames: [imageId, ...stack.frames.filter((id) => id !== imageId)],
      updatedAt: now,
    };
    const write = { stack: { replace: next, seen: stack.updatedAt }, frames: roles(next, records), at: now };
    if (await deps.stacks.commit(write)) return next;
  }
  throw new ConflictError(`stack ${stackId} changed while its primary was being set: try again`);
}

/** Unstack (`DELETE /stacks/{id}`): the stack goes, each of its frames is listed on its own again. */
export async function deleteStack(stackId: string, caller: Caller, deps: StacksDeps): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stack = await ownStack(stackId, caller, deps);
    const records = await framesOf(stack, deps);
    const frames = records.map((record) => ({ record, stackId, becomes: { role: 'none' } as FrameRole }));
    if (await deps.stacks.commit({ stack: { delete: stack }, frames, at: at(deps) })) return;
  }
  throw new ConflictError(`stack ${stackId} changed while it was being unstacked: try again`);
}

/**
 * A photo leaves its stack (moved to the trash or the locked folder, or deleted): the stack goes on without it; when
 * one frame is left the stack dissolves; when the primary leaves, the next frame becomes it. Idempotent: a photo in
 * no stack, or one its stack no longer lists, only loses its own mark.
 */
export async function leaveStack(imageId: string, deps: StacksDeps): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [record] = await deps.stacks.records([imageId]);
    const stackId = record && stackOf(record);
    if (!record || stackId === undefined) return;
    const now = at(deps);
    const leaving = { record, stackId, becomes: { role: 'none' } as FrameRole };
    const stack = await deps.stacks.stack(stackId);
    if (!stack || stack.owner !== record.owner || !stack.frames.includes(imageId)) {
      if (await deps.stacks.commit({ frames: [leaving], at: now })) return;
      continue;
    }
    const rest = (await framesOf(stack, deps)).filter((one) => one.imageId !== imageId);
    let write: StackWrite;
    if (rest.length < 2) {
      const released = rest.map((one) => ({ record: one, stackId, becomes: { role: 'none' } as FrameRole }));
      write = { stack: { delete: stack }, frames: [leaving, ...released], at: now };
    } else {
      const [first] = rest as [ImageItem, ...ImageItem[]];
      const frames = rest.map((one) => one.imageId);
      const next: StackItem = { ...stack, primary: first.imageId, frames, updatedAt: now };
      // The new primary (the old one, with one frame fewer, or the next frame) carries the count; when the primary
      // left, every frame records the next one.
      const changed = stack.primary === imageId ? rest : [first];
      write = { stack: { replace: next, seen: stack.updatedAt }, frames: [leaving, ...roles(next, changed)], at: now };
    }
    if (await deps.stacks.commit(write)) return;
  }
  throw new ConflictError(`image ${imageId}'s stack kept changing while it was leaving it`);
}

/**
 * An archived primary steps back (`PUT /images/{id}/archived`, the occasion `archive`): it stays in its stack, filed
 * in the archive as any archived frame is, and the stack's next frame not archived becomes the primary, so the stack
 * stays in the timeline (every frame records the new primary, in one transaction). A stack whose every frame is
 * archived keeps its primary. Idempotent: a photo that is not archived, or no primary, changes nothing.
 */
export async function stepBack(imageId: string, deps: StacksDeps): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [record] = await deps.stacks.records([imageId]);
    if (record?.archived !== true || record.stack === undefined) return;
    const stack = await deps.stacks.stack(record.stack.id);
    if (!stack || stack.owner !== record.owner || stack.primary !== imageId) return;
    const records = await framesOf(stack, deps);
    const next = records.find((one) => one.imageId !== imageId && one.archived !== true && one.locked !== true);
    if (!next) return;
    const now = at(deps);
    const changed: StackItem = {
      ...stack,
      primary: next.imageId,
      frames: [next.imageId, ...stack.frames.filter((id) => id !== next.imageId)],
      updatedAt: now,
    };
    const write = { stack: { replace: changed, seen: stack.updatedAt }, frames: roles(changed, records), at: now };
    if (await deps.stacks.commit(write)) return;
  }
  throw new ConflictError(`image ${imageId}'s stack kept changing while it was stepping back`);
}
