/**
 * Which process-level suites (e2e, browser, resilience, docs: they reach the code through a runner process, so
 * `jest --changedSince` never selects them) check each room of the code, for `npm run test:changed`. A room is a
 * folder under `lambdas/`, plus `web` (the web app) and `docs` (the README and docs/, whose examples the docs suite
 * runs). A room with no entry yet (a new one) runs every such suite; `test/unit/test-rooms.test.ts` holds every
 * such suite in some entry.
 *
 * A room's list is the suites whose subject it is, and the ones that go through it on the way: a change to the core
 * runs the pipeline's and the quality suites, not every suite that uploads a photo. `npm test` still runs them all.
 */
export const ROOM_SUITES = {
  albums: [
    'e2e/albums.test.ts',
    'e2e/album-members.test.ts',
    'e2e/shares.test.ts',
    'e2e/save-shared.test.ts',
    'e2e/cli-albums.test.ts',
    'browser/albums.test.ts',
    'browser/album-members.test.ts',
  ],
  api: [
    'e2e/openapi.test.ts',
    'e2e/owners.test.ts',
    'resilience/permissions.test.ts',
    'resilience/hostile.test.ts',
    'browser/sign-in.test.ts',
    'browser/cross-site.test.ts',
    'e2e/cross-site.test.ts',
  ],
  backfill: [
    'e2e/backfill.test.ts',
    'e2e/backfill-again.test.ts',
    'e2e/backfill-api.test.ts',
    'e2e/backfill-newcomer.test.ts',
    'e2e/backfill-owners.test.ts',
    'resilience/lifecycle.test.ts',
    'browser/backfills.test.ts',
  ],
  cli: [
    'e2e/backfill-newcomer.test.ts',
    'e2e/cli-webhooks.test.ts',
    'e2e/cli-albums.test.ts',
    'e2e/cli-duplicates.test.ts',
    'docs/examples.test.ts',
    'e2e/parity.test.ts',
  ],
  core: [
    'e2e/pipeline.test.ts',
    'e2e/raw.test.ts',
    'e2e/quality.test.ts',
    'e2e/smoke.test.ts',
    'browser/quality.test.ts',
    'e2e/photo-keywords.test.ts',
    'e2e/formats.test.ts',
    'browser/formats.test.ts',
    'e2e/hdr-formats.test.ts',
    'e2e/motion.test.ts',
  ],
  duplicates: [
    'e2e/duplicates.test.ts',
    'browser/duplicates.test.ts',
    'e2e/cli-duplicates.test.ts',
    'e2e/openapi.test.ts',
    'resilience/permissions.test.ts',
  ],
  edge: ['e2e/public-renditions.test.ts'],
  events: ['e2e/pipeline.test.ts', 'e2e/webhooks.test.ts'],
  partners: [
    'e2e/partners.test.ts',
    'e2e/openapi.test.ts',
    'resilience/permissions.test.ts',
    'browser/partners.test.ts',
  ],
  provenance: [
    'browser/provenance.test.ts',
    'browser/provenance-policy.test.ts',
    'e2e/provenance-policy.test.ts',
    'e2e/provenance.test.ts',
  ],
  // The registry: the routes, and the processor's steps and the trash's cleanups read from the rooms.
  manifest: [
    'e2e/openapi.test.ts',
    'e2e/smoke.test.ts',
    'resilience/permissions.test.ts',
    'e2e/pipeline.test.ts',
    'e2e/trash.test.ts',
  ],
  images: [
    'e2e/timeline.test.ts',
    'e2e/edits.test.ts',
    'e2e/archive.test.ts',
    'e2e/locked.test.ts',
    'e2e/partners.test.ts',
    'e2e/photo-keywords.test.ts',
    'e2e/list-shards.test.ts',
    'e2e/smoke.test.ts',
    'browser/timeline.test.ts',
    'browser/bulk.test.ts',
    'browser/detail.test.ts',
    'browser/edits.test.ts',
    'browser/likely.test.ts',
    'e2e/rotation.test.ts',
    'browser/rotation.test.ts',
    'e2e/crop.test.ts',
    'browser/crop.test.ts',
  ],
  ingest: [
    'e2e/pipeline.test.ts',
    'e2e/smoke.test.ts',
    'e2e/reown.test.ts',
    'e2e/rotation.test.ts',
    'e2e/crop.test.ts',
    'resilience/lifecycle.test.ts',
  ],
  // The interfaces the rooms implement: a processor step (the pipeline) and an image's cleanup (the trash).
  kit: ['e2e/pipeline.test.ts', 'e2e/smoke.test.ts', 'e2e/trash.test.ts', 'e2e/motion.test.ts'],
  live: ['e2e/motion.test.ts', 'e2e/openapi.test.ts', 'resilience/permissions.test.ts'],
  locked: ['e2e/locked.test.ts', 'browser/locked.test.ts', 'resilience/permissions.test.ts'],
  local: [
    'e2e/smoke.test.ts',
    'e2e/cross-site.test.ts',
    'e2e/runner-webhooks.test.ts',
    'resilience/lifecycle.test.ts',
    'resilience/library.test.ts',
    'resilience/network-host.test.ts',
    'browser/web-app.test.ts',
    'docs/examples.test.ts',
  ],
  people: [
    'e2e/people.test.ts',
    // A resolve of duplicates carries the owner's word on a copy's faces through the people store.
    'e2e/duplicates.test.ts',
    'e2e/people-corrections.test.ts',
    'e2e/recluster.test.ts',
    'browser/people.test.ts',
    'browser/people-corrections.test.ts',
    'browser/face-assignment.test.ts',
  ],
  places: ['e2e/places.test.ts', 'browser/places.test.ts', 'browser/place-detail.test.ts'],
  policy: ['e2e/policy.test.ts', 'e2e/provenance-policy.test.ts', 'browser/provenance-policy.test.ts'],
  renditions: [
    'e2e/renditions.test.ts',
    'e2e/public-renditions.test.ts',
    'resilience/hostile-renditions.test.ts',
    'resilience/hostile-rendition-limits.test.ts',
    'e2e/rotation.test.ts',
    'e2e/crop.test.ts',
  ],
  search: [
    'e2e/search.test.ts',
    'e2e/found.test.ts',
    'e2e/similar.test.ts',
    'e2e/meaning.test.ts',
    'browser/found.test.ts',
    'browser/likely.test.ts',
    'e2e/provenance.test.ts',
    'e2e/photo-keywords.test.ts',
  ],
  settings: ['e2e/smoke.test.ts'],
  shares: ['e2e/shares.test.ts', 'e2e/save-shared.test.ts', 'browser/albums.test.ts', 'e2e/renditions.test.ts'],
  shared: ['e2e/smoke.test.ts'],
  stacks: ['e2e/stacks.test.ts', 'e2e/openapi.test.ts', 'resilience/permissions.test.ts', 'browser/stacks.test.ts'],
  store: [
    'e2e/pipeline.test.ts',
    'e2e/timeline.test.ts',
    'e2e/reown.test.ts',
    'e2e/locked.test.ts',
    'e2e/stacks.test.ts',
  ],
  trash: ['e2e/trash.test.ts'],
  types: ['e2e/smoke.test.ts'],
  vision: ['e2e/parity.test.ts', 'e2e/found.test.ts', 'e2e/formats.test.ts'],
  webhooks: [
    'e2e/webhooks.test.ts',
    'e2e/cli-webhooks.test.ts',
    'e2e/runner-webhooks.test.ts',
    'browser/webhooks.test.ts',
  ],
  web: [
    'browser/album-members.test.ts',
    'browser/albums.test.ts',
    'browser/archive.test.ts',
    'browser/backfills.test.ts',
    'browser/bulk.test.ts',
    'browser/crop.test.ts',
    'browser/cross-site.test.ts',
    'browser/detail.test.ts',
    'browser/duplicates.test.ts',
    'browser/edits.test.ts',
    'browser/face-assignment.test.ts',
    'browser/found.test.ts',
    'browser/likely.test.ts',
    'browser/locked.test.ts',
    'browser/partners.test.ts',
    'browser/people-corrections.test.ts',
    'browser/people.test.ts',
    'browser/place-detail.test.ts',
    'browser/places.test.ts',
    'browser/provenance-policy.test.ts',
    'browser/provenance.test.ts',
    'browser/quality.test.ts',
    'browser/rotation.test.ts',
    'browser/sign-in.test.ts',
    'browser/stacks.test.ts',
    'browser/timeline.test.ts',
    'browser/web-app.test.ts',
    'browser/webhooks.test.ts',
  ],
  docs: ['docs/examples.test.ts'],
} as const satisfies Record<string, readonly string[]>;

export type Room = keyof typeof ROOM_SUITES;

/** The layers whose suites start processes: what `jest --changedSince` cannot connect to the code they run. */
export const PROCESS_LAYERS = ['e2e', 'browser', 'resilience', 'docs'] as const;

/**
 * The room a changed file belongs to, if any: `lambdas/<room>/...`, `web/...`, and the README and docs/ (`docs`).
 * A process-level suite or its helpers changed is its own selection (`suitesFor`), not a room's.
 */
export function roomOf(file: string): Room | undefined {
  const [top, second] = file.split('/');
  if (top === 'lambdas' && second && second in ROOM_SUITES) return second as Room;
  if (top === 'web') return 'web';
  if (top === 'docs' || file === 'README.md') return 'docs';
  return undefined;
}

/**
 * The process-level suites (paths under test/) to run for these changed files: their rooms' suites, a changed
 * suite itself, and every suite of a layer whose shared helpers (`test/<layer>/` files that are not suites) changed.
 */
export function suitesFor(changed: readonly string[], allSuites: readonly string[]): string[] {
  const picked = new Set<string>();
  for (const file of changed) {
    const room = roomOf(file);
    if (room) for (const suite of ROOM_SUITES[room]) picked.add(suite);
    const [top, layer] = file.split('/');
    // A room the map has no entry for yet: everything.
    if (!room && top === 'lambdas' && file.split('/').length > 2) for (const suite of allSuites) picked.add(suite);
    if (top !== 'test' || !layer || !(PROCESS_LAYERS as readonly string[]).includes(layer)) continue;
    const suite = file.slice('test/'.length);
    if (allSuites.includes(suite)) picked.add(suite);
    else for (const other of allSuites.filter((s) => s.startsWith(`${layer}/`))) picked.add(other);
  }
  return [...picked].sort();
}
