import { useEffect, useState } from 'preact/hooks';
import { probe } from './api';
import { BASE, sharedToken, type WebAuthConfig } from './config';
import type { Auth } from './signer';

type Listener = () => void;
const listeners = new Set<Listener>();
function changed(): void {
  for (const listener of listeners) listener();
}

/** Re-renders when the user signs in or out. */
export function useSignedIn(auth: Auth): boolean {
  const [signedIn, setSignedIn] = useState(auth.signedIn());
  useEffect(() => {
    const listener = () => setSignedIn(auth.signedIn());
    listeners.add(listener);
    listener();
    return () => {
      listeners.delete(listener);
    };
  }, [auth]);
  return signedIn;
}

const STORAGE_KEY = 'image-intel.secret';
/** The Cognito group whose members the API treats as admins (lambdas/api/caller.ts). */
const ADMIN_GROUP = 'admins';

/** A JWT's claims, read, not verified (the API verifies the token); empty for anything that is not one. */
function claimsOf(token: string | undefined): Record<string, unknown> {
  try {
    const payload = (token ?? '').split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Whether a JWT's `cognito:groups` names the admins. */
export function tokenIsAdmin(token: string | undefined): boolean {
  const groups = claimsOf(token)['cognito:groups'];
  return Array.isArray(groups) ? groups.includes(ADMIN_GROUP) : groups === ADMIN_GROUP;
}

/** A JWT's subject: the owner the API takes its caller for (lambdas/api/caller.ts). */
function tokenSubject(token: string | undefined): string | undefined {
  const sub = claimsOf(token).sub;
  return typeof sub === 'string' && sub !== '' ? sub : undefined;
}

/** The user a JWT is for, as a person would name them: its user name, else its e-mail, else its subject. */
export function tokenUser(token: string | undefined): string | undefined {
  const claims = claimsOf(token);
  const name = [claims['cognito:username'], claims.username, claims.email, claims.sub].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  return name;
}

function secretAuth(mode: 'apikey' | 'token'): Auth {
  const read = (key: string = mode): string | null => {
    try {
      return sessionStorage.getItem(`${STORAGE_KEY}.${key}`);
    } catch {
      return null;
    }
  };
  const write = (value: string | null, key: string = mode): void => {
    try {
      if (value === null) sessionStorage.removeItem(`${STORAGE_KEY}.${key}`);
      else sessionStorage.setItem(`${STORAGE_KEY}.${key}`, value);
    } catch {
      // storage off: the secret is lost at reload
    }
  };
  let memory = read();
  // An API key says nothing of its client: whether the API takes it for an admin's, read once at sign-in.
  let keyIsAdmin = read('apikey-admin') === 'true';
  const headersFor = (secret: string): Record<string, string> =>
    mode === 'apikey' ? { 'x-api-key': secret } : { authorization: `Bearer ${secret}` };
  const auth: Auth = {
    mode,
    signedIn: () => Boolean(memory),
    headers: async (): Promise<Record<string, string>> => (memory ? headersFor(memory) : {}),
    async remember(secret) {
      const value = secret.trim();
      const { status, admin } = await probe(headersFor(value));
      if (status === 401 || status === 403) {
        return mode === 'apikey' ? 'The API did not accept that API key.' : 'The API did not accept that token.';
      }
      if (status === 0) return 'The API could not be reached: try again.';
      if (mode === 'apikey') {
        keyIsAdmin = admin;
        write(String(keyIsAdmin), 'apikey-admin');
      }
      memory = value;
      write(memory);
      auth.problem = undefined;
      changed();
      return undefined;
    },
    admin: () => Boolean(memory) && (mode === 'apikey' ? keyIsAdmin : tokenIsAdmin(memory ?? undefined)),
    who: () => (!memory ? undefined : mode === 'apikey' ? 'an API key' : (tokenUser(memory) ?? 'a token')),
    owner: () => (mode === 'token' ? tokenSubject(memory ?? undefined) : undefined),
    signIn: async () => {},
    async signOut() {
      memory = null;
      write(null);
      auth.problem = undefined;
      changed();
    },
    async rejected() {
      if (!memory) return;
      memory = null;
      write(null);
      auth.problem =
        mode === 'apikey'
          ? 'The API did not accept that API key.'
          : 'The API did not accept that token (or it expired).';
      changed();
    },
  };
  return auth;
}

/** Sign-ins started on their own within this long of each other stop, so a refused token cannot loop. */
const AUTO_SIGNIN_GAP_MS = 15_000;
const AUTO_SIGNIN_KEY = 'image-intel.auto-signin';

async function cognitoAuth(config: Extract<WebAuthConfig, { mode: 'cognito' }>): Promise<Auth> {
  const { UserManager } = await import('oidc-client-ts');
  const home = `${location.origin}${BASE}`;
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: config.scope,
    automaticSilentRenew: true,
    // Cognito's user pool metadata has no end_session_endpoint; signOut() goes to the hosted logout itself.
    monitorSession: false,
  });
  let idToken: string | undefined;
  let problem: string | undefined;

  const params = new URLSearchParams(location.search);
  if ((params.has('code') || params.has('error')) && params.has('state')) {
    try {
      const user = await manager.signinRedirectCallback();
      const back = typeof user.state === 'string' && user.state.startsWith(BASE) ? user.state : BASE;
      history.replaceState(null, '', back);
    } catch (error) {
      problem = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
      history.replaceState(null, '', BASE);
    }
  }
  const current = await manager.getUser();
  if (current && !current.expired) idToken = current.id_token;
  else if (current?.refresh_token) {
    idToken = (await manager.signinSilent().catch(() => null))?.id_token;
  }
  manager.events.addUserLoaded((user) => {
    idToken = user.id_token;
    changed();
  });
  manager.events.addSilentRenewError(() => {
    idToken = undefined;
    auth.problem = 'Your session ended: sign in again.';
    changed();
  });

  const redirect = async (automatic: boolean): Promise<void> => {
    if (automatic) {
      const last = Number(sessionStorage.getItem(AUTO_SIGNIN_KEY) ?? 0);
      if (Date.now() - last < AUTO_SIGNIN_GAP_MS) return;
      sessionStorage.setItem(AUTO_SIGNIN_KEY, String(Date.now()));
    }
    try {
      await manager.signinRedirect({ state: location.pathname + location.search });
    } catch (error) {
      auth.problem = `The sign-in page could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      changed();
    }
  };

  const auth: Auth = {
    mode: 'cognito',
    problem,
    signedIn: () => Boolean(idToken),
    headers: async (): Promise<Record<string, string>> => (idToken ? { authorization: idToken } : {}),
    remember: async () => undefined,
    admin: () => tokenIsAdmin(idToken),
    who: () => (idToken ? tokenUser(idToken) : undefined),
    owner: () => tokenSubject(idToken),
    signIn: () => redirect(false),
    async signOut() {
      idToken = undefined;
      await manager.removeUser();
      const logout = new URL(`${config.domain.replace(/\/+$/, '')}/logout`);
      logout.searchParams.set('client_id', config.clientId);
      logout.searchParams.set('logout_uri', home);
      location.assign(logout.toString());
    },
    async rejected() {
      idToken = undefined;
      await manager.removeUser();
      auth.problem = 'Your session has ended: sign in again.';
      changed();
      await redirect(true);
    },
  };
  // First visit: straight to the hosted login, unless it just failed, or the page is a share link's, which whoever
  // was given it opens without an account.
  if (!idToken && !problem && sharedToken(location.pathname) === undefined) await redirect(true);
  return auth;
}

export async function createAuth(config: WebAuthConfig): Promise<Auth> {
  switch (config.mode) {
    case 'apikey':
    case 'token':
      return secretAuth(config.mode);
    case 'cognito':
      return cognitoAuth(config);
    default:
      return {
        mode: 'none',
        signedIn: () => true,
        headers: async () => ({}),
        remember: async () => undefined,
        // The runner's open API: its one caller is an admin.
        admin: () => true,
        who: () => 'local',
        owner: () => 'local',
        signIn: async () => {},
        signOut: async () => {},
        rejected: async () => {},
      };
  }
}
