/** Renders a bench/sharing run as markdown (printed and written to bench/sharing/results.md). */
import { table } from '../../test/support/markdown';
import { median } from '../../test/support/stats';
import { type CostLine, costPer1000 } from './cost';
import type { MeasureRun, OperationRun } from './measure';
import { PAGE, PER_IMAGE } from './plan';

export interface ReportInput {
  command: string;
  date: string;
  machine: string;
  tree: string;
  load: { before: string; after: string };
  photos: number;
  run: MeasureRun;
  notes: string[];
}

export interface Priced {
  name: string;
  usd: number;
  /** Per 1,000 images, for an operation on PAGE images a request. */
  usdPerImage?: number;
  lines: CostLine[];
}

const num = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (value: number) => (value >= 0.01 ? value.toFixed(4) : value.toPrecision(2));

/** Calls per request, `GetItem 1, Query 1`, grouped by service. */
export function callsLine(calls: Record<string, number>): string {
  return (
    Object.entries(calls)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([api, count]) => `${api.replace(/^dynamodb\./, 'ddb.')} ${num(count, count % 1 ? 2 : 0)}`)
      .join(', ') || 'none'
  );
}

/** What 1,000 requests of each operation cost. */
export function priced(run: MeasureRun): Priced[] {
  return run.operations.map((op) => {
    const { lines, usd: total } = costPer1000({
      calls: op.calls,
      cpuMs: op.cpuMs,
      awsMs: median(op.awsMs),
      writeUnits: op.writes.tableUnits + op.writes.indexUnits,
      readUnits: op.readUnits,
    });
    return { name: op.name, usd: total, ...(PER_IMAGE.includes(op.name) && { usdPerImage: total / PAGE }), lines };
  });
}

function measuredTable(ops: readonly OperationRun[]): string {
  return table(
    [
      'operation (per request)',
      'items on the page',
      'wall ms, median (moto)',
      'on AWS ms, median',
      'runner CPU ms',
      'AWS calls',
      'WRU: table + indexes',
      'items written (in a transaction)',
      'RRU',
    ],
    ops.map((op) => [
      op.name,
      op.pageItems ? num(op.pageItems) : '',
      num(median(op.ms), 1),
      num(median(op.awsMs), 1),
      num(op.cpuMs, 1),
      callsLine(op.calls),
      `${num(op.writes.tableUnits, 1)} + ${num(op.writes.indexUnits, 1)} = ${num(op.writes.tableUnits + op.writes.indexUnits, 1)}`,
      op.writes.items ? `${num(op.writes.items, 1)} (${num(op.writes.transactional, 1)})` : '0',
      num(op.readUnits, 1),
    ]),
  );
}

function placesTable(ops: readonly OperationRun[]): string {
  const place = (units: Record<string, number>) =>
    Object.entries(units)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([where, value]) => `${where} ${num(value, 1)}`)
      .join(', ') || 'none';
  return table(
    ['operation', 'write units by table / index', 'read units by table / index'],
    ops.map((op) => [op.name, place(op.writes.byPlace), place(op.readsByPlace)]),
  );
}

/** The operations that scanned a table, if any (none should: every list is a Query by key). */
function scans(ops: readonly OperationRun[]): string {
  const some = ops.filter((op) => (op.calls['dynamodb.Scan'] ?? 0) > 0).map((op) => op.name);
  return some.length > 0 ? `**${some.join(', ')}**` : 'none';
}

/** A warning when a request wrote a table the bench does not read back, whose units are then a guess. */
function unsnapshotted(ops: readonly OperationRun[]): string {
  const some = ops.filter((op) => op.unsnapshotted > 0);
  if (some.length === 0) return '';
  const list = some.map((op) => `${op.name} (${num(op.unsnapshotted, 1)})`).join(', ');
  return `**Writes to tables not read back, sized by their key alone (units too low):** ${list}.\n\n`;
}

function followOnLine(ops: readonly OperationRun[]): string {
  const lines = ops
    .filter((op) => Object.keys(op.followOn).length > 0)
    .map((op) => `${op.name}: ${callsLine(op.followOn)}`);
  return lines.length > 0 ? lines.join('; ') : 'none';
}

function costTable(prices: readonly Priced[]): string {
  return table(
    ['operation', 'USD per 1,000 requests', 'per 1,000 images', 'of which DynamoDB', 'of which Lambda compute'],
    prices.map((p) => [
      p.name,
      usd(p.usd),
      p.usdPerImage === undefined ? '' : usd(p.usdPerImage * 1000),
      usd(p.lines.find((l) => l.item === 'DynamoDB on demand')?.usd ?? 0),
      usd(p.lines.find((l) => l.item === 'Lambda compute')?.usd ?? 0),
    ]),
  );
}

function arithmetic(prices: readonly Priced[]): string {
  return prices
    .map(
      (p) =>
        `- **${p.name}**: ${p.lines.map((l) => `${l.item} ${l.arithmetic} = ${usd(l.usd)}`).join('; ')}; total ${usd(p.usd)}`,
    )
    .join('\n');
}

export function renderMarkdown(input: ReportInput, prices: readonly Priced[]): string {
  const { run } = input;
  const idle = callsLine(run.idleCalls);
  return `# Albums and share links: what each request costs

Made by \`${input.command}\` on ${input.date.slice(0, 10)} (${input.date}), tree ${input.tree}.
Machine: ${input.machine}; load average before ${input.load.before}, after ${input.load.after}; ${num(run.wallS)} s.
Emulator: ${run.emulator}, behind the counting proxy (no faults); the local runner from this tree's sources,
\`--auth none\`, inference none; ${input.photos} photos of 640 px uploaded and processed first; each operation
${run.operations[0]?.requests ?? 0} times, one request at a time, after one warm-up request of each route.

## Per request

${measuredTable(run.operations)}

Write units: each item written, 1 per KB of the larger of its sizes before and after, twice in a transaction; each
index write at its entry's size. Read units: 1 per 4 KB (half eventually consistent) of each item read by key, and of
all the items a Query read together. Runner CPU: the runner process's, less its idle use over the same time
(${num(run.idleCpuMsPerS, 1)} ms a second). Scans in any request: ${scans(run.operations)}. Calls seen while idle (left out of every request): ${idle}; the pollers'
\`sqs.ReceiveMessage\` is always left out. The webhooks' fan-out of an event a route sent (its consumer's calls,
with webhooks on by default), left out of the route's figures and priced in docs/costs.md#webhooks:
${followOnLine(run.operations)}.

${unsnapshotted(run.operations)}## DynamoDB units by table and index

${placesTable(run.operations)}

## What 1,000 cost (us-east-1 list prices)

${costTable(prices)}

${arithmetic(prices)}

## Notes

${input.notes.map((note) => `- ${note}`).join('\n')}
`;
}
