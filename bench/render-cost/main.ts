/**
 * The render work model (lambdas/core/render/render-cost.ts) measured and checked: `npm run bench:render-cost`
 * (= `npx tsx bench/render-cost/main.ts`). About 10 minutes on 2 cores; nothing else should run meanwhile.
 *
 * 1. Calibrate: each part's CPU ms per megapixel on noise, one libvips thread (calibrate.ts), beside the rate the
 *    model holds, so a stale rate shows.
 * 2. Validate: real renders of typical and large specs from 12 MP photos (the renditions corpus), 12 MP noise and a
 *    100 MP 16-bit PNG, each with the model's estimate, its CPU on one thread and its wall time on every core
 *    (validate.ts); specs over the default budget are listed with their estimate and not rendered.
 * Writes bench/render-cost/results.md and results.json.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { along, COST_RATES } from '../../lambdas/core/render/render-cost';
import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { describeMachine, loadAverages } from '../../test/support/machine';
import { table } from '../../test/support/markdown';
import { ensureRenditionsCorpus } from '../renditions/corpus';
import { calibrate, NOISE_SIDE, type Rate } from './calibrate';
import { type Check, fileSource, hostileSources, type Source, validate } from './validate';

const COMMAND = 'npm run bench:render-cost';
const HERE = __dirname;
/** The render function's timeout (lib/constructs/renditions.ts). */
const FUNCTION_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const log = (line: string) => console.log(line);
  const budgetMs = DEFAULT_SETTINGS.renditionBudgetMs;
  log('calibrating (CPU ms per megapixel, one thread, noise)');
  const rates = await calibrate(log);
  log('building or reusing the renditions corpus');
  const corpus = await ensureRenditionsCorpus(1, log);
  const photos: Source[] = [];
  for (const original of corpus.originals.filter((o) => ['jpeg-baseline', 'png', 'avif'].includes(o.format))) {
    photos.push(await fileSource(`12 MP photo, ${original.format}`, original.file));
  }
  log(`validating against renders (default budget ${budgetMs} ms)`);
  const checks = await validate([...photos, ...(await hostileSources())], budgetMs, log);
  const markdown = report(rates, checks, budgetMs);
  writeFileSync(path.join(HERE, 'results.md'), markdown);
  writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify({ budgetMs, rates, checks }, null, 2)}\n`);
  log(markdown);
}

/** The rate the model holds for a measured part, read as render-cost.ts reads it. */
function modelRate(rate: Rate): number | undefined {
  const [kind, name] = rate.part.split(' ') as [string, string | undefined];
  const pick = (value: number | readonly (readonly [number, number])[]) =>
    typeof value === 'number' ? value : along(value, rate.at ?? 0);
  if (kind === 'decode' && name) {
    const format = name as keyof typeof COST_RATES.decode;
    const deep = rate.part.includes('16-bit') ? COST_RATES.highBitDepthFactor : 1;
    return COST_RATES.decode[format] === undefined ? undefined : COST_RATES.decode[format] * deep;
  }
  if (kind === 'encode' && name) return pick(COST_RATES.encode[name as keyof typeof COST_RATES.encode]);
  const value = (COST_RATES as unknown as Record<string, number | readonly (readonly [number, number])[]>)[kind];
  return value === undefined ? undefined : pick(value);
}

function report(rates: Rate[], checks: Check[], budgetMs: number): string {
  const rendered = checks.filter((check) => check.cpuMs !== undefined);
  const ratios = rendered.map((check) => (check.cpuMs ?? 0) / check.estimateMs);
  const worst = Math.max(...ratios);
  const slowest = Math.max(...rendered.map((check) => check.wallMs ?? 0));
  const rateRows = rates.map((rate) => {
    const model = modelRate(rate);
    return [
      `${rate.part}${rate.at === undefined ? '' : ` ${rate.at}`}`,
      rate.msPerMp.toFixed(1),
      model === undefined ? '-' : model.toFixed(1),
    ];
  });
  const checkRows = checks.map((check) => [
    check.source,
    `\`${check.spec}\``,
    check.outputMp.toFixed(1),
    check.estimateMs.toLocaleString('en-US'),
    check.cpuMs === undefined ? (check.refused ?? '-') : Math.round(check.cpuMs).toLocaleString('en-US'),
    check.cpuMs === undefined ? '-' : ((check.cpuMs ?? 0) / check.estimateMs).toFixed(2),
    check.wallMs === undefined ? '-' : Math.round(check.wallMs).toLocaleString('en-US'),
  ]);
  return `# Render work: the model against measurements

\`${COMMAND}\` (bench/render-cost/). Measured ${new Date().toISOString()} on ${describeMachine()}; load ${loadAverages()}.

## Rates (CPU ms per megapixel, one libvips thread, ${NOISE_SIDE} × ${NOISE_SIDE} noise)

Measured in this run beside the rate lambdas/core/render/render-cost.ts holds. Encoders and filters on noise, less a raw
copy of the image (the \`pass\` row, which every extra pass costs); decoders on noise encoded in each format (HEIC:
the fixture photo, as nothing here encodes HEVC).

${table(['part', 'measured', 'model'], rateRows)}

## Renders against their estimates (default budget ${budgetMs.toLocaleString('en-US')} ms)

Each spec rendered by \`renderImage\` from the original (no stored copies: the costliest source), CPU on one libvips
thread and wall time on every core of this machine. A spec the API refuses (over the largest side or the budget)
is not rendered.

${table(['source', 'spec', 'output MP', 'estimate ms', 'CPU ms', 'CPU / estimate', 'wall ms'], checkRows)}

- Highest CPU / estimate: **${worst.toFixed(2)}** (${worst < 1 ? 'under 1: the estimate was an upper bound on one core for every render' : 'over 1: the estimate fell short for some render; the rates need more margin'}).
- Slowest render within the budget: **${Math.round(slowest).toLocaleString('en-US')} ms** of wall time, against the render
  function's ${FUNCTION_TIMEOUT_MS / 1000} s timeout (it gives up 4 s before it).
`;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
