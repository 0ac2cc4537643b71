/**
 * The fuzz runner (`npm run fuzz -- ...`). See test/fuzz/README.md.
 *
 * 1. Build the seed corpus for the chosen formats.
 * 2. For each iteration (until --iterations or --seconds runs out), generate the input for (seed, iteration) and
 *    run it in a sandboxed child: bounded in time and memory, restarted after a crash.
 * 3. Tally the outcomes; save each failing input (a few per distinct failure) with how it was made.
 * 4. Print the summary; exit 1 if anything failed.
 *
 *   npx tsx test/fuzz/run.ts --iterations 20000 --seed 7 [--seconds 1200] [--format jpeg,png] [--jobs 2]
 *   npx tsx test/fuzz/run.ts --seed 7 --only 1234 [--save]   rebuild and run one input
 *   npx tsx test/fuzz/run.ts --replay test/fixtures/fuzz/png-s7-i1234.png ...
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Corpus, type FuzzCase, generate, loadCorpus } from './engine';
import { FINDINGS_DIR, FindingWriter, writeCase } from './findings';
import { describeVerdict, FUZZ_ANALYZE_OPTIONS, isFinding } from './judge';
import { FUZZ_FORMATS, type FuzzFormat } from './mutation';
import { type CaseResult, Sandbox } from './sandbox';
import { Stats } from './stats';

const USAGE = `Usage: npm run fuzz -- [options]          (or npx tsx test/fuzz/run.ts [options])
  --iterations N    inputs to run (default 1000, or no limit when --seconds is given)
  --seconds T       start no new input after T seconds
  --seed S          the run's seed (default random; the summary prints it)
  --start I         first iteration (default 0)
  --format LIST     formats to fuzz, comma-separated (default jpeg,png,webp,gif,tiff,avif,heic)
  --jobs J          child processes side by side (default 1)
  --timeout-ms MS   per-input time bound (default 10000)
  --max-rss-mb MB   resident memory bound per child (default 1024, half the processor Lambda's)
  --out DIR         where failing inputs are written (default test/fixtures/fuzz)
  --keep K          inputs written per distinct failure (default 3)
  --discard         write nothing
  --only I          rebuild iteration I of --seed (and --format) and run it; --save writes it to --out
  --replay FILE...  run saved inputs`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    iterations: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string', default: '0' },
    format: { type: 'string' },
    jobs: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '10000' },
    'max-rss-mb': { type: 'string', default: '1024' },
    out: { type: 'string', default: FINDINGS_DIR },
    keep: { type: 'string', default: '3' },
    discard: { type: 'boolean', default: false },
    only: { type: 'string' },
    save: { type: 'boolean', default: false },
    replay: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return parsed;
}

function formats(list: string | undefined): FuzzFormat[] {
  if (!list) return [...FUZZ_FORMATS];
  const wanted = list.split(',').map((f) => (f.trim() === 'jpg' ? 'jpeg' : f.trim()));
  const unknown = wanted.filter((f) => !(FUZZ_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) throw new Error(`unknown format ${unknown.join(', ')}; use ${FUZZ_FORMATS.join(',')}`);
  return wanted as FuzzFormat[];
}

const sandboxOptions = () => ({
  timeoutMs: number('timeout-ms', values['timeout-ms']),
  maxRssMb: number('max-rss-mb', values['max-rss-mb']),
  analyzeOptions: FUZZ_ANALYZE_OPTIONS,
});

const label = (fuzzCase: FuzzCase): string => `${fuzzCase.format} s${fuzzCase.seed} i${fuzzCase.iteration}`;

async function replay(files: string[]): Promise<number> {
  const sandbox = new Sandbox(sandboxOptions());
  let failures = 0;
  try {
    for (const file of files) {
      const result = await sandbox.run(readFileSync(file));
      if (isFinding(result.verdict)) failures++;
      console.log(
        `${file}: ${describeVerdict(result.verdict)} in ${Math.round(result.ms)} ms, ${result.peakRssMb} MiB`,
      );
    }
  } finally {
    sandbox.close();
  }
  return failures > 0 ? 1 : 0;
}

async function only(corpus: Corpus, seed: number, iteration: number): Promise<number> {
  const fuzzCase = generate(corpus, seed, iteration);
  const sandbox = new Sandbox(sandboxOptions());
  try {
    const result = await sandbox.run(fuzzCase.bytes);
    console.log(
      `${label(fuzzCase)} from ${fuzzCase.base} (${fuzzCase.bytes.length} B): ${fuzzCase.mutations.join(' | ')}`,
    );
    console.log(`${describeVerdict(result.verdict)} in ${Math.round(result.ms)} ms, ${result.peakRssMb} MiB`);
    if (values.save) console.log(`saved ${writeCase(values.out, fuzzCase, result.verdict, result.ms)}`);
    return isFinding(result.verdict) ? 1 : 0;
  } finally {
    sandbox.close();
  }
}

async function campaign(corpus: Corpus, seed: number): Promise<number> {
  const seconds = number('seconds', values.seconds);
  const iterations = number('iterations', values.iterations) ?? (seconds === undefined ? 1000 : Infinity);
  const first = number('start', values.start) ?? 0;
  const jobs = Math.max(1, number('jobs', values.jobs) ?? 1);
  const deadline = seconds === undefined ? Infinity : performance.now() + seconds * 1000;
  const stats = new Stats();
  const writer = new FindingWriter(values.out, number('keep', values.keep));
  const sandboxes = Array.from({ length: jobs }, () => new Sandbox(sandboxOptions()));
  const started = performance.now();
  let next = first;
  let residentEarly = 0;
  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    process.stderr.write(
      `[${elapsed.toFixed(0)} s] ${stats.inputs} inputs, ${(stats.inputs / elapsed).toFixed(1)}/s, ${stats.findingCount} findings\n`,
    );
  }, 15_000);
  const record = (fuzzCase: FuzzCase, result: CaseResult) => {
    stats.add(fuzzCase.format, label(fuzzCase), result);
    if (!isFinding(result.verdict)) return;
    const saved = values.discard ? undefined : writer.save(fuzzCase, result.verdict, result.ms);
    console.log(`FINDING ${label(fuzzCase)}: ${describeVerdict(result.verdict)}${saved ? ` -> ${saved}` : ''}`);
  };
  await Promise.all(
    sandboxes.map(async (sandbox) => {
      while (next < first + iterations && performance.now() < deadline) {
        const fuzzCase = generate(corpus, seed, next++);
        record(fuzzCase, await sandbox.run(fuzzCase.bytes));
        if (stats.inputs === 100) residentEarly = sandbox.residentMb();
      }
    }),
  );
  clearInterval(progress);
  const residentEnd = Math.max(...sandboxes.map((sandbox) => sandbox.residentMb()));
  for (const sandbox of sandboxes) sandbox.close();
  const restarts = sandboxes.reduce((sum, sandbox) => sum + sandbox.restarts, 0);
  const header = `seed ${seed}, iterations ${first}..${next - 1}, formats ${corpus.formats.join(',')}, ${jobs} child${jobs > 1 ? 'ren' : ''}`;
  const extra = [
    `child RSS  ${residentEarly} MiB after 100 inputs, ${residentEnd} MiB at the end; ${restarts} restarts`,
    ...writer.signatures().map(([signature, count]) => `finding    x${count} ${signature}`),
  ];
  console.log(stats.summary(header, (performance.now() - started) / 1000, extra));
  return stats.findingCount > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.replay) return replay(positionals);
  const seed = number('seed', values.seed) ?? Math.floor(Math.random() * 2 ** 31);
  const corpus = loadCorpus(formats(values.format));
  const iteration = number('only', values.only);
  return iteration === undefined ? campaign(corpus, seed) : only(corpus, seed, iteration);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
