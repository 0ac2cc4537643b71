/**
 * What `npm start` says when it cannot start: one line that says what is wrong and what to do, and the stack only
 * when asked for (`--verbose`), since the cause is almost always a setting or a busy port, not the runner's code.
 */
export function startErrorMessage(error: unknown, options: { port: number; verbose: boolean }): string {
  const { code, message, stack } = error as { code?: string; message?: string; stack?: string };
  if (options.verbose && stack) return `could not start: ${stack}`;
  if (code === 'EADDRINUSE') {
    return (
      `could not start: port ${options.port} is in use; stop what listens there, or pass another ` +
      '(npm start -- --port N; 0 takes any free port)'
    );
  }
  const line = (message ?? String(error)).trim();
  return `could not start: ${line}${options.verbose ? '' : ' (npm start -- --verbose for the stack)'}`;
}
