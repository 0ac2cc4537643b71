import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkRunner, describeDenials, describeUnused, readCalls } from '../support/permissions/stack-check';
import { releaseSharedMoto } from '../support/shared-moto';

/**
 * Stop the runner the setup started (and let go of the run's moto), then check every AWS call its functions made in
 * the whole suite against the permissions the stack grants them (test/support/permissions): a call IAM would
 * refuse fails the run, naming the function, the action, the resource and the statement closest to allowing it.
 */
const EXPECTED_REFUSAL = /^arn:aws:s3:::e2e-missing-[0-9a-f]+(\/|$)/;

export default async function globalTeardown(): Promise<void> {
  const runner = globalThis.e2eRunner;
  if (!runner || !globalThis.e2eCalls) return;
  await runner.stop();
  await releaseSharedMoto();
  showFailures(globalThis.e2eLog);
  const calls = readCalls(globalThis.e2eCalls);
  const report = await checkRunner(runner.ready, calls);
  const file = path.join(path.dirname(globalThis.e2eCalls), 'permissions-report.txt');
  writeFileSync(file, `${describeDenials(report)}\n\nUnused grants:\n${describeUnused(report)}\n`);
  // The DLQ test (pipeline.test.ts) sends a notification for a bucket that does not exist, so that every read
  // fails: IAM refusing it too is what the test relies on, not a missing grant.
  const unexpected = { ...report, denied: report.denied.filter((denial) => !EXPECTED_REFUSAL.test(denial.resource)) };
  const refused = describeDenials(unexpected);
  if (refused) {
    throw new Error(`the stack does not allow calls the e2e suite made (${file}):\n${refused}`);
  }
  if (report.checked === 0) throw new Error(`the e2e runner recorded no AWS call to check (${globalThis.e2eCalls})`);
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
