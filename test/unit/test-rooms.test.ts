import { readdirSync } from 'node:fs';
import path from 'node:path';
import { processSuites } from '../support/changed/main';
import { ROOM_SUITES, roomOf, suitesFor } from '../support/changed/rooms';

/*
 * Issue 58: `npm run test:changed` picks the process-level suites of the rooms a change touched from a declared map
 * (test/support/changed/rooms.ts). Every suite that starts a process is in it, nothing it names is missing, and a room
 * it has no entry for yet (a new one) runs every such suite: the map can only make a run shorter, never skip a check.
 */

const ROOT = path.join(__dirname, '../..');
const suites = processSuites(ROOT);
const mapped = new Set<string>(Object.values(ROOM_SUITES).flat());

it('names only rooms of the code, and runs every suite for a room it has no entry for', () => {
  const rooms = readdirSync(path.join(ROOT, 'lambdas'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  expect(Object.keys(ROOM_SUITES).filter((room) => !['web', 'docs', ...rooms].includes(room))).toEqual([]);
  expect(Object.keys(ROOM_SUITES)).toEqual(expect.arrayContaining(['web', 'docs']));
  expect(roomOf('lambdas/trial/room.ts')).toBeUndefined();
  expect(suitesFor(['lambdas/trial/room.ts'], suites)).toEqual([...suites].sort());
});

it('puts every e2e, browser, resilience and docs suite in some room, and names none that is gone', () => {
  expect(suites.length).toBeGreaterThan(40);
  expect(suites.filter((suite) => !mapped.has(suite))).toEqual([]);
  expect([...mapped].filter((suite) => !suites.includes(suite))).toEqual([]);
});

it("runs a room's e2e and browser suites for a one-file change in it", () => {
  expect(roomOf('lambdas/places/name-place.ts')).toBe('places');
  expect(suitesFor(['lambdas/places/name-place.ts'], suites)).toEqual([
    'browser/place-detail.test.ts',
    'browser/places.test.ts',
    'e2e/places.test.ts',
  ]);
});

it('runs a changed suite itself, and every suite of a layer whose helpers changed', () => {
  expect(suitesFor(['test/e2e/trash.test.ts', 'lib/stack.ts', 'bench/core/main.ts'], suites)).toEqual([
    'e2e/trash.test.ts',
  ]);
  const helpers = suitesFor(['test/browser/browser.ts'], suites);
  expect(helpers).toEqual(suites.filter((suite) => suite.startsWith('browser/')));
  expect(suitesFor(['README.md', 'web/src/main.ts'], suites)).toEqual(
    [...new Set(['docs/examples.test.ts', ...ROOM_SUITES.web])].sort(),
  );
});
