import { NestedStack, type Stack } from 'aws-cdk-lib';

/**
 * A nested stack per room for the room's functions: each function with its role, its inline grants, its permission
 * to be invoked and its event sources, and the methods and paths of the room's routes since the rooms had stacks
 * (ROOT_ROUTES, lib/declared-placements.ts). CloudFormation takes 500 resources a stack, and a route cost the one stack
 * about four. What holds data, and what people and clients hold the id of (tables, buckets, queues, the user pool, the
 * API with its paths, methods and keys), stays in the root stack under the logical id it always had
 * (docs/architecture.md "Stacks").
 *
 * The rooms' stacks sit in one stack, `Rooms`, so the root holds one resource for all of them. A room's functions that
 * a root resource reads and that read it back (the render function is the renditions distribution's origin, and the
 * routes name the distribution) go in a stack `apart` beside it, in the root: inside `Rooms` they would be a cycle.
 */
export class RoomStacks {
  private readonly made = new Map<string, NestedStack>();
  private group?: NestedStack;

  constructor(private readonly root: Stack) {}

  /** The room's stack in `Rooms`, made at its first function: a deployment without the room's features has none. */
  of(room: string): NestedStack {
    this.group ??= new NestedStack(this.root, 'Rooms', { description: "image-intel: the rooms' stacks" });
    return this.stackOf(this.group, room, `image-intel: the ${room} room's functions`);
  }

  /** A stack of the room's beside `Rooms`, for functions a root resource and `Rooms` both depend on. */
  apart(room: string, part: string): NestedStack {
    return this.stackOf(this.root, `${room}-${part}`, `image-intel: the ${room} room's ${part}`);
  }

  /** Every room's stack this deployment has, by room (`renditions-origin` for a part apart). */
  get stacks(): ReadonlyMap<string, NestedStack> {
    return this.made;
  }

  private stackOf(parent: Stack, key: string, description: string): NestedStack {
    const made = this.made.get(key);
    if (made) return made;
    const stack = new NestedStack(parent, `${constructIdOf(key)}Room`, { description });
    this.made.set(key, stack);
    return stack;
  }
}

/**
 * A construct id from a kebab-case name (`create-upload` -> `CreateUpload`): a function's from its operationId, a
 * declared table's or queue's from its declaration's name. Its logical id derives from it.
 */
export function constructIdOf(name: string): string {
  return name
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
