import type { DeploymentSettings } from '../settings';
import type { QueueDeclaration, ScheduleDeclaration, TableDeclaration } from '../settings/resources';
import type { ApiFunction } from './api-function';
import type { PipelineFunction } from './pipeline-function';

/**
 * Everything a room adds to the deployment, in one place: its routes, its other functions, and its tables, queues and
 * schedules. A room writes it as `lambdas/<room>/room.ts` and adds one line to ROOMS (lambdas/manifest/rooms.ts); the stack, the
 * runner, the OpenAPI document and the permission tests read it from there with everything else, so a new room
 * touches that line, its floor in `.dependency-cruiser.cjs`, and nothing else outside it.
 */
export interface RoomManifest {
  /**
   * Whether a deployment with these settings has the room's routes (its feature on); its tables and queues say so
   * each in their own `when`. @default - every deployment has them
   */
  readonly when?: (settings: Pick<DeploymentSettings, 'faceGrouping' | 'webhooks'>) => boolean;
  readonly routes?: readonly ApiFunction[];
  /** Its functions that are no route, by name (their folder under `functions/`). */
  readonly functions?: Readonly<Record<string, PipelineFunction>>;
  readonly tables?: readonly TableDeclaration[];
  readonly queues?: readonly QueueDeclaration[];
  readonly schedules?: readonly ScheduleDeclaration[];
}
