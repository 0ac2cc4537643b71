/** Stop the runner the setup started; it stops moto on SIGTERM. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.e2eRunner?.stop();
}
