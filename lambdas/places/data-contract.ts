/**
 * The data file's path inside a bundle, relative to the bundle's own file: the same `data/places.bin` beside
 * lambdas/places/open.ts (sources, tsx, jest), beside dist/lambdas/places/open.js (`npm run build` copies it) and
 * at the root of a function's asset beside its index.js (lib/constructs/places-bundling.ts copies it).
 */
export const PLACES_ASSET_PATH = 'data/places.bin';
