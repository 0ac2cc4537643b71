import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DETAIL_SCHEMAS, DETAIL_TYPES, EVENT_CATALOGUE } from '../../../lambdas/manifest/events';
import { WEBHOOK_EVENT_TYPES } from '../../../lambdas/webhooks/schemas';

const ROOT = path.join(__dirname, '../../..');
const DOC = path.join(ROOT, 'docs/events.md');
const HEADER = ['| detail-type | when | `detail` adds |', '| --- | --- | --- |'];

/** The catalogue's table as docs/events.md shows it: one row per declaration, in its order. */
function catalogueTable(): string[] {
  return [...HEADER, ...EVENT_CATALOGUE.map((event) => `| \`${event.detailType}\` | ${event.when} | ${event.adds} |`)];
}

/** Where the table is in the page: its header, then every line that is a row. */
function tableIn(lines: string[]): { start: number; end: number } {
  const start = lines.indexOf(HEADER[0] as string);
  if (start < 0) throw new Error(`docs/events.md has no line ${HEADER[0]}`);
  let end = start;
  while (lines[end]?.startsWith('|')) end++;
  return { start, end };
}

/**
 * The events catalogue is made from the rooms' declarations (lambdas/<room>/events.ts, gathered by
 * lambdas/manifest/events.ts): after changing one, write the docs' table again with `npm run docs:events` (this test
 * with UPDATE_DOCS=1) and read the diff.
 */
describe('the events catalogue', () => {
  it('in docs/events.md is the declarations, row for row', () => {
    const lines = readFileSync(DOC, 'utf8').split('\n');
    const { start, end } = tableIn(lines);
    if (process.env.UPDATE_DOCS === '1') {
      lines.splice(start, end - start, ...catalogueTable());
      writeFileSync(DOC, lines.join('\n'));
    }
    const written = readFileSync(DOC, 'utf8').split('\n');
    const table = tableIn(written);
    expect(written.slice(table.start, table.end)).toEqual(catalogueTable());
  });

  it('declares each type once, by the room whose events.ts declares it, with a schema', () => {
    const types = EVENT_CATALOGUE.map((event) => event.detailType);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(EVENT_CATALOGUE.map((event) => event.key)).size).toBe(types.length);
    for (const event of EVENT_CATALOGUE) {
      expect(existsSync(path.join(ROOT, 'lambdas', event.room, 'events.ts'))).toBe(true);
      expect(DETAIL_SCHEMAS[event.detailType]).toBe(event.detail);
    }
    expect(Object.values(DETAIL_TYPES)).toEqual(types);
  });

  it('is in its declared order, each type at its own place, from 1', () => {
    expect(EVENT_CATALOGUE.map((event) => event.order)).toEqual(EVENT_CATALOGUE.map((_, i) => i + 1));
  });

  it("gathers every room's declarations (lambdas/<room>/events.ts)", () => {
    const declaring = readdirSync(path.join(ROOT, 'lambdas'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !['events', 'manifest'].includes(entry.name))
      .filter((entry) => existsSync(path.join(ROOT, 'lambdas', entry.name, 'events.ts')))
      .map((entry) => entry.name);
    expect([...new Set(EVENT_CATALOGUE.map((event) => event.room))].sort()).toEqual(declaring.sort());
  });

  it('is every type a webhook endpoint may take, in its order', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(EVENT_CATALOGUE.map((event) => event.detailType));
  });
});
