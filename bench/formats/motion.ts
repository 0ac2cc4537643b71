/**
 * What finding a motion photo's video costs (docs/formats.md#motion-photos-and-live-photos): `findMotionPhoto` on its
 * own (the XMP read, the box walk, the duration), and the whole analysis of a motion photo beside the same still
 * without its video. Run: `npx tsx bench/formats/motion.ts` (results in bench/formats/motion.md).
 */
import { performance } from 'node:perf_hooks';
import { analyzeImage } from '../../lambdas/core/analysis/analyze';
import { findMotionPhoto } from '../../lambdas/core/analysis/motion';
import { videoFacts } from '../../lambdas/core/analysis/mp4';
import { fixture } from '../../test/fixtures';

const ROUNDS = 30;
const GB_SECOND = 0.0000166667;
const MEMORY_GB = 2;

async function median(work: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function main(): Promise<void> {
  const google = fixture('motion/google-motion.jpg');
  const samsung = fixture('motion/samsung-motion.jpg');
  const still = google.subarray(0, findMotionPhoto(google).stillEnd);
  // A motion photo of a phone's size: the same still and 4 MB of video (an MP4 with a 4 MB `free` box).
  const mp4 = google.subarray(still.length);
  const free = Buffer.alloc(4 * 1024 * 1024);
  free.writeUInt32BE(free.length, 0);
  free.write('free', 4, 'latin1');
  const big = Buffer.concat([google, free]);
  // Its XMP's Item:Length no longer matches: only the box walk is timed on it.
  const rows: [string, number][] = [
    ['findMotionPhoto, Google (XMP Container)', await median(() => findMotionPhoto(google))],
    ['findMotionPhoto, Samsung (SEF trailer)', await median(() => findMotionPhoto(samsung))],
    ['videoFacts, MP4 with 4 MB of boxes', await median(() => videoFacts(big, still.length))],
    ['videoFacts, the 2.5 KB MP4', await median(() => videoFacts(mp4, 0))],
    ['analyzeImage, the still alone (640x400)', await median(() => analyzeImage(still))],
    ['analyzeImage, the motion photo', await median(() => analyzeImage(google))],
  ];
  console.log(`| step | median ms (${ROUNDS} rounds) | GB-s per 1,000 at 2048 MB | $ per 1,000 |`);
  console.log('| --- | --- | --- | --- |');
  for (const [name, ms] of rows) {
    const gbs = (ms / 1000) * MEMORY_GB * 1000;
    console.log(`| ${name} | ${ms.toFixed(3)} | ${gbs.toFixed(4)} | ${(gbs * GB_SECOND).toFixed(7)} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
