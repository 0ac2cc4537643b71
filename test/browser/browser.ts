import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { type RunnerProcessOptions, type RunnerReady, startRunner } from '../support/runner-process';
import { fileUser, type ProfileName, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), or the browser `CHROMIUM_PATH` names. Nothing
 * is downloaded: playwright-core drives the executable it is given.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, and quiet on a machine without internet: without the background-networking flags Chromium tries
 * Google's hosts at start and logs each refused connection.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser suite drives Debian's chromium package (apt-get install chromium; ` +
        '.ci/run installs it), or set CHROMIUM_PATH to another Chromium or Chrome.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Every console error and uncaught exception of a page, to fail on. Chromium logs a failed request ("Failed to load
 * resource: ... 404") as a console error too: a test that causes one on purpose names its URL in `expected`.
 */
export class ConsoleWatch {
  private readonly errors: string[] = [];

  constructor(page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        this.errors.push(`${message.type()}: ${message.text()} (${message.location().url})`);
      }
    });
    page.on('pageerror', (error) => this.errors.push(`uncaught: ${error.stack ?? error.message}`));
  }

  /** The errors since the last call that no `expected` pattern explains. */
  unexpected(expected: RegExp[] = []): string[] {
    const errors = this.errors.splice(0);
    return errors.filter((error) => !expected.some((pattern) => pattern.test(error)));
  }
}

/** A fresh context (no cache, no storage) and page, watched; with `token`, signed in with it (auth=jwt). */
export async function openPage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
  token?: string,
): Promise<{ context: BrowserContext; page: Page; console: ConsoleWatch }> {
  const context = await browser.newContext({ viewport });
  // Where the web app keeps a pasted token for the session (web/src/auth.ts): signed in before its first script.
  if (token) await context.addInitScript((secret) => sessionStorage.setItem('image-intel.secret.token', secret), token);
  const page = await context.newPage();
  return { context, page, console: new ConsoleWatch(page) };
}

/** What a browser suite shares: its runner, Chromium and one page, each test checked for console errors. */
export interface BrowserSuite {
  runner: { ready: RunnerReady };
  /** On a shared runner: this file's user's token, which every page of the suite is signed in with. */
  token?: string;
  /** The API as the suite's pages call it (as this file's user on a shared runner). */
  api(): ImageApiClient;
  /** Another page (a narrow screen), signed in as the suite's are. */
  open(viewport: { width: number; height: number }): ReturnType<typeof openPage>;
  /** On a shared runner: a token for a user of this file's own (`fileUser(user)`), an admin if asked. */
  tokenAs(who: { user: string; admin?: boolean }): Promise<string>;
  /** A page signed in with `tokenAs(who)`. */
  openAs(who: { user: string; admin?: boolean }): ReturnType<typeof openPage>;
  browser: Browser;
  page: Page;
  watch: ConsoleWatch;
  /** A path of the web app (`images/<id>`), as a URL of this runner. */
  app(route?: string): string;
  /** Console errors the running test causes on purpose (a refused request's URL): not a failure, this test only. */
  expectErrors(...patterns: RegExp[]): void;
}

/**
 * Start a runner with `options` (or take the run's shared runner of `profile`, as a user of this file's own) and
 * Chromium before the suite's tests (then `seed`, before the page opens), close both after them, and fail each test
 * on a console error it did not expect.
 */
export function browserSuite(
  options: RunnerProcessOptions | { profile: ProfileName },
  seed: (suite: BrowserSuite) => Promise<void> = async () => {},
): BrowserSuite {
  let expected: RegExp[] = [];
  const suite = {
    app: (route = '') => `${suite.runner.ready.webUrl}${route}`,
    api: () => new ImageApiClient(suite.runner.ready.apiUrl, { bearerToken: suite.token }),
    open: (viewport) => openPage(suite.browser, viewport, suite.token),
    expectErrors: (...patterns: RegExp[]) => {
      expected.push(...patterns);
    },
  } as BrowserSuite;
  let stop = async () => {};
  let shared: SharedRunner | undefined;
  suite.tokenAs = async ({ user, admin }) => {
    if (!shared) throw new Error('tokenAs: the suite is on a runner of its own, with no users');
    return shared.token({ user: fileUser(user), admin });
  };
  suite.openAs = async (who) => openPage(suite.browser, undefined, await suite.tokenAs(who));
  const runner = async () => {
    if (!('profile' in options)) {
      const own = await startRunner(options);
      stop = own.stop;
      return own;
    }
    shared = await profileRunner(options.profile);
    // Users are jwt's: on the open and apikey profiles a page has nothing to sign in with, or signs in itself.
    if (shared.ready.auth.mode === 'jwt') suite.token = await shared.token({ user: fileUser('alice') });
    return shared;
  };
  beforeAll(async () => {
    [suite.runner, suite.browser] = await Promise.all([runner(), launchChromium()]);
    await seed(suite);
    ({ page: suite.page, console: suite.watch } = await suite.open({ width: 1280, height: 900 }));
  });
  afterAll(async () => {
    await suite.browser?.close();
    await stop();
  });
  afterEach(() => {
    const unexpected = suite.watch.unexpected(expected);
    expected = [];
    expect(unexpected).toEqual([]);
  });
  return suite;
}
