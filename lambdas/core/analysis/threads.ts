import { availableParallelism } from 'node:os';
import sharp from 'sharp';

/**
 * libvips threads per pipeline, for a function that runs the core or renders. sharp starts with one on glibc
 * without jemalloc, because glibc's per-thread arenas fragment under libvips' threads; every function that runs
 * libvips caps those arenas (`MALLOC_ARENA_MAX`, lib/constructs/native-memory.ts), and with the cap a pipeline may
 * use every core: the resize after a JPEG's shrink-on-load decode, which nothing else runs beside, takes two threads.
 * On 2 cores that took 93 to 82 ms off a 12 MP decode alone, and 1 to 5 ms (1 to 3 %) off the whole analysis in
 * three runs of bench/core/against.ts, throughput level. Without the cap (the local runner, a test) nothing changes.
 */
export function useEveryCore(env: NodeJS.ProcessEnv = process.env): number {
  if (env.MALLOC_ARENA_MAX) sharp.concurrency(availableParallelism());
  return sharp.concurrency();
}
