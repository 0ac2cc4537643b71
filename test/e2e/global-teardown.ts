import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkRunner, describeDenials, describeUnused, readCalls } from '../support/permissions/stack-check';
import { CALLS_FILE, profileDir, releaseRunDir, stopProfiles } from '../support/runner-profiles';
import { releaseSharedMoto } from '../support/shared-moto';
import { TARGET_FILE_ENV } from './target';

/**
 * Stop the shared runners (the setup's is the `jwt` profile's, which other projects' files may share), then check
 * every AWS call its functions made in the whole run against the permissions the stack grants them (test/support/permissions): a call IAM would
 * refuse fails the run, naming the function, the action, the resource and the statement closest to allowing it.
 */
const EXPECTED_REFUSAL = /^arn:aws:s3:::e2e-missing-[0-9a-f]+(\/|$)/;

export default async function globalTeardown(): Promise<void> {
  const runner = globalThis.e2eRunner;
  if (!runner) return;
  await stopProfiles();
  // Kept beside the target file: the run's directory goes with its last holder.
  const kept = path.dirname(process.env[TARGET_FILE_ENV] as string);
  const [callsFile, log] = [CALLS_FILE, 'runner.log'].map((name) => path.join(kept, name)) as [string, string];
  const keep = (name: string, to: string) => {
    if (existsSync(path.join(profileDir('jwt'), name))) copyFileSync(path.join(profileDir('jwt'), name), to);
  };
  keep(CALLS_FILE, callsFile);
  keep('runner.log', log);
  await releaseRunDir();
  await releaseSharedMoto();
  showFailures(log);
  const calls = readCalls(callsFile);
  const report = await checkRunner(runner.ready, calls);
  const file = path.join(kept, 'permissions-report.txt');
  writeFileSync(file, `${describeDenials(report)}\n\nUnused grants:\n${describeUnused(report)}\n`);
  // The DLQ test (pipeline.test.ts) sends a notification for a bucket that does not exist, so that every read
  // fails: IAM refusing it too is what the test relies on, not a missing grant.
  const unexpected = { ...report, denied: report.denied.filter((denial) => !EXPECTED_REFUSAL.test(denial.resource)) };
  const refused = describeDenials(unexpected);
  if (refused) {
    throw new Error(`the stack does not allow calls the e2e suite made (${file}):\n${refused}`);
  }
  if (report.checked === 0) throw new Error(`the e2e runner recorded no AWS call to check (${callsFile})`);
}

/**
 * What the runner logged as failing (a handler's error, an API request answered 502, with their stacks): a test that
 * saw only a status code then says why. A suite may cause some on purpose (the DLQ test), so they do not fail it.
 */
function showFailures(logFile: string | undefined): void {
  if (!logFile || !existsSync(logFile)) return;
  const failing: string[] = [];
  let inFailure = false;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    // A failure's line, then its stack's.
    inFailure = /"level":"ERROR"| failed: /.test(line) || (inFailure && /^\s+at /.test(line));
    if (inFailure) failing.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
  }
  if (failing.length > 0) {
    console.warn(`the e2e runner logged failures (whole log: ${logFile}):\n${failing.slice(0, 200).join('\n')}`);
  }
}
