import { Route, Router, useLocation } from 'preact-iso';
import { ActionButton } from './action-button';
import { useSignedIn } from './auth';
import { appPath, useConfig } from './config';
import { lazyPage } from './lazy-page';
import { Backfills } from './pages/backfills';
import { Detail } from './pages/detail';
import { Gallery } from './pages/gallery';
import { NotFound } from './pages/not-found';
import { People } from './pages/people';
import { Person } from './pages/person';
import { Places } from './pages/places';
import { SignIn } from './pages/sign-in';
import { Trash } from './pages/trash';
import { Upload } from './pages/upload';
import { Webhook } from './pages/webhook';
import { Webhooks } from './pages/webhooks';
import type { Auth } from './signer';
import { forgetUnlock, unlockOwner } from './unlock';

/*
 * The app for a signed-in caller (or its sign-in page): the header and every page but a share link's, a chunk of
 * its own (app.tsx). The albums' pages, the archive's, the share links', the partners' and the duplicates' are chunks of their own
 * again, loaded when first opened: a first visit of the gallery does not load them.
 */
const Albums = lazyPage(() => import('./pages/albums').then((module) => module.Albums));
const Album = lazyPage(() => import('./pages/album').then((module) => module.Album));
const Archive = lazyPage(() => import('./pages/archive').then((module) => module.Archive));
const Shares = lazyPage(() => import('./pages/shares').then((module) => module.Shares));
const Locked = lazyPage(() => import('./pages/locked').then((module) => module.Locked));
const Duplicates = lazyPage(() => import('./pages/duplicates').then((module) => module.Duplicates));
const Partners = lazyPage(() => import('./pages/partners').then((module) => module.Partners));
const SharedWithMe = lazyPage(() => import('./pages/shared-with-me').then((module) => module.SharedWithMe));

export function AppPages({ auth }: { auth: Auth }) {
  const signedIn = useSignedIn(auth);
  const config = useConfig();
  // The locked folder's token is the signed-in owner's: gone with a sign-out or another owner (unlock.ts).
  unlockOwner(signedIn ? auth.who() : undefined);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header
        auth={auth}
        signedIn={signedIn}
        people={config.faceGrouping}
        webhooks={config.webhooks}
        trash={config.trashDays > 0}
      />
      <main id="main" class="page" tabIndex={-1}>
        {signedIn ? (
          <Router onRouteChange={focusMain}>
            <Route path={appPath()} component={Gallery} />
            <Route path={appPath('upload')} component={Upload} />
            <Route path={appPath('trash')} component={config.trashDays > 0 ? Trash : NotFound} />
            <Route path={appPath('archive')} component={Archive} />
            <Route path={appPath('images/:id')} component={Detail} me={auth.owner()} admin={auth.admin()} />
            <Route path={appPath('albums')} component={Albums} />
            <Route path={appPath('albums/:id')} component={Album} />
            <Route path={appPath('shares')} component={Shares} />
            <Route path={appPath('places')} component={Places} />
            <Route path={appPath('locked')} component={Locked} />
            <Route path={appPath('partners')} component={Partners} />
            <Route path={appPath('duplicates')} component={Duplicates} />
            <Route path={appPath('shared-with-me')} component={SharedWithMe} />
            {/* With face grouping off the API has no people routes: nor has the app. */}
            <Route path={appPath('people')} component={config.faceGrouping ? People : NotFound} />
            <Route path={appPath('people/:id')} component={config.faceGrouping ? Person : NotFound} />
            {/* With webhooks off the API has no webhook routes: nor has the app. */}
            {config.webhooks ? (
              <Route path={appPath('webhooks')} component={Webhooks} admin={auth.admin()} />
            ) : (
              <Route path={appPath('webhooks')} component={NotFound} />
            )}
            <Route path={appPath('webhooks/:id')} component={config.webhooks ? Webhook : NotFound} />
            {/* For anyone else the API refuses every backfill route: the page is not there for them. */}
            <Route path={appPath('backfills')} component={auth.admin() ? Backfills : NotFound} />
            <Route default component={NotFound} />
          </Router>
        ) : (
          <SignIn auth={auth} />
        )}
      </main>
    </>
  );
}

/** After a client-side navigation, move focus to the new page (as a full load would) and to its top. */
let firstRoute = true;
function focusMain(): void {
  if (firstRoute) {
    firstRoute = false;
    return;
  }
  const main = document.getElementById('main');
  if (main && document.activeElement !== main) {
    main.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

/** Who the app calls the API as, for the header. */
function whoText(auth: Auth): string {
  const admin = auth.admin() ? ' (admin)' : '';
  if (auth.mode === 'none') return `No sign-in: everything is owned by ${auth.who()}`;
  if (auth.mode === 'apikey') return `Signed in with ${auth.who()}${admin}`;
  return `Signed in as ${auth.who()}${admin}`;
}

function Header({
  auth,
  signedIn,
  people,
  webhooks,
  trash,
}: {
  auth: Auth;
  signedIn: boolean;
  people: boolean;
  webhooks: boolean;
  trash: boolean;
}) {
  const { path } = useLocation();
  const galleryPath = appPath().replace(/\/$/, '');
  const current = (target: string) => (path === target ? 'page' : undefined);
  return (
    <header class="top">
      <nav aria-label="Main">
        <a class="brand" href={appPath()} aria-current={current(galleryPath)}>
          Image Intel
        </a>
        <a href={appPath()} aria-current={current(galleryPath)}>
          Gallery
        </a>
        <a href={appPath('upload')} aria-current={current(appPath('upload'))}>
          Upload
        </a>
        <a href={appPath('albums')} aria-current={current(appPath('albums'))}>
          Albums
        </a>
        <a href={appPath('places')} aria-current={current(appPath('places'))}>
          Places
        </a>
        <a href={appPath('archive')} aria-current={current(appPath('archive'))}>
          Archive
        </a>
        <a href={appPath('locked')} aria-current={current(appPath('locked'))}>
          Locked
        </a>
        <a href={appPath('duplicates')} aria-current={current(appPath('duplicates'))}>
          Duplicates
        </a>
        <a href={appPath('partners')} aria-current={current(appPath('partners'))}>
          Partners
        </a>
        <a href={appPath('shared-with-me')} aria-current={current(appPath('shared-with-me'))}>
          Shared with me
        </a>
        {trash && (
          <a href={appPath('trash')} aria-current={current(appPath('trash'))}>
            Trash
          </a>
        )}
        {people && (
          <a href={appPath('people')} aria-current={current(appPath('people'))}>
            People
          </a>
        )}
        {webhooks && (
          <a href={appPath('webhooks')} aria-current={current(appPath('webhooks'))}>
            Webhooks
          </a>
        )}
        {signedIn && auth.admin() && (
          <a href={appPath('backfills')} aria-current={current(appPath('backfills'))}>
            Backfills
          </a>
        )}
      </nav>
      {signedIn && auth.who() && <span class="who">{whoText(auth)}</span>}
      {auth.mode !== 'none' && signedIn && (
        <ActionButton
          class="secondary"
          action={() => {
            forgetUnlock();
            return auth.signOut();
          }}
        >
          Sign out
        </ActionButton>
      )}
    </header>
  );
}
