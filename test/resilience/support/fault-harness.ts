import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ApiError, type ImageApiClient, type ImageView } from '../../../lambdas/cli/api-client';
import type { PollerStats } from '../../../lambdas/local/poller';
import { clientsFor, type EventCollector } from '../../e2e/support';
import { fixture } from '../../fixtures';
import type { RunnerReady } from '../../support/runner-process';
import { testEndpoint } from '../../support/shared-moto';
import { SERVICES, type ServiceCounts } from './fault-proxy';

const PHOTOS = ['photos/boats.jpg', 'photos/cups.jpg', 'photos/forest.jpg', 'photos/kite.jpg', 'photos/leaf.jpg'];
const FINAL_EVENTS = new Set(['Image Processed', 'Image Rejected', 'Image Failed']);

/**
 * The run's moto (shared-moto.ts) for one test file, and the cleanups each test registers, run after it, newest
 * first (a failing cleanup does not hide the test's own failure). Runners come and go on it with the same state;
 * nothing here stops moto itself (an outage is played by the fault proxy), so no file needs one of its own.
 */
export function useSharedMoto(): { readonly endpoint: string; readonly cleanups: (() => Promise<unknown>)[] } {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  return {
    get endpoint() {
      return testEndpoint();
    },
    cleanups,
  };
}

/** A name prefix no other run shares. */
export function uniquePrefix(what: string): string {
  return `fault-${what}-${randomBytes(3).toString('hex')}`;
}

/** Real photos made unique by a few random bytes after their end, so no upload is a duplicate of another. */
export function uniquePhotos(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.concat([fixture(PHOTOS[i % PHOTOS.length] as string), randomBytes(16)]),
  );
}

/**
 * The runner's resources, with SDK clients that talk straight to the emulator: the test's own checks (the event
 * collector, queue counts) must not go through the fault proxy, or they would be what is being tested. With auth
 * jwt, `bearerToken` is the API client's.
 */
export function directClients(ready: RunnerReady, emulatorEndpoint: string, bearerToken?: string) {
  return clientsFor({ ...ready, endpoint: emulatorEndpoint, bearerToken, timeoutSeconds: 60, dlqTimeoutSeconds: 60 });
}

/** Sum of a per-service count. */
export function total(counts: ServiceCounts): number {
  return SERVICES.reduce((sum, service) => sum + counts[service], 0);
}

/** `s3 12, dynamodb 30, sqs 9, events 4` */
export function perService(counts: ServiceCounts): string {
  return SERVICES.map((service) => `${service} ${counts[service]}`).join(', ');
}

/** Calls to the API that a client repeated after a 5xx (the API's own AWS calls can fail under faults). */
export interface ClientRetries {
  count: number;
}

/**
 * What any API client does with a 5xx: ask again. Under injected faults the API's own DynamoDB call can fail
 * after the SDK's three attempts; a refused call changed nothing, so asking again is safe.
 */
export async function retry5xx<T>(call: () => Promise<T>, retries: ClientRetries, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError && error.status >= 500) || attempt >= attempts) throw error;
      retries.count += 1;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** Upload every image, `parallel` at a time, and return the ids in upload order. */
export async function uploadAll(
  api: ImageApiClient,
  images: Buffer[],
  retries: ClientRetries = { count: 0 },
  parallel = 6,
): Promise<string[]> {
  const ids: string[] = new Array(images.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < images.length; i = next++) {
        ids[i] = await retry5xx(() => api.upload(images[i] as Buffer), retries);
      }
    }),
  );
  return ids;
}

/** The runner's poller counters (GET /_local/stats: served by the runner itself, never through the proxy). */
export async function pollerStats(apiUrl: string): Promise<PollerStats> {
  const response = await fetch(`${apiUrl}/_local/stats`);
  return ((await response.json()) as { poller: PollerStats }).poller;
}

/** The poller's counts since `before`: a runner's are since it started, and a file's tests may share one. */
export function statsSince(before: PollerStats, now: PollerStats): PollerStats {
  const counts = Object.keys(now) as (keyof PollerStats)[];
  return Object.fromEntries(counts.map((name) => [name, now[name] - before[name]])) as unknown as PollerStats;
}

/**
 * Wait until every image has its completion event (PROCESSED, REJECTED or FAILED), as a subscriber would. On a
 * loaded machine (jest runs files side by side) the pipeline is slow, not stuck: keep waiting while completions
 * still arrive, and give up only once none has for `idleMs` (set it above the queue's visibility timeout, so a
 * message whose retry could not be rescheduled has its turn), naming the images without one and `context` (the
 * fault seed, say) so the run can be reproduced. Returns how long it waited, in ms, for the log.
 */
export async function allFinalEvents(
  collector: EventCollector,
  ids: string[],
  idleMs: number,
  context = '',
): Promise<number> {
  const started = Date.now();
  let lastArrival = started;
  let arrived = 0;
  for (;;) {
    const done = new Set(collector.events.filter((e) => FINAL_EVENTS.has(e.detailType)).map((e) => e.detail.imageId));
    const missing = ids.filter((id) => !done.has(id));
    if (missing.length === 0) return Date.now() - started;
    if (ids.length - missing.length > arrived) [arrived, lastArrival] = [ids.length - missing.length, Date.now()];
    if (Date.now() - lastArrival > idleMs) {
      throw new Error(
        `no completion event for ${idleMs / 1000} s (the last after ${(lastArrival - started) / 1000} s): ` +
          `${missing.length} of ${ids.length} images have none (${missing.join(', ')})${context ? `; ${context}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Each image's record, read through the API (once the faults are off). */
export function records(api: ImageApiClient, ids: string[]): Promise<(ImageView | undefined)[]> {
  return Promise.all(ids.map((id) => api.get(id)));
}

/**
 * The images among `ids` whose completion events are not all one event. At least once is the promise: a copy
 * published again (a retry that could not know the event was out) must be the same event, `eventId`, time and all,
 * so a subscriber drops it (docs/events.md); a second event of its own would be a duplicate nothing can tell apart.
 */
export function eventsThatDiffer(collector: EventCollector, ids: string[]): string[] {
  return ids.filter((id) => {
    const [first, ...copies] = collector.of(id).filter((e) => FINAL_EVENTS.has(e.detailType));
    if (!first) return false;
    return typeof first.detail.eventId !== 'string' || copies.some((copy) => !isDeepStrictEqual(copy, first));
  });
}

/** How many of `ids` have more than one completion event delivered (copies included), and how many have none. */
export function eventTally(collector: EventCollector, ids: string[]): { duplicated: number; lost: number } {
  const counts = ids.map((id) => collector.of(id).filter((e) => FINAL_EVENTS.has(e.detailType)).length);
  return { duplicated: counts.filter((n) => n > 1).length, lost: counts.filter((n) => n === 0).length };
}

/** Where the images stood at one moment, read straight from the emulator's table. */
export interface Snapshot {
  /** Final records whose `eventPending` flag is still set: the event may or may not have gone out. */
  inEventWindow: Set<string>;
  /** Final records with the flag cleared: their event is out, and a retry will not publish it again. */
  done: number;
}

/**
 * Read every image's record straight from moto. Used at the moment a runner dies or the endpoint goes away: an
 * image caught between writing its final record and clearing its `eventPending` flag is in the at-least-once
 * window. If its PutEvents had reached EventBridge (its answer lost, or the process gone before the flag was
 * cleared), the retry cannot know and publishes again: EventBridge has no idempotent put, so the retry publishes
 * the same event, with the same `eventId`, which subscribers dedupe on. Every other image must end with exactly one
 * event.
 */
export async function snapshot(emulatorEndpoint: string, table: string, ids: string[]): Promise<Snapshot> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: emulatorEndpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );
  const inEventWindow = new Set<string>();
  let done = 0;
  for (const imageId of ids) {
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: { imageId }, ConsistentRead: true }));
    if (Item?.eventPending) inEventWindow.add(imageId);
    else if (Item && Item.status !== 'PENDING') done += 1;
  }
  client.destroy();
  return { inEventWindow, done };
}
