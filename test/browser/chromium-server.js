// The run's one Chromium, as a Playwright browser server (test/browser/browser.ts sharedChromium): started detached by
// the first browser file that asks, it writes its WebSocket endpoint to the ready file (whole, by a rename: a reader
// never sees half of it), and every file in every worker connects to it. It stops on SIGTERM (the global teardown
// signals its process group, as it does the shared runners'), or by itself once jest is gone (a run killed before its
// teardown), closing Chromium first either way.
//
//   node chromium-server.js <dir> <chromium executable> <launch args as JSON> <jest's pid>
const { renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const [dir, executablePath, args, jestPid] = process.argv.slice(2);

async function main() {
  // Its own signal handling: playwright's would close Chromium, and leave this process running.
  const server = await chromium.launchServer({
    executablePath,
    args: JSON.parse(args),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setInterval(() => {
    try {
      process.kill(Number(jestPid), 0);
    } catch {
      stop();
    }
  }, 1000).unref();
  const ready = path.join(dir, 'ws-endpoint');
  writeFileSync(`${ready}.partial`, server.wsEndpoint());
  renameSync(`${ready}.partial`, ready);
}

main().catch((error) => {
  writeFileSync(path.join(dir, 'failed'), `Chromium did not start: ${error.stack ?? error}`);
  process.exit(1);
});
