import type { RunnerPlugin } from '../settings/runner-plugins';
import { formatPortRanges, type PortRange } from '../settings/webhooks';

/**
 * Where the runner's webhooks may go on loopback. A webhook is a POST to a URL its owner chooses, from the runner's
 * own machine: to the emulator's `/moto-api/reset` it wiped every owner's data, to the runner's API it would call it
 * as nobody in particular. So loopback is allowed only on the ports `webhookLoopbackPorts` names (8787 unless told,
 * `image-intel webhooks listen`'s port), and never on a port of the runner's own, whatever the setting says.
 */

/** `webhooks listen`'s port when none is given (lambdas/cli/webhooks/command.ts): the runner's default. */
export const RUNNER_LOOPBACK_PORTS = '8787';

/** `ranges` without `ports`: a range holding one is split around it. */
export function withoutPorts(ranges: readonly PortRange[], ports: readonly number[]): PortRange[] {
  let left = [...ranges];
  for (const port of ports) {
    left = left.flatMap(({ from, to }) => {
      if (port < from || port > to) return [{ from, to }];
      return [...(from < port ? [{ from, to: port - 1 }] : []), ...(port < to ? [{ from: port + 1, to }] : [])];
    });
  }
  return left;
}

/** Webhooks on the runner: loopback on `webhooks listen`'s port, never the runner's own, and how to try it. */
export const WEBHOOKS_RUNNER_PLUGIN: RunnerPlugin = {
  name: 'webhooks',
  // Webhooks may go to loopback here on 8787, so a developer receives on their own machine (a deployment's may not).
  contextDefaults: { webhookLoopbackPorts: RUNNER_LOOPBACK_PORTS },
  functionSettings: (settings, ownPorts) => ({
    webhookLoopbackPorts: withoutPorts(settings.webhookLoopbackPorts, ownPorts),
  }),
  banner: (settings) =>
    !settings.webhooks
      ? []
      : settings.webhookLoopbackPorts.length > 0
        ? [
            `  webhooks      endpoints may be on loopback on port ${formatPortRanges(settings.webhookLoopbackPorts)}, ` +
              "over http too, never the runner's own (a deployment: https to public addresses only)",
          ]
        : ['  webhooks      endpoints on public https addresses only, as in a deployment'],
  examples: (settings, apiUrl) =>
    settings.webhooks ? [`npx image-intel webhooks listen --api ${apiUrl}   (then upload: each event, verified)`] : [],
};
