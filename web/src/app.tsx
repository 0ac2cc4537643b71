import { useEffect, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, useLocation } from 'preact-iso';
import { appPath, BASE, ConfigContext, sharedToken, type WebConfig } from './config';
import { lazyPage } from './lazy-page';
import type { Auth } from './signer';

/*
 * The app's shell: which of two chunks a path shows. A share link's page loads the shell and itself; every other
 * path loads the signed-in app (app-pages.tsx: the header and its pages), which main.tsx starts loading beside the
 * config so a first visit of the gallery waits for no more than before.
 */
const AppPages = lazyPage(() => import('./app-pages').then((module) => module.AppPages));
const Shared = lazyPage(() => import('./pages/shared').then((module) => module.Shared));

/** Starts loading the chunk `pathname` shows, before the app is rendered. */
export function preloadPages(pathname: string): void {
  void (sharedToken(pathname, location.hash) === undefined ? AppPages : Shared).preload();
}

export function App({ config, auth }: { config: WebConfig; auth: Auth }) {
  return (
    <ConfigContext.Provider value={config}>
      <LocationProvider scope={BASE}>
        <Pages auth={auth} />
      </LocationProvider>
    </ConfigContext.Provider>
  );
}

/**
 * The location's fragment, read afresh each render and rendered again when it changes (a link pasted over another's
 * changes only the fragment: the page does not load again, and the router does not see it).
 */
function useHash(): string {
  const [, changed] = useState(0);
  useEffect(() => {
    const onChange = () => changed((count) => count + 1);
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return location.hash;
}

/**
 * The app's pages, for a signed-in caller; a share link's page (`/app/shared#<token>`) for anyone, signed in or not,
 * with none of the app around it: whoever was given the link has no account, and sees only what it shows. Each shows
 * once its chunk is in (the boundary waits for it).
 */
function Pages({ auth }: { auth: Auth }) {
  const { path, route } = useLocation();
  const token = sharedToken(path, useHash());
  useEffect(() => {
    // An older link (`/app/shared/<token>`) opens too, and is shown as a new one is, with its token out of the path.
    if (token && path !== appPath('shared')) route(`${appPath('shared')}#${token}`, true);
  }, [path, token, route]);
  if (token !== undefined) {
    return (
      <>
        <header class="top">
          <span class="brand">Image Intel</span>
        </header>
        <main id="main" class="page" tabIndex={-1}>
          <ErrorBoundary>
            <Shared key={token} token={token} auth={auth} />
          </ErrorBoundary>
        </main>
      </>
    );
  }
  return (
    <ErrorBoundary>
      <AppPages auth={auth} />
    </ErrorBoundary>
  );
}
