import type { EventCollector } from '../../e2e/support';
import type { RunnerProcess } from '../../support/runner-process';
import type { directClients } from '../support/fault-harness';
import type { FaultProxy } from '../support/fault-proxy';

/** A caller's clients: the runner's API with the caller's token (also given, for a bare fetch), AWS straight to moto. */
export type Clients = ReturnType<typeof directClients> & { token: string };

/**
 * What the phases of test/resilience/lifecycle.test.ts share. The file's beforeAll sets it; each phase reads it in
 * its hooks and tests, which run in turn, never while jest collects them.
 */
export interface Lifecycle {
  /** The run's moto, which the tests' own clients reach directly: their checks must not meet the proxy's faults. */
  endpoint: string;
  /** Between every runner of the file and moto: each phase sets its own faults, and an afterEach turns them off. */
  proxy: FaultProxy;
  /** The runner now: the first until the kill phase SIGKILLs it, then the one started again. */
  runner: RunnerProcess;
  /** Start the runner again on the same prefix, behind the proxy, with these flags after the common ones. */
  restart(args: string[]): Promise<RunnerProcess>;
  /** A subscriber on the runners' bus, on moto itself, for the whole file (the same bus after the restart). */
  collector: EventCollector;
  /** The kill phase's source bucket, filled before the first runner started: its entry names `owner`. */
  source: { bucket: string; owner: string; keys: string[] };
  /** Clients of the current runner for a user of the file's own (`fileUser(who)`), or an admin. */
  clients(who: string, options?: { admin?: boolean }): Promise<Clients>;
}
