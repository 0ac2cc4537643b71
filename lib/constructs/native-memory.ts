/**
 * What every function that runs libvips (sharp) or ONNX Runtime gets in its environment: glibc gives each thread
 * that allocates an arena of its own, and under those libraries' worker threads the arenas fragment and the resident
 * size grows with every image; two arenas keep it flat, and spend less time in the allocator. The core benches run
 * our core with it too (bench/core/against.ts), as the processor runs it.
 */
export const NATIVE_MEMORY_ENVIRONMENT = { MALLOC_ARENA_MAX: '2' } as const;
