import { EventCollector } from '../e2e/support';
import { type RunnerProcess, startRunner } from '../support/runner-process';
import { fileUser } from '../support/runner-profiles';
import { faultsEndpointPhase } from './lifecycle/faults-endpoint';
import { killPhase, putObjects } from './lifecycle/kill';
import type { Lifecycle } from './lifecycle/lifecycle';
import { loadPhase } from './lifecycle/load';
import { smokeFailuresPhase } from './lifecycle/smoke-failures';
import { directClients, uniquePrefix, useSharedMoto } from './support/fault-harness';
import { FaultProxy } from './support/fault-proxy';

/**
 * One runner's life under what it must survive, in phases that run in this order, each in a module of its own:
 *
 * 1. load (lifecycle/load.ts): the small load run, first, on the fresh runner: it checks the whole ingest queue and
 *    bus, so nothing else may have uploaded to it.
 * 2. the AWS endpoint failing (faults-endpoint.ts): throttling and 5xx, the webhooks queue refusing, the endpoint
 *    gone for 10 s, each test setting the proxy's faults.
 * 3. `image-intel smoke` on a broken deployment (smoke-failures.ts): the processor's receives refused, so uploads
 *    stay PENDING; a forged token.
 * 4. the runner SIGKILLed mid upload-batch and mid-backfill (kill.ts), started again once on the same prefix, which
 *    finishes everything with nothing lost, then takes poison messages.
 *
 * It is one file because jest cannot share a runner a file starts with another file, and the runner is this file's:
 * no shared profile could be killed, have its queue and bus checked whole, or run behind a fault proxy. Two runner
 * starts in all (the first, and the one after the kill), both behind one proxy in front of the run's moto. Each phase
 * is a user of its own (auth jwt, which the forged token needs), so its listings and records are its own.
 */

// Not a speed limit: each wait ends once progress stops; this bounds only a pipeline that keeps crawling.
jest.setTimeout(10 * 60_000);

const shared = useSharedMoto();
const PREFIX = uniquePrefix('life');
const SOURCE_BUCKET = `${PREFIX}-source`;

/**
 * Both runners' flags, each for a phase:
 * - auth jwt: the forged token must be refused, and each phase is a user of its own;
 * - two batches at once whatever the machine's cores (the load run's);
 * - an ingest visibility timeout of 30 s: well above a slow batch under throttling, so that retries are not mistaken
 *   for lost messages; a message in hand when the endpoint goes away, or when the runner is killed, waits it out. The
 *   restart creates the queue again with the same attributes;
 * - the kill's backfill source, its entry naming the phase's owner, its map one batch at a time, so the kill reliably
 *   comes with some batches queued and others not.
 * The first runner keeps runnerCommand's retry delay of 1 s (the endpoint phase's); the restart's is the poison's.
 */
const runnerArgs = (owner: string) => [
  ...['--concurrency', '2', '--visibility-timeout', '30'],
  ...['-c', `sourceBuckets=${SOURCE_BUCKET}=${owner}`, '-c', 'backfillMaxConcurrency=1'],
];

const life = { endpoint: '' } as Lifecycle;
const runners: RunnerProcess[] = [];

beforeAll(async () => {
  const owner = fileUser('kill');
  life.endpoint = shared.endpoint;
  // The backfill's objects are in the source bucket before the runner that names it starts.
  life.source = { bucket: SOURCE_BUCKET, owner, keys: await putObjects(shared.endpoint, SOURCE_BUCKET, 'old/') };
  life.proxy = await FaultProxy.start({ target: shared.endpoint });
  const start = async (args: string[] = []) => {
    const runner = await startRunner({
      endpoint: life.proxy.url,
      prefix: PREFIX,
      auth: 'jwt',
      args: [...runnerArgs(owner), ...args],
    });
    runners.push(runner);
    life.runner = runner;
    return runner;
  };
  life.restart = start;
  life.clients = async (who, options) => {
    const token = await life.runner.token({ user: fileUser(who), admin: options?.admin });
    return { ...directClients(life.runner.ready, shared.endpoint, token), token };
  };
  await start();
  const { sqs, events } = directClients(life.runner.ready, shared.endpoint);
  life.collector = new EventCollector(sqs, events, life.runner.ready.eventBus);
  await life.collector.start();
});
// A test that failed half-way leaves no faults, nor the endpoint away, to the next.
afterEach(async () => {
  life.proxy.faults({ rate: 0 });
  if (!life.proxy.isUp) await life.proxy.up();
});
afterAll(async () => {
  await life.collector?.stop();
  for (const runner of runners) await runner.stop();
  await life.proxy?.stop();
});

loadPhase(life);
faultsEndpointPhase(life);
smokeFailuresPhase(life);
killPhase(life);
