import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * Where the runner's API and web app listen (`npm start -- --host`), and the name the URLs it hands out use.
 * Loopback by default: nothing on the network reaches it. `--host 0.0.0.0` (every interface) or one address serves
 * the network, the URLs then naming an address other machines can reach; the Host check (host-check.ts) answers
 * that name as well as the loopback ones.
 */
export interface ServeAddress {
  /** What the server listens on. */
  listen: string;
  /** The host of every URL the runner hands out: `localhost` on loopback, else an address of this machine. */
  urlHost: string;
  /** Whether anything beyond this machine can reach it. */
  network: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `--host`: loopback (default), every interface (`0.0.0.0`, `::`) or one address of this machine. */
export function serveAddress(host: string | undefined): ServeAddress {
  if (host === undefined || LOOPBACK.has(host) || host.startsWith('127.')) {
    return {
      listen: host === undefined || host === 'localhost' ? '127.0.0.1' : host,
      urlHost: 'localhost',
      network: false,
    };
  }
  if (host === '0.0.0.0' || host === '::')
    return { listen: host, urlHost: urlName(firstExternalAddress()), network: true };
  if (!isIP(host)) throw new Error(`--host ${host}: expected an IP address of this machine, 0.0.0.0 or 127.0.0.1`);
  return { listen: host, urlHost: urlName(host), network: true };
}

/** Why `--auth` may not be what it is on this address, or undefined. */
export function authProblem(address: ServeAddress, authMode: string): string | undefined {
  if (!address.network || authMode !== 'none') return undefined;
  return (
    `--host ${address.listen} serves the network, and with --auth none anyone who reaches it reads, changes and ` +
    'deletes every image: add --auth apikey (or --auth jwt), or leave --host out to serve this machine only'
  );
}

function urlName(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** This machine's first IPv4 address that is not loopback (the one URLs name with `--host 0.0.0.0`). */
function firstExternalAddress(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  const external = addresses.find((entry) => !entry.internal && entry.family === 'IPv4');
  if (!external) throw new Error('--host 0.0.0.0: this machine has no network address other than loopback');
  return external.address;
}
