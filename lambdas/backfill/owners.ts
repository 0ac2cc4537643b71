import type { SourceBucket } from '../settings';

/*
 * Whose a backfilled or watched object is: decided here, per key, for every path that brings one in (a backfill
 * run, a watched bucket's event, a re-analysis), so the order in which they see an object cannot change its owner.
 */

/** The entry a key falls under: of its bucket's entries, the one with the longest prefix the key starts with. */
export function sourceOf(sources: readonly SourceBucket[], bucket: string, key: string): SourceBucket | undefined {
  return sources
    .filter((source) => source.bucket === bucket && key.startsWith(source.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length)[0];
}

/**
 * The owner an object gets: that of the most specific `sourceBuckets` entry covering its key, or, where that entry
 * names none (or no entry covers it: the pipeline's own uploads), the one the run asked for; undefined: none.
 */
export function ownerOf(
  sources: readonly SourceBucket[],
  bucket: string,
  key: string,
  requested?: string | null,
): string | undefined {
  return sourceOf(sources, bucket, key)?.owner ?? requested ?? undefined;
}

/**
 * The entries whose keys a run over `bucket/prefix` reaches: the one the prefix falls under, and every one nested
 * under the prefix (`team/` reaches `team/bob/`), most general first.
 */
export function entriesUnder(sources: readonly SourceBucket[], bucket: string, prefix: string): SourceBucket[] {
  const within = sourceOf(sources, bucket, prefix);
  const nested = sources.filter(
    (source) => source.bucket === bucket && source !== within && source.prefix.startsWith(prefix),
  );
  return [...(within ? [within] : []), ...nested.sort((a, b) => a.prefix.length - b.prefix.length)];
}
