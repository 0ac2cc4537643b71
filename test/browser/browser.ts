import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import { RUN_DIR_ENV, type RunnerProcessOptions, type RunnerReady, startRunner } from '../support/runner-process';
import { fileUser, makeDir, type ProfileName, profileRunner, type SharedRunner } from '../support/runner-profiles';

/**
 * Debian's headless shell of Chromium (`apt-get install chromium-headless-shell`; `.ci/run` installs it), else its
 * Chromium (`chromium`), or the browser `CHROMIUM_PATH` names. Nothing is downloaded: playwright-core drives the
 * executable it is given. The headless shell is the same version's Blink without the browser around it (Playwright's
 * own choice for headless runs): the same pages took 13 s of CPU in it against 30 s in the whole browser, and the
 * browser suite is mostly Chromium's CPU.
 */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((file) => existsSync(file)) ??
  '/usr/bin/chromium';

/**
 * Headless, and quiet on a machine without internet: without the background-networking flags Chromium tries
 * Google's hosts at start and logs each refused connection.
 */
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const READY_TIMEOUT_MS = 120_000;

/**
 * The run's one Chromium, connected to: the first browser file that asks starts it (test/browser/chromium-server.js, a
 * Playwright browser server), detached, in the run's directory beside the shared runners, and the global teardown
 * stops it with them (runner-profiles.ts stopProfiles signals every process group there). Launching a Chromium of
 * each file's own cost 3 to 5 s (2 to 3 s of CPU) a file on 2 busy cores; connecting costs a fraction of that. A
 * file's close() closes the contexts it made, and no other file's; no file shares a context or a page with another.
 * Outside a jest run (no run directory), a Chromium of the caller's own.
 */
export async function sharedChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser suite drives Debian's chromium-headless-shell or chromium package ` +
        '(apt-get install chromium-headless-shell; .ci/run installs it), or set CHROMIUM_PATH to another Chromium or Chrome.',
    );
  }
  const runDir = process.env[RUN_DIR_ENV];
  if (!runDir) return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  const dir = path.join(runDir, 'chromium');
  const files = { ready: path.join(dir, 'ws-endpoint'), failed: path.join(dir, 'failed') };
  // mkdir is atomic: exactly one file makes the directory, and starts the server.
  const starter = makeDir(dir);
  const child = starter ? startServer(dir, readFileSync(path.join(runDir, 'jest.pid'), 'utf8')) : undefined;
  child?.once('exit', (code, signal) => {
    if (!existsSync(files.ready) && !existsSync(files.failed))
      writeFileSync(files.failed, `the Chromium server exited (${code ?? signal}) before it was ready`);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!existsSync(files.ready)) {
    if (existsSync(files.failed)) throw new Error(readFileSync(files.failed, 'utf8'));
    if (Date.now() > deadline) throw new Error(`the run's Chromium was not ready after ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child?.removeAllListeners('exit');
  return chromium.connect(readFileSync(files.ready, 'utf8'));
}

function startServer(dir: string, jestPid: string) {
  const log = openSync(path.join(dir, 'server.log'), 'a');
  // Detached, in a process group of its own: it outlives the file (and the worker) that started it.
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'chromium-server.js'), dir, CHROMIUM, JSON.stringify(LAUNCH_ARGS), jestPid],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  writeFileSync(path.join(dir, 'pid'), String(child.pid));
  child.unref();
  return child;
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
 * connect to the run's Chromium before the suite's tests (then `seed`, before the page opens); after them, close the
 * file's contexts (and a runner of its own), and fail each test on a console error it did not expect.
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
    [suite.runner, suite.browser] = await Promise.all([runner(), sharedChromium()]);
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
