import { PEOPLE_RUNNER_PLUGIN } from '../people/runner-plugin';
import { MEANING_RUNNER_PLUGIN } from '../search/meaning/runner-plugin';
import type { RunnerPlugin } from '../settings/runner-plugins';
import { WEBHOOKS_RUNNER_PLUGIN } from '../webhooks/runner-plugin';

/**
 * What each room adds to the local runner beyond its declared resources (lambdas/settings/runner-plugins.ts). Not a
 * description: the plug-ins run at the runner's start, so only the runner reads this list.
 */
export const RUNNER_PLUGINS: readonly RunnerPlugin[] = [
  PEOPLE_RUNNER_PLUGIN,
  MEANING_RUNNER_PLUGIN,
  WEBHOOKS_RUNNER_PLUGIN,
];
