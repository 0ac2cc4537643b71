import type { RoomManifest } from '../kit/room';
import type { DeploymentSettings } from '../settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../settings/resources';
import { ROOMS } from './rooms';

const rooms: readonly RoomManifest[] = ROOMS;

type Room = (typeof ROOMS)[number];
type DeclaredOf<R> = R extends { tables: readonly (infer T)[] } ? T : never;
type QueuesOf<R> = R extends { queues: readonly (infer Q)[] } ? Q : never;
type PartOf<D> = D extends { wiring: (address: string) => infer W } ? W : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * The wiring the declared tables and queues make together (`mergeWiring` of their parts), typed from their
 * declarations: what the stack and the runner hand every contract, so a room's table named in its contract's wiring
 * needs no line in either.
 */
export type DeclaredWiring = Intersection<PartOf<DeclaredOf<Room> | QueuesOf<Room>>>;

/**
 * Every table, queue and schedule of the deployment, each declared in the manifest of the room that owns it
 * (lambdas/settings/resources.ts says what a declaration holds). The local runner makes them all from these lists,
 * feeds each queue to its consumer, and makes the functions' wiring from what each declares.
 */
export const DECLARED_TABLES: readonly TableDeclaration[] = rooms.flatMap((room) => room.tables ?? []);

export const DECLARED_QUEUES: readonly QueueDeclaration[] = rooms.flatMap((room) => room.queues ?? []);

export const DECLARED_SCHEDULES: readonly ScheduleDeclaration[] = rooms.flatMap((room) => room.schedules ?? []);

/** Tables, queues and schedules as declared: every one of the deployment (the lists above), or a test's. */
export interface Declared {
  readonly tables: readonly TableDeclaration[];
  readonly queues: readonly QueueDeclaration[];
  readonly schedules?: readonly ScheduleDeclaration[];
}

/**
 * Those of `declared` (default: every one above) that a deployment with these settings has: some exist only with
 * their feature on. The stack and the runner both make what this answers. `off`: the tables and queues these
 * settings turn off, whose uses then grant nothing.
 */
export function declaredFor(
  settings: DeploymentSettings,
  declared: Declared = { tables: DECLARED_TABLES, queues: DECLARED_QUEUES, schedules: DECLARED_SCHEDULES },
) {
  const has = (one: { when?: (settings: DeploymentSettings) => boolean }) => one.when?.(settings) ?? true;
  return {
    tables: declared.tables.filter(has),
    queues: declared.queues.filter(has),
    schedules: (declared.schedules ?? []).filter(has),
    off: [...declared.tables, ...declared.queues].filter((one) => !has(one)),
  };
}
