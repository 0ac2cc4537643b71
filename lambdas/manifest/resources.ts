import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { SEARCH_TABLE } from '../search/postings-design';
import type { DeploymentSettings } from '../settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../settings/resources';
import { RESULTS_TABLE } from '../store/table-design';
import { TRASH_QUEUE, TRASH_SWEEP } from '../trash/functions/purge-trash/contract';
import { ROOMS } from './rooms';

/**
 * Every table, queue and schedule of the deployment, each declared in the room that owns it
 * (lambdas/settings/resources.ts says what a declaration holds). The local runner makes them all from this list,
 * feeds each queue to its consumer, and makes the functions' wiring from what each declares.
 */
export const DECLARED_TABLES: readonly TableDeclaration[] = [
  RESULTS_TABLE,
  SEARCH_TABLE,
  ...ROOMS.flatMap((room) => room.tables ?? []),
];

export const DECLARED_QUEUES: readonly QueueDeclaration[] = [
  INGEST_QUEUE,
  TRASH_QUEUE,
  ...ROOMS.flatMap((room) => room.queues ?? []),
];

export const DECLARED_SCHEDULES: readonly ScheduleDeclaration[] = [
  TRASH_SWEEP,
  ...ROOMS.flatMap((room) => room.schedules ?? []),
];

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
