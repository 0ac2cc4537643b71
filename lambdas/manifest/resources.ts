import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { PEOPLE_TABLE } from '../people/table-design';
import { SEARCH_TABLE } from '../search/postings-design';
import type { DeploymentSettings } from '../settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../settings/resources';
import { RESULTS_TABLE } from '../store/table-design';
import { TRASH_QUEUE, TRASH_SWEEP } from '../trash/functions/purge-trash/contract';
import { WEBHOOK_QUEUE } from '../webhooks/functions/deliver-webhooks/contract';
import { WEBHOOKS_TABLE } from '../webhooks/table-design';
import { ROOMS } from './rooms';

/**
 * Every table, queue and schedule of the deployment, each declared in the room that owns it
 * (lambdas/settings/resources.ts says what a declaration holds). The local runner makes them all from this list,
 * feeds each queue to its consumer, and makes the functions' wiring from what each declares.
 */
export const DECLARED_TABLES: readonly TableDeclaration[] = [
  RESULTS_TABLE,
  SEARCH_TABLE,
  PEOPLE_TABLE,
  WEBHOOKS_TABLE,
  ...ROOMS.flatMap((room) => room.tables ?? []),
];

export const DECLARED_QUEUES: readonly QueueDeclaration[] = [
  INGEST_QUEUE,
  TRASH_QUEUE,
  WEBHOOK_QUEUE,
  ...ROOMS.flatMap((room) => room.queues ?? []),
];

export const DECLARED_SCHEDULES: readonly ScheduleDeclaration[] = [
  TRASH_SWEEP,
  ...ROOMS.flatMap((room) => room.schedules ?? []),
];

/** The declared tables, queues and schedules a deployment with these settings has (some only with their feature on). */
export function declaredFor(settings: DeploymentSettings) {
  const has = (declared: { when?: (settings: DeploymentSettings) => boolean }) => declared.when?.(settings) ?? true;
  return {
    tables: DECLARED_TABLES.filter(has),
    queues: DECLARED_QUEUES.filter(has),
    schedules: DECLARED_SCHEDULES.filter(has),
  };
}
