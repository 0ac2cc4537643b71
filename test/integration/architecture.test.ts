import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

/**
 * The floors of lambdas/ are kept by dependency-cruiser (.dependency-cruiser.cjs), run over the real tree by
 * `npm run lint`. This checks the rules themselves: a tree that breaks each one, written to a temporary folder,
 * must be refused for exactly that reason, and a tree that keeps them must pass. A rule that cannot fail would
 * let the next circle in unnoticed.
 */
const ROOT = path.resolve(__dirname, '../..');
const CRUISER = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** Writes `files` (path to source) into a fresh folder and cruises it with the project's rules. */
async function violationsOf(files: Record<string, string>): Promise<Violation[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'floors-'));
  try {
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true } }));
    for (const [file, source] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), source);
    }
    const roots = [...new Set(Object.keys(files).map((file) => file.split('/')[0] as string))];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CRUISER, ...roots, '--config', CONFIG, '--output-type', 'json'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files that keep every rule: downward imports, a function reading another room's function's contract. */
const KEEPING = {
  'lambdas/core/vocabulary.ts': 'export const a = 1;\n',
  'lambdas/core/analysis/a.ts': "import { a } from '../vocabulary';\nexport const b = a;\n",
  'lambdas/core/render/r.ts': "import { b } from '../analysis/a';\nexport const r = b;\n",
  'lambdas/settings/s.ts': "import { a } from '../core/vocabulary';\nexport const s = a;\n",
  'lambdas/store/keys.ts': "import { s } from '../settings/s';\nexport const t = s;\n",
  'lambdas/people/functions/f/contract.ts': "import { t } from '../../../store/keys';\nexport const c = t;\n",
  'lambdas/images/functions/g/handler.ts':
    "import { c } from '../../../people/functions/f/contract';\nexport const h = c;\n",
  'lambdas/local/l.ts': "import { h } from '../images/functions/g/handler';\nexport const l = h;\n",
  'lambdas/vision/v.ts': 'export const v = 1;\n',
  'lambdas/types/y.ts': 'export const y = 1;\n',
  'lambdas/store/z.ts': 'export const z = 1;\n',
  'lib/stack.ts': 'export const k = 1;\n',
  'lambdas/api/p.ts': 'export const p = 1;\n',
  'lambdas/renditions/r.ts': 'export const r = 1;\n',
  'lambdas/search/filters.ts': 'export const FILTERS = [];\n',
  // The registry lists the rooms; the runner reads it.
  'lambdas/manifest/rooms.ts': "import { c } from '../people/functions/f/contract';\nexport const ROOMS = [c];\n",
  'lambdas/local/rooms.ts': "import { ROOMS } from '../manifest/rooms';\nexport const n = ROOMS.length;\n",
  // A new room, on no floor yet: it stands on the kit. Its manifest names its step's runtime lazily, and the
  // registry hands an entry point the rooms' cleanups.
  'lambdas/kit/room.ts': 'export interface RoomManifest { steps?: unknown[] }\n',
  'lambdas/trial/trial.ts': "import type { RoomManifest } from '../kit/room';\nexport type T = RoomManifest;\n",
  'lambdas/trial/steps/trial.ts': 'export const trialStep = { name: "trial" };\n',
  'lambdas/trial/room.ts':
    "export const TRIAL_ROOM = { steps: [() => (require('./steps/trial') as typeof import('./steps/trial')).trialStep] };\n",
  'lambdas/manifest/cleanups.ts': 'export const openCleanups = () => [];\n',
  'lambdas/trash/functions/delete-image/handler.ts':
    "import { openCleanups } from '../../../manifest/cleanups';\nexport const cleanups = openCleanups();\n",
  // The partners stand above the albums; the images' list and read entry points are handed their reads alone.
  'lambdas/partners/partner-reads.ts': "import { g } from './grants';\nexport const PartnerReads = g;\n",
  'lambdas/partners/grants.ts': 'export const g = 1;\n',
  'lambdas/images/functions/list-images/handler.ts':
    "import { PartnerReads } from '../../../partners/partner-reads';\nexport const h = PartnerReads;\n",
  // A route is a description: its use case reads it, never the other way round.
  'lambdas/images/functions/get-image/route.ts': 'export const Schema = 1;\n',
  'lambdas/images/functions/get-image/get-image.ts':
    "import { Schema } from './route';\nexport const getImage = () => Schema;\n",
  // A room declares its events on the events floor; the registry gathers them, and the webhooks read the catalogue.
  'lambdas/events/declare.ts': 'export const declareEvents = <E>(events: E) => events;\n',
  'lambdas/trash/events.ts':
    "import { declareEvents } from '../events/declare';\nexport const TRASH_EVENTS = declareEvents({ deleted: 1 });\n",
  'lambdas/manifest/events.ts':
    "import { TRASH_EVENTS } from '../trash/events';\nexport const EVENT_CATALOGUE = [TRASH_EVENTS];\n",
  'lambdas/webhooks/schemas.ts':
    "import { EVENT_CATALOGUE } from '../manifest/events';\nexport const TYPES = EVENT_CATALOGUE;\n",
  // The web app: plain data at run time, an answer's schema as a type.
  'web/src/app.ts':
    "import { FILTERS } from '../../lambdas/search/filters';\n" +
    "import type { Schema } from '../../lambdas/images/functions/get-image/route';\n" +
    'export const app: typeof Schema | typeof FILTERS = FILTERS;\n',
};

/** The other half of the circle below: dependency-cruiser reports a circle once, from where it starts. */
const CIRCLE_PARTNER = { 'lambdas/store/y.ts': "import type { X } from './x';\nexport interface Y { x?: X }\n" };

/**
 * Files that each break one rule, with the rule they break; or, where the floors' own rules refuse it too, the rules
 * that do.
 */
const BREAKING: Record<string, [rule: string | readonly string[], source: string]> = {
  'lambdas/store/x.ts': ['no-circular', "import type { Y } from './y';\nexport interface X { y?: Y }\n"],
  'lambdas/core/up.ts': ['core-floor', "import { k } from '../../lib/stack';\nexport const u = k;\n"],
  // The record's vocabulary reading the analysis: every description would load sharp with it.
  'lambdas/core/words.ts': [
    'core-vocabulary-below-its-jobs',
    "import { b } from './analysis/a';\nexport const w = b;\n",
  ],
  'lambdas/core/analysis/up.ts': [
    'analysis-below-rendering',
    "import { r } from '../render/r';\nexport const u = r;\n",
  ],
  'lambdas/settings/up.ts': ['settings-floor', "import { y } from '../types/y';\nexport const u = y;\n"],
  // The interfaces a room implements reading anything but the record and the settings: every room would load it.
  'lambdas/kit/up.ts': ['kit-floor', "import { k } from '../../lib/stack';\nexport const u = k;\n"],
  // The trash's function naming a room that keeps data about an image: that room's cleanup belongs in the registry.
  'lambdas/trash/functions/f/handler.ts': [
    'trash-names-no-room',
    "import { c } from '../../../people/functions/f/contract';\nexport const u = c;\n",
  ],
  // The events floor naming an event (as its central catalogue did): a new event type would edit a floor again.
  'lambdas/events/catalogue.ts': [
    ['floors-name-no-event', 'events-floor', 'no-import-up-from-events'],
    "import { TRASH_EVENTS } from '../trash/events';\nexport const EVENT_CATALOGUE = [TRASH_EVENTS];\n",
  ],
  // The kit typing its ports by the union of every event: the floors would stand on the rooms.
  'lambdas/kit/published.ts': [
    ['floors-name-no-event', 'kit-floor', 'only-the-top-reads-the-registry'],
    "import type { EVENT_CATALOGUE } from '../manifest/events';\nexport type E = typeof EVENT_CATALOGUE;\n",
  ],
  'lambdas/store/up.ts': ['store-floor', "import { y } from '../types/y';\nexport const u = y;\n"],
  'lambdas/search/up.ts': ['search-floor', "import { p } from '../api/p';\nexport const u = p;\n"],
  'lambdas/places/up.ts': ['places-floor', "import { s } from '../settings/s';\nexport const u = s;\n"],
  'lambdas/images/functions/f/up.ts': [
    'functions-stay-apart',
    "import { h } from '../g/handler';\nexport const u = h;\n",
  ],
  // A room's function reading a route of a room above it: the two rooms would import each other.
  'lambdas/people/functions/f/handler.ts': [
    'no-import-up-from-people',
    "import { Schema } from '../../../images/functions/get-image/route';\nexport const u = Schema;\n",
  ],
  // The way up is an entry point's, to the partners' reads alone: not a use case's, not to another module.
  'lambdas/images/functions/list-images/list-images.ts': [
    'no-import-up-from-images',
    "import { PartnerReads } from '../../../partners/partner-reads';\nexport const u = PartnerReads;\n",
  ],
  'lambdas/images/functions/get-image/handler.ts': [
    'no-import-up-from-images-entry-points',
    "import { g } from '../../../partners/grants';\nexport const u = g;\n",
  ],
  // A room's manifest reading the registry: the list of rooms and the room would import each other.
  'lambdas/places/room.ts': [
    'only-the-top-reads-the-registry',
    "import { ROOMS } from '../manifest/rooms';\nexport const PLACES_ROOM = { rooms: ROOMS.length };\n",
  ],
  // A new room reading a room on a floor: give it a floor first, or two rooms could import each other.
  'lambdas/trial/up.ts': [
    'a-new-room-stands-on-the-kit',
    "import { r } from '../renditions/r';\nexport const u = r;\n",
  ],
  // A room on a floor reading a new room.
  'lambdas/images/trial.ts': [
    'no-room-imports-a-new-room',
    "import type { T } from '../trial/trial';\nexport const u: T = {};\n",
  ],
  // A room's manifest importing a runtime (not lazily): the stack, which reads every manifest, would load it.
  'lambdas/people/room.ts': [
    'room-manifests-load-runtimes-lazily',
    "import { u } from './up';\nexport const PEOPLE_ROOM = { steps: [u] };\n",
  ],
  // An entry point reading the registry beyond the runtimes it is handed.
  'lambdas/images/functions/g2/handler.ts': [
    'entry-points-take-the-registry-runtimes',
    "import { ROOMS } from '../../../manifest/rooms';\nexport const u = ROOMS;\n",
  ],
  'lambdas/images/functions/f/runner.ts': [
    'functions-on-top-of-the-rooms',
    "import { l } from '../../../local/l';\nexport const u = l;\n",
  ],
  'lambdas/people/up.ts': [
    'rooms-below-their-functions',
    "import { c } from './functions/f/contract';\nexport const u = c;\n",
  ],
  // A route's description reading a store: the stack, which reads every route, would load the runtime.
  'lambdas/images/functions/f/route.ts': [
    'descriptions-import-descriptions',
    "import { z } from '../../../store/z';\nexport const Schema = z;\n",
  ],
  // The stack reading a store: it would load the runtime at synth.
  'lib/reads.ts': ['stack-reads-descriptions', "import { z } from '../lambdas/store/z';\nexport const r = z;\n"],
  'web/src/bundles.ts': [
    'web-app-bundles-plain-data-only',
    "import { Schema } from '../../lambdas/images/functions/get-image/route';\nexport const w = Schema;\n",
  ],
  'lambdas/search/vocabulary.ts': [
    'bundled-filters-stay-plain',
    "import { t } from '../store/keys';\nexport const TERM_FIELDS = [t];\n",
  ],
  'web/src/peeks.ts': [
    'web-app-types-from-the-contracts',
    "import type { getImage } from '../../lambdas/images/functions/get-image/get-image';\nexport type W = typeof getImage;\n",
  ],
};

describe('the floors of lambdas/', () => {
  it('refuse each file that breaks a rule, for that rule, and nothing else', async () => {
    const sources = Object.fromEntries(Object.entries(BREAKING).map(([file, [, source]]) => [file, source]));
    const violations = await violationsOf({ ...KEEPING, ...CIRCLE_PARTNER, ...sources });
    const found = violations.map((violation) => `${violation.from} ${violation.rule.name}`);
    const expected = Object.entries(BREAKING).flatMap(([file, [rules]]) =>
      (typeof rules === 'string' ? [rules] : rules).map((rule) => `${file} ${rule}`),
    );
    expect([...new Set(found)].sort()).toEqual(expected.sort());
  });

  it('let the same tree through once the breaking files are gone', async () => {
    expect(await violationsOf(KEEPING)).toEqual([]);
  });
});
