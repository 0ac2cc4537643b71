/**
 * What albums and share links cost per request, beside the pages users already open, from a real local run.
 *
 * Usage: `npm run bench:sharing` (= `npx tsx bench/sharing/main.ts`); a few minutes on 2 cores; no build needed (the
 * runner runs from this tree's sources). Writes bench/sharing/results.md and .json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { PRICES } from '../support/aws-assumptions';
import { thisTree } from '../support/baseline';
import { API_MEMORY_MB } from './cost';
import { measure } from './measure';
import { PAGE, sharingPlan } from './plan';
import { priced, renderMarkdown } from './report';

const ROOT = path.join(__dirname, '../..');

const count = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected an integer >= 1');
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const flags = new Command('npm run bench:sharing --')
    .description('Measure albums and share links per request on a local run, and price 1,000 of each.')
    .addOption(new Option('--photos <n>', 'photos uploaded first (at least 50)').default(60).argParser(count))
    .addOption(new Option('--requests <n>', 'requests of each operation').default(10).argParser(count))
    .parse(argv, { from: 'user' })
    .opts<{ photos: number; requests: number }>();
  if (flags.photos < PAGE) throw new InvalidArgumentError(`--photos: at least ${PAGE}, to fill a page`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const command = `npm run bench:sharing${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const loadBefore = loadAverages();
  const shares = existsSync(path.join(ROOT, 'lambdas/albums/functions/get-shared/route.ts'));
  if (!shares) log('no share routes in this tree: albums only');
  const run = await measure({
    photos: flags.photos,
    requests: flags.requests,
    plan: (ids) => sharingPlan(ids, shares),
    log,
  });
  const prices = priced(run);
  const date = new Date().toISOString();
  const input = {
    command,
    date,
    machine: describeMachine(),
    tree: thisTree(),
    load: { before: loadBefore, after: loadAverages() },
    photos: flags.photos,
    run,
    notes: [
      `Lambda: every API route's function has ${API_MEMORY_MB} MB (NodeFunction's default), so ${(API_MEMORY_MB / 1769).toFixed(3)} of a vCPU; ` +
        "billed time = the runner's CPU for the request / that share + the time its AWS calls took on moto (an upper " +
        "bound of DynamoDB's few ms in-Region; moto is a Python server on this shared machine). One vCPU of Graviton " +
        'taken as fast as one core here (bench/support/aws-assumptions.ts).',
      "Auth none: the deployed API's authorizer (Cognito, or the API key) runs in API Gateway, not in the function, " +
        'and costs nothing more; the public GET /shared/{token} has none.',
      'Presigned and signed URLs are made in the function (no AWS call); what a viewer then loads (renditions through ' +
        'CloudFront, docs/renditions.md) is not in these figures.',
      'A transaction prepares and commits each item: 2 write units per KB of each item in it. Index writes at the ' +
        "ordinary rate: a transaction's changes reach the indexes after it commits.",
      "Items larger than their unit (1 KB written, 4 KB read) would cost more; the sizes are the run's items.",
      `Prices: us-east-1 list prices (bench/support/aws-assumptions.ts).`,
    ],
  };
  const markdown = renderMarkdown(input, prices);
  writeFileSync(path.join(__dirname, 'results.md'), markdown);
  const jsonFile = path.join(__dirname, 'results.json');
  const rounded = (_: string, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(6)) : value;
  const json = { ...input, prices: PRICES, apiMemoryMb: API_MEMORY_MB, costs: prices };
  writeFileSync(jsonFile, `${JSON.stringify(json, rounded, 2)}\n`);
  spawnSync(path.join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', jsonFile], { stdio: 'ignore' });
  process.stdout.write(`${markdown}\nwrote bench/sharing/results.md and bench/sharing/results.json\n`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
