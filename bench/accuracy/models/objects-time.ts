import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { analyzeImage } from '../../../lambdas/core/analysis/analyze';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { analyzeThumbnail } from '../../../lambdas/vision/functions/vision/analyze-stored-image';
import type { OfflineOptions } from '../../../lambdas/vision/offline';
import { ensureCorpus } from '../../support/make-corpus';

/**
 * The whole offline analysis of a 12 MP photo (the core's thumbnails, then every offline model on the largest, as
 * predict.ts and the pipeline run them) with CenterNet's one look, the shipped second look when unsure, and two
 * looks always, interleaved photo by photo so that other work on the machine weighs on each alike.
 *
 *   npx tsx bench/accuracy/models/objects-time.ts [--rounds 5]
 */
const MODES: NonNullable<OfflineOptions['objectLooks']>[] = ['never', 'uncertain', 'always'];

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;

async function whole(bytes: Buffer, objectLooks: OfflineOptions['objectLooks']) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { record, thumbnails } = await analyzeImage(bytes, { thumbnailSizes: DEFAULT_SETTINGS.thumbnailSizes });
  if (record.status !== 'PROCESSED') throw new Error(`the core did not process it: ${record.status}`);
  const largest = thumbnails.reduce((a, b) => (b.size > a.size ? b : a));
  const vision = await analyzeThumbnail(
    largest.data,
    { palette: record.palette, brightness: record.brightness },
    {
      objectLooks,
    },
  );
  const used = process.cpuUsage(cpu);
  return {
    ms: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    twice: Object.values(vision.inference.models).some((v) => v.includes('mirror')),
  };
}

async function main() {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const { files } = await ensureCorpus();
  const photos = await Promise.all(files['12mp'].map((f) => readFile(f)));
  await whole(photos[0] as Buffer, 'always');
  const times = Object.fromEntries(MODES.map((m) => [m, { ms: [] as number[], cpuMs: [] as number[], twice: 0 }]));
  for (let round = 0; round < Number(values.rounds); round++)
    for (const photo of photos)
      for (const mode of round % 2 ? [...MODES].reverse() : MODES) {
        const t = await whole(photo, mode);
        const into = times[mode] as { ms: number[]; cpuMs: number[]; twice: number };
        into.ms.push(t.ms);
        into.cpuMs.push(t.cpuMs);
        if (t.twice && round === 0) into.twice++;
      }
  const base = quantile(times.never?.ms ?? [], 0.5);
  for (const mode of MODES) {
    const t = times[mode] as { ms: number[]; cpuMs: number[]; twice: number };
    const median = quantile(t.ms, 0.5);
    console.log(
      `${mode}: median ${Math.round(median)} ms (p90 ${Math.round(quantile(t.ms, 0.9))}), CPU median ${Math.round(
        quantile(t.cpuMs, 0.5),
      )} ms, ${(median / base).toFixed(2)}x one look; looked twice at ${t.twice} of ${photos.length} photos`,
    );
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores, shared)`,
  );
}

if (require.main === module) void main();
