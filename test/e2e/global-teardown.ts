/** Stop the runner the setup started (it stops moto on SIGTERM) and wait until it is gone. */
export default async function globalTeardown(): Promise<void> {
  const child = globalThis.e2eRunner;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
