import type { ComponentType } from 'preact';
import { lazy } from 'preact-iso';

/**
 * A page loaded as a chunk of its own when first shown (or preloaded), so a visit loads only the pages it opens.
 * Were the chunk gone (a deployment replaced the app meanwhile), the page says to reload instead of staying blank.
 * Inside a Router the previous page stays while the chunk loads; anywhere else it needs an ErrorBoundary around it.
 */
export function lazyPage<P>(load: () => Promise<ComponentType<P>>) {
  return lazy(() => load().catch(() => ChunkMissing));
}

function ChunkMissing() {
  return (
    <section aria-labelledby="missing-title">
      <h1 id="missing-title">This page could not load</h1>
      <p role="alert">The app was updated meanwhile: reload the page.</p>
    </section>
  );
}
