import type { PortRange } from '../settings/webhooks';

/**
 * Where the runner's webhooks may go on loopback. A webhook is a POST to a URL its owner chooses, from the runner's
 * own machine: to the emulator's `/moto-api/reset` it wiped every owner's data, to the runner's API it would call it
 * as nobody in particular. So loopback is allowed only on the ports `webhookLoopbackPorts` names (8787 unless told,
 * `image-intel webhooks listen`'s port), and never on a port of the runner's own, whatever the setting says.
 */

/** `webhooks listen`'s port when none is given (lambdas/cli/webhooks-commands.ts): the runner's default. */
export const RUNNER_LOOPBACK_PORTS = '8787';

/** The ports of these URLs (the runner's API and web app, the emulator, its Step Functions and Lambda APIs). */
export function portsOf(urls: readonly string[]): number[] {
  return urls.map((url) => new URL(url)).map((url) => Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
}

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
