/**
 * Sustained load on the offline pipeline: uploads at a steady rate, then a burst, through the API and presigned
 * POSTs of a local runner; every upload accounted for, latency to its completion event, runner memory.
 *
 * Usage: `npm run load -- --uploads 1000 --rate 2.5 --burst 200 [--inference none|offline] [--out bench/load/results.md]`
 * (= `npx tsx bench/load/main.ts ...`). Writes the markdown and a .json beside it (summary plus every sample).
 * Nothing else should run on the machine meanwhile; the results note its load before and after.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { renderMarkdown, renderText, resultsJson, summarise } from '../../test/support/load/report';
import { runLoad } from '../../test/support/load/run';

const number = (min: number, integer: boolean) => (value: string) => {
  const parsed = Number(value);
  if (Number.isNaN(parsed) || parsed < min || (integer && !Number.isInteger(parsed))) {
    throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return parsed;
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('npm run load --')
    .description('Sustained load on the local pipeline (moto): a steady rate of uploads, then a burst.')
    .addOption(new Option('--uploads <n>', 'uploads in all').default(1000).argParser(number(1, true)))
    .addOption(
      new Option('--rate <n>', 'uploads per second in the steady phase').default(2.5).argParser(number(0.1, false)),
    )
    .addOption(new Option('--burst <n>', 'the last uploads, sent at once').default(200).argParser(number(0, true)))
    .addOption(new Option('--burst-concurrency <n>', 'burst uploads in flight').default(32).argParser(number(1, true)))
    .addOption(new Option('--inference <mode>', 'the runner inference').choices(['none', 'offline']).default('none'))
    .addOption(new Option('--concurrency <n>', 'runner SQS batches at once').default(2).argParser(number(1, true)))
    .option('--out <file>', 'markdown results (a .json is written beside it)', 'bench/load/results.md')
    .parse(argv, { from: 'user' });
  const flags = program.opts<{
    uploads: number;
    rate: number;
    burst: number;
    burstConcurrency: number;
    inference: 'none' | 'offline';
    concurrency: number;
    out: string;
  }>();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const run = await runLoad({ ...flags, log });
  const summary = summarise(run, `npx tsx bench/load/main.ts ${argv.join(' ')}`.trim());
  writeFileSync(flags.out, renderMarkdown(summary));
  const json = flags.out.replace(/(\.md)?$/, '.json');
  writeFileSync(json, resultsJson(summary, run));
  process.stdout.write(`${renderText(summary)}\nwrote ${flags.out} and ${json}\n`);
  const sound = summary.lost === 0 && summary.duplicated === 0 && summary.uploadErrors === 0 && summary.accountedFor;
  process.exitCode = sound ? 0 : 1;
}

main(process.argv.slice(2)).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
